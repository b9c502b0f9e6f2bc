"""Issue 12: the kader's whole path on a 390 px phone: find the child, weigh, confirm a
flagged value (the second step keeps what was typed), then correct the mistaken one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.support import PHONE, horizontal_overflow, login
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.registry.models import Measurement

pytestmark = pytest.mark.browser


def test_kader_confirms_a_flagged_weight_and_then_corrects_it(town, open_page):
    page = open_page(PHONE)
    login(page, town.kader.username)
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Penimbangan", exact=True
    ).click()
    page.get_by_label("Cari nama anak, nama ibu, NIK atau KK").fill("Rizky")
    page.get_by_role("button", name="Cari").click()
    row = page.locator("table tbody tr", has_text="Rizky Maulana")
    button = row.get_by_role("link", name="Timbang")
    assert button.is_visible()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert horizontal_overflow(page) == 0
    row.get_by_role("link", name="Timbang").click()

    # 1,16 kg for a child of 20 months: possible to type, implausible (BB/U far below -6 SD).
    page.get_by_label("Berat badan (kg)").fill("1,16")
    page.get_by_label("Panjang/tinggi badan (cm)").fill("81,5")
    page.get_by_label("Berbaring").check()
    page.get_by_role("button", name="Simpan dan lihat hasil").click()
    step = page.locator(".confirm-step")
    assert "Periksa dulu" in step.inner_text() and "BB/U" in step.inner_text()
    assert page.get_by_label("Berat badan (kg)").input_value() == "1,16"  # kept as typed
    assert page.get_by_label("Panjang/tinggi badan (cm)").input_value() == "81,5"
    assert horizontal_overflow(page) == 0
    assert not Measurement.objects.filter(child=town.rizky).exists()
    page.get_by_role("button", name="Ya, sudah diperiksa dan benar — simpan").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Hasil pengukuran"
    stored = Measurement.objects.get(child=town.rizky)
    assert stored.weight_kg == Decimal("1.16") and stored.confirmed_warnings
    assert horizontal_overflow(page) == 0

    # It was 11,6 kg: correct it with a reason.
    page.get_by_role("link", name="Perbaiki").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Perbaiki pengukuran"
    assert page.get_by_label("Berat badan (kg)").input_value() == "1,16"
    page.get_by_label("Berat badan (kg)").fill("11,6")
    page.get_by_label("Alasan perbaikan").fill("salah letak koma")
    assert horizontal_overflow(page) == 0
    page.get_by_role("button", name="Simpan perbaikan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hasil pengukuran"
    assert "dihitung ulang" in page.locator(".messages").inner_text()
    stored.refresh_from_db()
    assert stored.weight_kg == Decimal("11.6") and not stored.fwei
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="registry.measurement")
    assert event.detail["reason"] == "salah letak koma"
    assert horizontal_overflow(page) == 0


def test_measurement_table_fits_a_1366_px_desktop(town, open_page):
    page = open_page({"width": 1366, "height": 768})
    login(page, town.kader.username)
    page.goto(f"/anak/{town.siti.pk}/")
    wrap = page.locator("h2:has-text('Riwayat pengukuran') + .table-wrap")
    scroll, client = wrap.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll <= client, (scroll, client)
    assert horizontal_overflow(page) == 0
