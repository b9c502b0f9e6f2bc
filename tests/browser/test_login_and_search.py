"""Login and child search in a real browser: the Indonesian error on a wrong password, each
role on its own landing page, search by name and by NIK with the NIK masked in the list, and a
kader who sees only the children of their own posyandu."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.support import PASSWORD, horizontal_overflow, login

pytestmark = pytest.mark.browser


def test_wrong_password_shows_an_indonesian_error(town, open_page):
    page = open_page()
    page.goto("/anak/")  # a protected page sends the visitor to the login form
    assert "/akun/masuk/" in page.url
    page.get_by_label("Nama pengguna").fill(town.kader.username)
    page.get_by_label("Kata sandi").fill("salah-sandi")
    page.get_by_role("button", name="Masuk").click()
    error = page.locator(".errorlist")
    assert "Nama pengguna atau kata sandi salah" in error.inner_text()
    assert "nama pengguna nama pengguna" not in error.inner_text().lower()
    assert "Please enter" not in page.content()
    assert page.locator(".brand").inner_text() == "Tumbuh"  # not the server's host name
    assert page.get_by_label("Nama pengguna").input_value() == town.kader.username
    assert page.get_by_label("Kata sandi").input_value() == ""


def test_kader_lands_on_the_posyandu_dashboard(town, open_page):
    page = open_page()
    login(page, town.kader.username)
    assert urlsplit(page.url).path == "/"
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Ringkasan") and "Mawar" in heading
    assert "Kader posyandu" in page.locator("header .who").inner_text()
    menu = page.get_by_role("navigation", name="Menu utama")
    assert menu.get_by_role("link", name="Penimbangan", exact=True).is_visible()
    under_five = page.locator(".stat", has_text="Balita terdaftar").locator(".n").inner_text()
    assert under_five == "2"  # Siti and Rizky; Bagus is at another posyandu


def test_tpps_lands_on_the_city_command_centre(town, open_page):
    page = open_page()
    login(page, town.tpps.username, PASSWORD)
    assert urlsplit(page.url).path == "/komando/"  # issue 9: the TPPS landing page
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Pusat komando") and "Bogor" in heading
    menu = page.get_by_role("navigation", name="Menu utama")
    assert menu.get_by_role("link", name="Cari anak").is_visible()
    assert page.get_by_role("link", name="Penimbangan").count() == 0  # TPPS does not weigh


def _result_rows(page):
    return page.locator("table tbody tr")


def test_search_by_name_and_by_nik_masks_the_nik(town, open_page):
    page = open_page()
    login(page, town.tpps.username)
    page.get_by_role("link", name="Cari anak").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cari anak"

    page.get_by_label("Nama, NIK, nomor KK, atau nama ibu").fill("rahma")
    page.get_by_role("button", name="Cari").click()
    rows = _result_rows(page)
    assert rows.count() == 1
    assert "Siti Rahmawati" in rows.first.inner_text()

    spaced = " ".join(re.findall(r"\d{4}", town.siti_nik))  # typed as 3271 0351 ...
    page.get_by_label("Nama, NIK, nomor KK, atau nama ibu").fill(spaced)
    page.get_by_role("button", name="Cari").click()
    rows = _result_rows(page)
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "Siti Rahmawati" in row and "Dewi Lestari" in row
    masked = town.siti_nik[:4] + "*" * 8 + town.siti_nik[-4:]
    assert masked in row
    assert town.siti_nik not in page.locator("table").inner_text()
    assert horizontal_overflow(page) == 0


def test_kader_sees_only_the_children_of_their_posyandu(town, open_page):
    page = open_page()
    login(page, town.kader.username)
    page.goto("/anak/")
    names = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == ["Rizky Maulana", "Siti Rahmawati"]
    page.get_by_label("Nama, NIK, nomor KK, atau nama ibu").fill("Bagus Pratama")
    page.get_by_role("button", name="Cari").click()
    assert "Tidak ada anak yang cocok" in _result_rows(page).first.inner_text()
    # Opening another posyandu's child by its address answers "not found".
    assert page.request.get(f"/anak/{town.bagus.pk}/").status == 404
