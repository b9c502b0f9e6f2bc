"""The kader's weighing on a phone (390x844): find the child, type weight and length, see the
engine's verdict at once; an impossible value is refused with everything typed kept. And the
child page: the measurement history and the three SVG growth charts."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import PHONE, SITI_SERIES, horizontal_overflow, login
from tumbuh.registry.models import Measurement

pytestmark = pytest.mark.browser

Z_SCORE = re.compile(r"^-?\d+,\d\d$")  # two decimals, decimal comma (Bahasa Indonesia)


def _open_weighing_form(page, name: str) -> None:
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Penimbangan", exact=True
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Penimbangan"
    page.get_by_label("Cari nama anak, nama ibu, NIK atau KK").fill(name.split()[0])
    page.get_by_role("button", name="Cari").click()
    row = page.locator("table tbody tr", has_text=name)
    assert row.count() == 1
    row.get_by_role("link", name="Timbang").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Catat pengukuran"
    assert name in page.locator(".card").first.inner_text()


def test_kader_weighs_a_child_on_a_phone_and_sees_the_verdict(town, open_page):
    page = open_page(PHONE)
    login(page, town.kader.username)
    assert horizontal_overflow(page) == 0
    _open_weighing_form(page, "Siti Rahmawati")
    assert horizontal_overflow(page) == 0
    # Under two years the form proposes lying length; the date defaults to today.
    assert page.get_by_label("Berbaring").is_checked()
    assert page.get_by_label("Tanggal ukur").input_value() != ""
    page.get_by_label("Berat badan (kg)").fill("7,9")
    page.get_by_label("Panjang/tinggi badan (cm)").fill("70,1")
    page.get_by_label("Nama pengukur").fill("Bu Eni")
    page.get_by_role("button", name="Simpan dan lihat hasil").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Hasil pengukuran"
    assert "Pengukuran tersimpan." in page.locator(".messages").inner_text()
    facts = page.locator("dl.facts")
    values = dict(
        zip(
            facts.locator("dt").all_inner_texts(),
            facts.locator("dd").all_inner_texts(),
            strict=True,
        )
    )
    assert values["Berat badan"].startswith("7,90 kg")  # decimal comma, as typed
    for index in ("TB/U", "BB/U", "BB/TB", "IMT/U"):
        z = values[index].split()[0]
        assert Z_SCORE.match(z), (index, values[index])
    # A girl of 14 months at 70.1 cm is below -2 SD length-for-age: "Pendek" (stunted).
    assert facts.locator("dd .tag").first.inner_text() in ("Pendek", "Sangat pendek")
    assert page.locator(".notice").count() >= 1  # the warnings (or "no warnings") for the kader
    assert page.get_by_role("link", name="Timbang anak lain").is_visible()
    assert horizontal_overflow(page) == 0
    stored = Measurement.objects.filter(child=town.siti).order_by("measured_on").last()
    assert stored is not None and str(stored.weight_kg) == "7.90"
    assert stored.measured_by_name == "Bu Eni"


def test_an_impossible_weight_is_refused_and_the_typed_values_are_kept(town, open_page):
    page = open_page(PHONE)
    login(page, town.kader.username)
    _open_weighing_form(page, "Rizky Maulana")
    page.get_by_label("Berat badan (kg)").fill("115")  # 11,5 typed without the comma
    page.get_by_label("Panjang/tinggi badan (cm)").fill("81,5")
    page.get_by_label("Berdiri").check()
    page.get_by_label("Nama pengukur").fill("Bu Eni")
    page.get_by_role("button", name="Simpan dan lihat hasil").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Catat pengukuran"
    assert "Data belum tersimpan" in page.locator(".notice.danger").inner_text()
    error = page.locator(".field-error .errorlist").first.inner_text()
    assert "Berat badan 115 kg tidak mungkin" in error
    assert page.get_by_label("Berat badan (kg)").input_value() == "115"
    assert page.get_by_label("Panjang/tinggi badan (cm)").input_value() == "81,5"
    assert page.get_by_label("Berdiri").is_checked()
    assert page.get_by_label("Nama pengukur").input_value() == "Bu Eni"
    assert horizontal_overflow(page) == 0
    assert not Measurement.objects.filter(child=town.rizky).exists()


def test_child_page_shows_the_measurements_and_the_growth_charts(town, open_page):
    page = open_page()
    login(page, town.tpps.username)
    page.goto("/anak/")
    page.get_by_role("link", name="Siti Rahmawati").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Siti Rahmawati")
    identity = page.locator("dl.facts").first.inner_text()
    assert town.siti_nik not in identity and town.siti_nik[-4:] in identity  # masked NIK

    history = page.locator("h2:has-text('Riwayat pengukuran') + .table-wrap tbody tr")
    assert history.count() == len(SITI_SERIES)
    newest = history.first.locator("td").all_inner_texts()
    assert newest[2] == "7,80"
    assert Z_SCORE.match(newest[5].rstrip(" ⚠")), newest

    charts = page.locator(".card.chart svg")
    assert charts.count() == 3
    titles = [charts.nth(i).locator("title").first.text_content() for i in range(3)]
    assert any("panjang" in t.lower() or "tinggi" in t.lower() for t in titles), titles
    for i in range(3):
        chart = charts.nth(i)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200
        # every weighing is a point on the length- and weight-for-age charts
        points = chart.locator("g.tumbuh-child circle").count()
        assert points == len(SITI_SERIES), (titles[i], points)
    assert horizontal_overflow(page) == 0
