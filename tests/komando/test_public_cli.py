"""The public statistics page (opt-in, small counts suppressed) and ``tumbuh report rakor``."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.komando.conftest import KOTA, MONTH, weigh
from tumbuh.cli import main
from tumbuh.komando.selectors import public_share, suppressed
from tumbuh.komando.services import stats_refresh_month

pytestmark = pytest.mark.django_db
PERIOD = f"{MONTH:%Y-%m}"
RAKOR = ["report", "rakor", "--period"]


def test_public_page_is_off_unless_the_city_opts_in(refreshed, settings):  # type: ignore[no-untyped-def]
    settings.KOMANDO_PUBLIC_CITIES = []
    assert Client().get("/komando/publik/").status_code == 404


def test_public_page_never_shows_a_count_below_five(refreshed, settings):  # type: ignore[no-untyped-def]
    settings.KOMANDO_PUBLIC_CITIES = [KOTA]
    # Five more stunted children in Sempur: the kecamatan's stunted count reaches 7.
    from tests.web.factories import ChildFactory

    for _ in range(5):
        child = ChildFactory(person__family__kelurahan=refreshed.kel["32.71.03.1006"])
        weigh(child, MONTH.replace(day=12), category_tbu="stunted")
    stats_refresh_month(month=MONTH, city_code=KOTA)
    html = Client().get("/komando/publik/", {"period": PERIOD}).content.decode()
    table = html[html.index('id="public"') :]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert cells, "table rendered"
    for cell in cells:
        if cell.strip().isdigit():
            assert int(cell) >= 5, cell
    assert "&lt; 5" in table
    assert "Bogor Tengah" in table and "Kota Bogor" in table
    assert "Sempur" not in table and "Anak Uji" not in table  # no kelurahan, no names


def test_suppression_rules():  # type: ignore[no-untyped-def]
    assert suppressed(4) == "< 5" and suppressed(5) == "5"
    assert public_share(4, 100) == "—" and public_share(5, 4) == "—"
    assert public_share(5, 10) == "50,0 %"


def test_cli_writes_pdf_and_xlsx_with_the_page_numbers(refreshed, tmp_path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    pdf = tmp_path / "rakor.pdf"
    result = runner.invoke(
        main,
        ["report", "rakor", "--period", PERIOD, "--area", KOTA, "--format", "pdf", "-o", str(pdf)],
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Bahan rapat koordinasi TPPS" in text and "Tindak lanjut" in text
    xlsx = tmp_path / "rakor.xlsx"
    result = runner.invoke(
        main,
        [
            "report",
            "rakor",
            "--period",
            PERIOD,
            "--area",
            "32.71.03",
            "--format",
            "xlsx",
            "-o",
            str(xlsx),
        ],
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(xlsx, read_only=True)
    summary = {row[1]: row for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["s"][3] == 4 and summary["stunted"][3:5] == (2, 3)


def test_cli_refuses_bad_options_with_a_clear_message(refreshed, tmp_path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    out = str(tmp_path / "x.pdf")
    result = runner.invoke(
        main, ["report", "rakor", "--period", "08-2026", "--format", "pdf", "-o", out]
    )
    assert result.exit_code == 2 and "TTTT-BB" in result.output
    result = runner.invoke(
        main,
        ["report", "rakor", "--period", PERIOD, "--area", "99.99", "--format", "pdf", "-o", out],
    )
    assert result.exit_code == 2 and "99.99" in result.output
