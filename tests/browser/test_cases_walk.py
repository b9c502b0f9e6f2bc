"""The whole satu-komando walk in the browser (issue 7): a kader's weighing on a phone opens a
suspected case -> the tenaga gizi verifies it and ticks the needs -> TPPS assigns an
intervention to an OPD -> the OPD accepts and completes it with a photo, on a phone -> the
next weighings mark the case ready to close -> the tenaga gizi closes it as recovered.

Screenshots of each step (phone 390 px and desktop) go to ``var/screenshots/cases-*.png``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.support import (
    DESKTOP,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    horizontal_overflow,
    login,
    months_before,
)

pytestmark = pytest.mark.browser

AGE_MONTHS = 18


def _length(age_days: int, z: float) -> str:
    from tumbuh.growth.lms import value_at
    from tumbuh.growth.tables import Table, load

    return f"{float(value_at(z, *load(Table.LHFA).row(2, age_days))):.1f}"


def _weight(age_days: int, z: float) -> str:
    from tumbuh.growth.lms import value_at
    from tumbuh.growth.tables import Table, load

    return f"{float(value_at(z, *load(Table.WFA).row(2, age_days))):.1f}"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"cases-{name}.png"), full_page=True)


@pytest.fixture
def walk_town(town, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The town plus a tenaga gizi at Puskesmas Sempur, Dinkes with an officer, the needs
    catalogue, and Ayu (a girl at Posyandu Mawar) whose length-for-age fell from -1.5 to -1.8 SD
    from 7 to 5 months ago."""
    from django.utils import timezone

    from tumbuh.accounts.models import Role, User
    from tumbuh.cases.reference import needs_load
    from tumbuh.organisations.models import Kind, Membership, Organisation
    from tumbuh.registry.services import child_register, measurement_record
    from tumbuh.wilayah.models import Posyandu, Puskesmas, Region

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    puskesmas = Puskesmas.objects.get(name="Sempur")
    gizi = User(username="gizi.sempur", first_name="Rina", last_name="Gizi",
                role=Role.NUTRITION_OFFICER, puskesmas=puskesmas)  # fmt: skip
    gizi.set_password(PASSWORD)
    gizi.save()
    dinkes = Organisation.objects.create(code="dinkes-uji", name="Dinas Kesehatan",
                                         short_name="Dinkes", kind=Kind.OPD)  # fmt: skip
    opd = User(username="opd.dinkes", first_name="Budi", last_name="Dinkes", role=Role.OPD)
    opd.set_password(PASSWORD)
    opd.save()
    Membership.objects.create(user=opd, organisation=dinkes)
    needs_load()
    birth = months_before(today, AGE_MONTHS)
    ayu = child_register(
        actor=None, name="Ayu Lestari", sex=2, birth_date=birth, mother_name="Wulan Sari",
        kelurahan=Region.objects.get(code="32.71.03.1006"), rw=4, rt=1,
        address_line="Jl. Veteran No. 12", posyandu=Posyandu.objects.get(name="Mawar"),
        birth_weight_kg=3.0, birth_length_cm=49, consent_given_by="Wulan Sari",
        consent_relationship="Ibu", is_demo=True, today=today,
    )  # fmt: skip
    for months_ago, z in ((7, -1.5), (6, -1.65), (5, -1.8)):
        day = months_before(today, months_ago)
        age = (day - birth).days
        measurement_record(actor=None, child=ayu, measured_on=day, weight_kg=_weight(age, -1.0),
                           length_cm=_length(age, z), position="l", today=today)  # fmt: skip
    return {"gizi": gizi, "opd": opd, "dinkes": dinkes, "ayu": ayu, "birth": birth, "today": today}


def _kader_weighs(page: Any, day: dt.date, birth: dt.date, z_len: float) -> None:
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Penimbangan", exact=True
    ).click()
    page.get_by_label("Cari nama anak, nama ibu, NIK atau KK").fill("Ayu")
    page.get_by_role("button", name="Cari").click()
    page.locator("table tbody tr", has_text="Ayu Lestari").get_by_role(
        "link", name="Timbang"
    ).click()
    age = (day - birth).days
    page.get_by_label("Tanggal ukur").fill(day.isoformat())
    page.get_by_label("Berat badan (kg)").fill(_weight(age, -1.0).replace(".", ","))
    page.get_by_label("Panjang/tinggi badan (cm)").fill(_length(age, z_len).replace(".", ","))
    page.get_by_label("Berbaring").check()
    page.get_by_label("Nama pengukur").fill("Bu Eni")
    page.get_by_role("button", name="Simpan dan lihat hasil").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hasil pengukuran"


