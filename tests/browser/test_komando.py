"""The TPPS officer before a rakor, in a real browser: lands on the command centre, drills from
the city to a kecamatan, a kelurahan and the children behind a number, and downloads the rakor
PDF, which is opened and checked (pages, the same figures)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.support import login

pytestmark = pytest.mark.browser


def test_tpps_drills_down_and_downloads_the_rakor_pdf(town, open_page):
    from pypdf import PdfReader

    from tumbuh.komando.services import stats_refresh_month

    # Siti's last weighing is last month: that month's figures.
    month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    stats_refresh_month(month=month, city_code="32.71")
    period = f"{month:%Y-%m}"

    page = open_page()
    login(page, town.tpps.username)
    assert page.url.endswith("/komando/")
    page.get_by_label("Bulan").select_option(period)
    page.get_by_role("button", name="Tampilkan").click()
    weighed_city = page.locator('#ind-d [data-indicator="d"]').inner_text()
    assert weighed_city == "1"  # only Siti was weighed that month
    assert page.locator("#tiles .tile").count() == 68

    page.locator("#ranking").get_by_role("link", name="Bogor Tengah").click()
    assert "Bogor Tengah" in page.get_by_role("heading", level=1).inner_text()
    page.locator("#ranking").get_by_role("link", name="Sempur").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "Sempur" in heading and period[:4] in page.url
    assert page.locator('#ind-s [data-indicator="s"]').inner_text() == "2"  # Siti and Rizky

    page.locator('#ind-d [data-indicator="d"]').click()
    assert page.locator("#drill-count").inner_text().startswith("1 data")
    page.get_by_role("link", name="Siti Rahmawati").click()
    assert re.search(r"/anak/\d+/$", page.url)
    page.go_back()
    page.get_by_role("link", name=re.compile("Kembali ke pusat komando")).click()

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh bahan rakor (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"rakor-3271031006-{period}.pdf"
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(reader.pages) >= 1
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Sempur" in text
    d_line = next(line for line in text.splitlines() if line.startswith("D: balita ditimbang"))
    assert d_line.split()[-3:-1] == ["1", "2"]  # D = 1 of S = 2, as on the page
