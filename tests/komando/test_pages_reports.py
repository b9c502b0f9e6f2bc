"""The same numbers on the page, the rakor PDF, the Excel file and the API; role scoping;
the list behind a number holds exactly the subjects it counts."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.komando.conftest import KEC_A, KEC_B, KEL_A, KEL_B, KOTA, MONTH, expected_sum
from tumbuh.api.services import token_create
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.komando.selectors import parse_period

pytestmark = pytest.mark.django_db
PERIOD = f"{MONTH:%Y-%m}"
CITY = expected_sum([KEL_A, "32.71.03.1005", KEL_B])


def _page_value(html: str, code: str) -> int:
    match = re.search(rf'data-indicator="{code}">(\d+)</a>', html)
    assert match, code
    return int(match.group(1))


def test_page_shows_the_stored_numbers_with_links(refreshed, client_for):  # type: ignore[no-untyped-def]
    response = client_for("tpps").get("/komando/", {"period": PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("s", "d", "stunted", "t2", "bgm", "cases_new", "preg_kek"):
        assert _page_value(html, code) == CITY[code][0], code
    assert 'id="tiles"' in html and "Sempur" in html and "weighing-month" in html
    assert "Dinas Kesehatan" in html and "Aturan penilaian" in html
    # 6 kecamatan of Kota Bogor in the ranking, 68 kelurahan in the tile grid.
    assert html.count('class="tile ') == 68


def test_tpps_landing_page_is_the_command_centre(refreshed, client_for):  # type: ignore[no-untyped-def]
    response = client_for("tpps").get("/")
    assert response.status_code == 302 and response["Location"].startswith("/komando/")


def test_drill_list_holds_exactly_the_children_counted(refreshed, client_for):  # type: ignore[no-untyped-def]
    client = client_for("tpps")
    response = client.get(
        "/komando/daftar/", {"area": KEL_A, "period": PERIOD, "indicator": "stunted"}
    )
    html = response.content.decode()
    child = refreshed.children["a1"]
    assert f"/anak/{child.pk}/" in html
    assert f"/anak/{refreshed.children['a2'].pk}/" not in html  # latest weighing of August normal
    assert re.search(r'id="drill-count">1 data', html)
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="registry.child").latest("pk")
    assert event.detail["ids"] == [child.pk] and event.detail["komando"] == "stunted"
    cases = client.get(
        "/komando/daftar/", {"area": KOTA, "period": PERIOD, "indicator": "cases_open"}
    )
    assert re.search(r'id="drill-count">2 data', cases.content.decode())


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        ("kecamatan", [KEC_A, KEL_A], [KOTA, KEC_B, KEL_B]),
        ("kelurahan", [KEL_B], [KOTA, KEC_A, KEL_A]),
        ("tpps", [KOTA, KEC_A, KEL_B], []),
    ],
)
def test_officers_see_only_their_area(refreshed, client_for, role, allowed, denied):  # type: ignore[no-untyped-def]
    client = client_for(role)
    for code in allowed:
        assert client.get("/komando/", {"area": code, "period": PERIOD}).status_code == 200, code
    for code in denied:
        before = AuditEvent.objects.filter(action=Action.DENIED).count()
        assert client.get("/komando/", {"area": code, "period": PERIOD}).status_code == 404, code
        assert client.get("/komando/daftar/", {"area": code, "indicator": "s"}).status_code == 404
        assert client.get("/komando/rakor.pdf", {"area": code}).status_code == 404
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == before + 3


def test_kecamatan_officer_default_area_is_its_kecamatan(refreshed, client_for):  # type: ignore[no-untyped-def]
    html = client_for("kecamatan").get("/komando/", {"period": PERIOD}).content.decode()
    assert _page_value(html, "s") == expected_sum([KEL_A, "32.71.03.1005"])["s"][0]
    assert "Batu Tulis" not in html


def test_other_roles_have_no_command_centre(refreshed, client_for):  # type: ignore[no-untyped-def]
    assert client_for("kader").get("/komando/").status_code == 403


def test_bad_period_is_a_clear_error():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="TTTT-BB"):
        parse_period("2026-13")


def test_pdf_excel_and_api_match_the_page(refreshed, client_for, city):  # type: ignore[no-untyped-def]
    client = client_for("tpps")
    html = client.get("/komando/", {"period": PERIOD}).content.decode()
    page = {
        code: _page_value(html, code)
        for code in ("s", "d", "stunted", "wasted", "cases_open", "preg")
    }

    pdf = client.get("/komando/rakor.pdf", {"period": PERIOD})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) >= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Kota Bogor" in text and "Rapor OPD" in text and "Dinas Kesehatan" in text
    s_line = next(line for line in text.splitlines() if line.startswith("S: balita di wilayah"))
    assert s_line.split()[-3:] == [str(page["s"]), "—", "—"]
    d_line = next(line for line in text.splitlines() if line.startswith("D: balita ditimbang"))
    assert d_line.split()[-3:] == [
        str(page["d"]),
        str(page["s"]),
        "83,3",
    ]  # Indonesian decimal comma

    xlsx = client.get("/komando/rakor.xlsx", {"period": PERIOD})
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert {
        "Ringkasan",
        "Kecamatan",
        "Kelurahan",
        "Rapor OPD",
        "Tindak lanjut",
        "e-PPGBM bulanan",
    } <= set(book.sheetnames)
    summary = {row[1]: row for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    for code, value in page.items():
        assert summary[code][3] == value, code
    aksi = list(book["8 Aksi Konvergensi"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in aksi if isinstance(row[0], int)} == set(range(1, 9))
    assert next(r for r in aksi if r[0] == 7 and r[3] == "D: balita ditimbang")[4] == page["d"]
    kelurahan = list(book["Kelurahan"].iter_rows(min_row=2, values_only=True))
    assert len(kelurahan) == 68
    assert sum(row[3] for row in kelurahan) == page["s"]  # the S column adds up to the city

    user = city.users["tpps"]
    _token, raw = token_create(actor=user, user=user, name="uji")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api.get("/api/v1/komando/indicators", {"period": PERIOD}).json()
    items = {i["code"]: i for i in body["items"]}
    for code, value in page.items():
        assert items[code]["value"] == value
    assert items["stunted"]["denominator"] == CITY["measured_h"][0]
    assert body["area"] == KOTA
    assert api.get("/api/v1/komando/indicators", {"period": "2026-8"}).status_code == 422
    exports = AuditEvent.objects.filter(action=Action.EXPORT, object_type="komando.rakor")
    assert exports.count() == 2


def test_api_is_scoped(refreshed, city):  # type: ignore[no-untyped-def]
    user = city.users["kelurahan"]
    _token, raw = token_create(actor=user, user=user, name="uji")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert (
        api.get("/api/v1/komando/indicators", {"area": KEL_B, "period": PERIOD}).status_code == 200
    )
    assert (
        api.get("/api/v1/komando/indicators", {"area": KOTA, "period": PERIOD}).status_code == 404
    )
    body = api.get("/api/v1/komando/indicators", {"period": PERIOD}).json()
    assert body["area"] == KEL_B
    kader = city.users["kader"]
    _token, raw = token_create(actor=kader, user=kader, name="uji")
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/komando/indicators").status_code
        == 403
    )


def test_posyandu_level_page_and_list(refreshed, client_for):  # type: ignore[no-untyped-def]
    code = f"pos-{refreshed.pos['a'].pk}"
    client = client_for("tpps")
    html = client.get("/komando/", {"area": code, "period": PERIOD}).content.decode()
    assert "Posyandu Mawar" in html and _page_value(html, "s") == 3
    listing = client.get("/komando/daftar/", {"area": code, "period": PERIOD, "indicator": "t2"})
    assert f"/anak/{refreshed.children['a2'].pk}/" in listing.content.decode()
    # A kelurahan officer of Batu Tulis may not open a posyandu of Sempur.
    assert client_for("kelurahan").get("/komando/", {"area": code}).status_code == 404
