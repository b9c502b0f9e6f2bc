"""The e-PPGBM import page in a real browser: a kader uploads a small CSV and sees what was
created; a file with a wrong row is refused whole, with the error report on the page and as a
CSV download. Jobs run inline here (``TUMBUH_IMPORT_BACKGROUND=False``): the live server's
in-memory SQLite is not shared safely with the import's background thread."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.support import horizontal_overflow, login, months_before
from tumbuh.registry.models import Child, Measurement

pytestmark = pytest.mark.browser

HEADER = [
    "No", "NIK", "Nama Balita", "JK", "Tgl Lahir", "Nama Ortu", "NIK Ortu", "No. KK", "Alamat",
    "RT", "RW", "Desa/Kelurahan", "Kecamatan", "Posyandu", "Tanggal Pengukuran", "Berat (kg)",
    "Tinggi (cm)", "Cara Ukur", "LiLA (cm)", "Lingkar Kepala (cm)", "ZS TB/U",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _imports_inline(settings):  # type: ignore[no-untyped-def]
    settings.TUMBUH_IMPORT_BACKGROUND = False


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for number, values in enumerate(rows, start=1):
        writer.writerow([str(number) if h == "No" else values.get(h, "") for h in HEADER])
    return out.getvalue().encode()


def _row(name: str, birth: dt.date, weighed: dt.date, **values: str) -> dict[str, str]:
    return {
        "Nama Balita": name,
        "JK": "P",
        "Tgl Lahir": birth.strftime("%d/%m/%Y"),
        "Nama Ortu": "Yuliani",
        "Alamat": "Gg. Contoh 2",
        "RT": "1",
        "RW": "4",
        "Desa/Kelurahan": "Sempur",
        "Kecamatan": "Bogor Tengah",
        "Posyandu": "Mawar",
        "Tanggal Pengukuran": weighed.isoformat(),
        "Berat (kg)": "8,2",
        "Tinggi (cm)": "71.0",
        "Cara Ukur": "Berbaring",
        **values,
    }


def _upload(page, name: str, data: bytes) -> None:
    page.goto("/impor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Impor berkas e-PPGBM"
    page.get_by_label("Berkas e-PPGBM (.xlsx atau .csv)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_load_state()


def test_kader_imports_a_small_csv_and_sees_the_result(town, open_page):
    today = timezone.localdate()
    weighed = today - dt.timedelta(days=3)
    rows = [
        _row("Aisyah Putri", months_before(today, 11), weighed),
        _row("Nabila Zahra", months_before(today, 16), weighed, **{"Berat (kg)": "9,0"}),
    ]
    page = open_page()
    login(page, town.kader.username)
    _upload(page, "eppgbm-mawar.csv", _csv(rows))

    assert page.get_by_role("heading", level=1).inner_text() == "Impor: eppgbm-mawar.csv"
    stats = page.locator(".stat")
    counts = dict(
        zip(
            stats.locator(".l").all_inner_texts(),
            stats.locator(".n").all_inner_texts(),
            strict=True,
        )
    )
    assert counts["baris"] == "2" and counts["anak baru"] == "2"
    assert counts["pengukuran baru"] == "2"
    assert page.get_by_role("link", name="Unduh laporan kesalahan (CSV)").count() == 0
    assert horizontal_overflow(page) == 0
    assert Child.objects.filter(person__name="Aisyah Putri", posyandu__name="Mawar").exists()
    assert Measurement.objects.filter(child__person__name="Nabila Zahra").count() == 1
    # the imported child is found by the kader's search at once
    search = page.request.get("/anak/?q=Aisyah")
    assert search.ok and "Aisyah Putri" in search.text().split("<tbody>")[1]


def test_a_wrong_row_refuses_the_file_with_an_error_report(town, open_page):
    today = timezone.localdate()
    weighed = today - dt.timedelta(days=3)
    rows = [
        _row("Aisyah Putri", months_before(today, 11), weighed),
        _row("Nabila Zahra", months_before(today, 16), weighed, **{"Berat (kg)": "sembilan"}),
    ]
    page = open_page()
    login(page, town.kader.username)
    _upload(page, "eppgbm-salah.csv", _csv(rows))

    assert page.get_by_role("heading", level=2).first.inner_text().endswith("kesalahan")
    report = page.locator("table tbody").inner_text()
    assert "sembilan" in report and "Berat" in report
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh laporan kesalahan (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "eppgbm-salah-kesalahan.csv"
    body = Path(download.path()).read_text(encoding="utf-8-sig")
    assert body.startswith("baris,kolom,nilai,alasan") and "sembilan" in body
    assert not Child.objects.filter(person__name="Aisyah Putri").exists()  # all or nothing
