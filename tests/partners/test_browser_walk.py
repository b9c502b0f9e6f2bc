"""The partners loop in Chromium (Playwright, Debian's /usr/bin/chromium, never downloaded):
a need on a case -> the company pledges -> TPPS approves -> the company records the delivery
-> the kader verifies -> the case timeline shows it -> the bapak asuh, on a phone, sees the
child's trend and next weighing and logs a visit."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    horizontal_overflow,
    login,
    missing_browser,
)
from tests.partners.conftest import Town
from tests.web.factories import PASSWORD
from tumbuh.cases.models import CaseEvent, EventKind
from tumbuh.partners.models import DeliveryStatus, Pledge, Visit
from tumbuh.registry.services import measurement_record

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(missing_browser()), reason=missing_browser() or "ok"),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def open_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(viewport: dict[str, int] = DESKTOP) -> Any:
        context = chromium.new_context(
            base_url=live_server.url, viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    if contexts and os.environ.get("CI") != "true":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        contexts[-1].pages[-1].screenshot(
            path=str(SCREENSHOTS / "partners_walk.png"), full_page=True
        )
    for context in contexts:
        context.close()


def test_need_pledge_delivery_verification_and_a_visit_on_a_phone(
    transactional_db: None, town: Town, open_page: Any
) -> None:
    today = timezone.localdate()
    for months in (3, 2, 1):
        measurement_record(
            actor=None,
            child=town.child_a,
            measured_on=today - dt.timedelta(days=30 * months),
            weight_kg="8.1",
            length_cm=f"{70 + 0.5 * (3 - months):.1f}",
            position="l",
            today=today,
        )

    company = open_page()
    login(company, "company", PASSWORD)
    company.goto("/mitra/kebutuhan/")
    row = company.locator("table tbody tr", has_text="Paket BAAS").filter(has_text="Sempur")
    assert "Siti" not in company.content()
    row.get_by_role("link", name="Bantu").click()
    company.get_by_role("button", name="Kirim janji bantuan").click()
    assert "menunggu persetujuan TPPS" in company.locator(".messages").inner_text()
    pledge = Pledge.objects.get(need=town.need_baas)

    tpps = open_page()
    login(tpps, "tpps", PASSWORD)
    tpps.goto("/mitra/tpps/janji/")
    tpps.locator("section", has_text="PT Sehat Sentosa").get_by_role(
        "button", name="Setujui"
    ).click()
    assert "disetujui" in tpps.locator(".messages").inner_text()

    company.goto(f"/mitra/janji/{pledge.pk}/")
    company.get_by_label("Apa dan berapa yang diantar").fill("1 paket makanan")
    company.get_by_role("button", name="Simpan pengantaran").click()
    assert "menunggu verifikasi kader" in company.locator(".messages").inner_text()

    kader = open_page(PHONE)
    login(kader, "kader", PASSWORD)
    kader.goto("/mitra/verifikasi/")
    kader.get_by_role("link", name="Verifikasi", exact=True).click()
    kader.get_by_label("Ya, diterima").check()
    kader.get_by_label("Catatan bukti").fill("Diterima ibu, dimasak hari ini")
    kader.get_by_role("button", name="Simpan verifikasi").click()
    assert "riwayat kasus" in kader.locator(".messages").inner_text()
    assert pledge.deliveries.filter(status=DeliveryStatus.VERIFIED).count() == 1
    assert CaseEvent.objects.filter(
        case=town.case_a, kind=EventKind.CONTRIBUTION, text__contains="diterima keluarga"
    ).exists()

    patron = open_page(PHONE)
    login(patron, "patron", PASSWORD)
    patron.goto("/mitra/anak-asuh/")
    assert horizontal_overflow(patron) == 0
    card = patron.locator("section.card").first
    assert town.patronage.pseudonym in card.inner_text()
    assert "Penimbangan berikutnya" in card.inner_text()
    assert card.locator("svg.trend").count() == 1
    assert "Paket BAAS dari PT Sehat Sentosa" in card.inner_text()
    card.get_by_role("link", name="Catat kunjungan").click()
    patron.get_by_label("Ya", exact=True).check()
    patron.get_by_label("Yang ikut datang").fill("Kader Mawar")
    patron.locator("#id_note").fill("Anak ceria, makan telur")
    patron.get_by_role("button", name="Simpan kunjungan").click()
    assert "Kunjungan tercatat" in patron.locator(".messages").inner_text()
    assert horizontal_overflow(patron) == 0
    assert Visit.objects.filter(patronage=town.patronage, visited_on=today).exists()
    assert "Siti" not in patron.content() and "3271034101250001" not in patron.content()