def test_weighing_to_recovered_through_the_pages(walk_town, town, open_page) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.cases.models import Case, CaseStatus, Outcome, Task, TaskStatus
    from tumbuh.registry.services import measurement_record

    w = walk_town
    ayu, birth, today = w["ayu"], w["birth"], w["today"]

    # 1. the kader weighs Ayu on a phone (3 months ago, back-dated from the posyandu book)
    kader = open_page(PHONE)
    login(kader, town.kader.username)
    _kader_weighs(kader, months_before(today, 3), birth, -2.2)
    case = Case.objects.get(child=ayu)
    assert case.status == CaseStatus.SUSPECTED
    assert "terduga" in kader.get_by_test_id("child-case").inner_text()  # the kader sees it
    assert horizontal_overflow(kader) == 0
    _shot(kader, "1-kader-weighing-phone")

    # 2. the tenaga gizi verifies and assesses the needs (desktop)
    gizi = open_page(DESKTOP)
    login(gizi, w["gizi"].username)
    gizi.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Kasus").click()
    gizi.get_by_role("link", name="Ayu Lestari").click()
    assert gizi.get_by_test_id("case-status").inner_text() == "terduga"
    assert gizi.locator(".chart svg").count() == 1
    _shot(gizi, "2-suspected-desktop")
    gizi.get_by_label("Terkonfirmasi (diukur ulang, hasilnya sama)").check()
    gizi.get_by_label("Catatan (wajib bila ditolak: sebutkan alasannya)").fill("Diukur ulang.")
    gizi.get_by_role("button", name="Simpan verifikasi").click()
    assert gizi.get_by_test_id("case-status").inner_text() == "terverifikasi"
    # nothing ticked: a clear message, nothing stored
    gizi.get_by_role("button", name="Simpan kebutuhan").click()
    assert "Centang sedikitnya satu kebutuhan" in gizi.content()
    _shot(gizi, "3-needs-error-desktop")
    gizi.get_by_label("Makanan sumber protein hewani (telur/ikan) atau paket BAAS").check()
    gizi.get_by_role("button", name="Simpan kebutuhan").click()
    assert gizi.get_by_test_id("case-status").inner_text() == "kebutuhan dinilai"

    # 3. TPPS assigns the intervention to Dinkes
    tpps = open_page(DESKTOP)
    login(tpps, town.tpps.username)
    tpps.goto(f"/kasus/{case.pk}/")
    tpps.get_by_label("Kebutuhan yang ditangani").select_option(value="protein_food")
    tpps.get_by_label("Penanggung jawab (OPD atau mitra)").select_option(value=str(w["dinkes"].pk))
    tpps.get_by_label("Tenggat").fill((today + dt.timedelta(days=14)).isoformat())
    tpps.get_by_label("Jumlah / paket (mis. PMT 90 hari)").fill("telur 30 butir/bulan")
    tpps.get_by_role("button", name="Kirim tugas").click()
    assert tpps.get_by_test_id("case-status").inner_text() == "dalam intervensi"
    task = Task.objects.get(case=case)

    # 4. the OPD accepts and completes it with a photo, on a phone
    opd = open_page(PHONE)
    login(opd, w["opd"].username)
    opd.get_by_role("link", name="Buka Tugas saya").click()
    opd.get_by_test_id("task").first.wait_for()
    assert opd.get_by_test_id("task").count() == 1
    assert horizontal_overflow(opd) == 0
    _shot(opd, "4-opd-inbox-phone")
    opd.get_by_test_id("task").get_by_role("link").click()
    assert "TB/U" not in opd.content()  # no clinical detail for the OPD
    opd.get_by_role("button", name="Terima tugas").click()
    assert opd.get_by_test_id("task-status").inner_text() == "diterima"
    opd.get_by_label("Apa yang sudah diberikan/dikerjakan").fill("Telur diantar ke rumah.")
    opd.get_by_label("Bukti (foto atau berkas, tidak wajib)").set_input_files(
        files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}]
    )
    opd.get_by_role("button", name="Tandai selesai").click()
    assert opd.get_by_test_id("task-status").inner_text() == "selesai"
    assert horizontal_overflow(opd) == 0
    _shot(opd, "5-opd-done-phone")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.evidence_file

    # 5. the next weighings: one from the posyandu book, one by the kader today
    day = months_before(today, 1)
    age = (day - birth).days
    measurement_record(actor=None, child=ayu, measured_on=day, weight_kg=_weight(age, -1.0),
                       length_cm=_length(age, -1.9), position="l", today=today)  # fmt: skip
    _kader_weighs(kader, today, birth, -1.85)
    case.refresh_from_db()
    assert case.suggested_outcome == Outcome.RECOVERED

    # 6. the tenaga gizi closes the case as recovered
    gizi.goto(f"/kasus/{case.pk}/")
    assert gizi.get_by_test_id("suggested").is_visible()
    gizi.get_by_label("Hasil akhir").select_option(value="recovered")
    gizi.get_by_role("button", name="Tutup kasus").click()
    assert gizi.get_by_test_id("case-status").inner_text() == "ditutup"
    timeline = gizi.get_by_test_id("timeline").inner_text()
    for text in ("Diverifikasi puskesmas", "Kebutuhan dinilai", "Intervensi direncanakan",
                 "Telur diantar ke rumah."):  # fmt: skip
        assert text in timeline
    _shot(gizi, "6-closed-desktop")
    phone = open_page(PHONE)
    login(phone, w["gizi"].username)
    phone.goto(f"/kasus/{case.pk}/")
    assert horizontal_overflow(phone) == 0
    _shot(phone, "7-closed-phone")
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.RECOVERED)


def test_prevention_list_and_case_list_on_a_phone(town, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(PHONE)
    login(page, town.kader.username)
    nav = page.get_by_role("navigation", name="Menu utama")
    nav.get_by_role("link", name="Berisiko").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Berisiko stunting"
    card = page.locator(".worklist", has_text="Rizky Maulana")
    assert "Belum pernah ditimbang." in card.inner_text()
    assert "Bagus Pratama" not in page.content()  # another posyandu
    assert horizontal_overflow(page) == 0
    _shot(page, "8-prevention-phone")
    nav.get_by_role("link", name="Kasus").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kasus"
    assert horizontal_overflow(page) == 0
    _shot(page, "9-case-list-phone")
