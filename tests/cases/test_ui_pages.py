"""The cases pages end to end with Django's test client: the whole walk (weighing ->
suspected -> verified -> needs -> intervention to an OPD -> the OPD completes it -> next
weighings -> closed recovered), each role's view of the pages, 404 with an audit row out of
scope, and bad input answered with a clear message and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import weigh
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.cases.models import (
    Case,
    CaseNeed,
    CaseStatus,
    Intervention,
    InterventionStatus,
    Outcome,
    Task,
    TaskStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(cw):  # type: ignore[no-untyped-def]
    def make(name: str) -> Client:
        client = Client(HTTP_USER_AGENT="pytest-agent/1.0", REMOTE_ADDR="10.1.2.3")
        client.force_login(cw.users[name])
        return client

    return make


@pytest.fixture
def suspected(cw) -> Case:  # type: ignore[no-untyped-def]
    weigh(cw.child_a, dt.date(2026, 9, 15), length="78.0", weight="9.5", actor=cw.users["kader"])
    return Case.objects.get(child=cw.child_a)


def _in_intervention(cw, case: Case, client_for) -> Task:  # type: ignore[no-untyped-def]
    gizi = client_for("tenaga_gizi")
    gizi.post(f"/kasus/{case.pk}/verifikasi/", {"verify-confirmed": "1", "verify-note": "ok"})
    gizi.post(f"/kasus/{case.pk}/kebutuhan/", {"needs-needs": ["protein_food"]})
    due = timezone.localdate() + dt.timedelta(days=14)
    client_for("tpps").post(
        f"/kasus/{case.pk}/intervensi/",
        {"intervention-need": "protein_food", "intervention-owner": cw.dinkes.pk,
         "intervention-due_date": due.isoformat(), "intervention-package": "telur 30 butir"},
    )  # fmt: skip
    return Task.objects.get(case=case)


def test_the_whole_walk_through_the_pages(cw, suspected, client_for, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    case = suspected
    gizi = client_for("tenaga_gizi")
    listing = gizi.get("/kasus/").content.decode()
    assert cw.child_a.person.name in listing and "terduga" in listing
    page = gizi.get(f"/kasus/{case.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body  # the growth chart beside the timeline
    assert 'data-testid="timeline"' in body and "Verifikasi kasus" in body

    r = gizi.post(
        f"/kasus/{case.pk}/verifikasi/", {"verify-confirmed": "1", "verify-note": "79 cm"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFIED

    r = gizi.post(f"/kasus/{case.pk}/kebutuhan/", {"needs-needs": ["protein_food", "jkn_bpjs"]})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED

    due = timezone.localdate() + dt.timedelta(days=10)
    r = client_for("tpps").post(
        f"/kasus/{case.pk}/intervensi/",
        {"intervention-need": "protein_food", "intervention-owner": cw.dinkes.pk,
         "intervention-due_date": due.isoformat(), "intervention-package": "telur 30 butir"},
    )  # fmt: skip
    assert r.status_code == 302
    task = Task.objects.get(case=case)
    assert task.owner == cw.dinkes and task.status == TaskStatus.OPEN

    opd = client_for("opd")
    inbox = opd.get("/tugas/").content.decode()
    assert task.title in inbox
    assert "Buka Tugas saya" in opd.get("/").content.decode()
    seen = opd.get(f"/kasus/{case.pk}/").content.decode()
    assert "<svg" not in seen and "TB/U" not in seen and "Jl. Veteran" in seen
    assert opd.post(f"/tugas/{task.pk}/terima/").status_code == 302
    photo = SimpleUploadedFile("bukti.jpg", b"\xff\xd8\xff\xe0 foto", content_type="image/jpeg")
    r = opd.post(
        f"/tugas/{task.pk}/selesai/",
        {"complete-note": "Telur diantar ke rumah.", "complete-evidence_file": photo},
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.evidence_file.name.endswith(".jpg")
    evidence = client_for("tenaga_gizi").get(f"/tugas/{task.pk}/bukti/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).endswith(b"foto")
    assert client_for("opd_other").get(f"/tugas/{task.pk}/bukti/").status_code == 404
    assert Intervention.objects.get(task=task).status == InterventionStatus.DELIVERED

    weigh(cw.child_a, dt.date(2026, 11, 10), length="84.5", weight="11.0", actor=cw.users["kader"])
    weigh(cw.child_a, dt.date(2026, 11, 14), length="85.0", weight="11.2", actor=cw.users["kader"])
    page = gizi.get(f"/kasus/{case.pk}/").content.decode()
    assert 'data-testid="suggested"' in page
    r = gizi.post(
        f"/kasus/{case.pk}/tutup/", {"close-outcome": Outcome.RECOVERED, "close-note": ""}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.RECOVERED)
    timeline = gizi.get(f"/kasus/{case.pk}/").content.decode()
    for text in ("Diverifikasi puskesmas", "Kebutuhan dinilai", "Intervensi direncanakan",
                 "Telur diantar ke rumah", "Buka kembali"):  # fmt: skip
        assert text in timeline


def test_another_area_case_is_404_and_audited(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    r = client_for("gizi_b").get(f"/kasus/{suspected.pk}/")
    assert r.status_code == 404
    denied = AuditEvent.objects.filter(
        action=Action.DENIED, object_type="cases.case", object_id=str(suspected.pk)
    )
    assert denied.count() == 1
    assert (
        client_for("gizi_b")
        .post(f"/kasus/{suspected.pk}/verifikasi/", {"verify-confirmed": "1"})
        .status_code
        == 404
    )
    suspected.refresh_from_db()
    assert suspected.status == CaseStatus.SUSPECTED


def test_opd_without_a_task_gets_404(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_intervention(cw, suspected, client_for)
    other = client_for("opd_other")
    assert other.get(f"/kasus/{suspected.pk}/").status_code == 404
    assert other.get(f"/tugas/{task.pk}/").status_code == 404
    assert other.post(f"/tugas/{task.pk}/terima/").status_code == 404
    assert task.title not in other.get("/tugas/").content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("tpps", 200), ("kecamatan", 200), ("kelurahan", 200),
     ("tenaga_gizi", 200), ("kader", 200), ("gizi_b", 404), ("tpps_no_area", 404),
     ("opd", 404), ("partner", 404), ("parent", 404)],
)  # fmt: skip
def test_case_page_for_every_role(cw, suspected, client_for, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert client_for(role).get(f"/kasus/{suspected.pk}/").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("tpps", 200), ("kelurahan", 200), ("tenaga_gizi", 200), ("kader", 200),
     ("opd", 302), ("partner", 403), ("parent", 403)],
)  # fmt: skip
def test_case_list_for_every_role(cw, suspected, client_for, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    r = client_for(role).get("/kasus/")
    assert r.status_code == status
    if status == 200:
        seen = cw.child_a.person.name in r.content.decode()
        assert seen is (role != "tpps_no_area")


def test_list_filters_and_search_by_address(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    weigh(cw.child_b, dt.date(2026, 9, 15), length="78.0", weight="9.5")
    tpps = client_for("tpps")
    both = tpps.get("/kasus/").content.decode()
    assert cw.child_a.person.name in both and cw.child_b.person.name in both
    by_street = tpps.get("/kasus/", {"q": "Veteran"}).content.decode()
    assert cw.child_a.person.name in by_street and cw.child_b.person.name not in by_street
    by_kel = tpps.get("/kasus/", {"kelurahan": cw.kel_b.code}).content.decode()
    assert cw.child_b.person.name in by_kel and cw.child_a.person.name not in by_kel
    suspected_only = tpps.get("/kasus/", {"status": "verified"}).content.decode()
    assert cw.child_a.person.name not in suspected_only
    event = AuditEvent.objects.filter(object_type="cases.case", action=Action.VIEW).latest("pk")
    assert event.detail["list"] is True and event.detail["filtered"] is True


def test_kader_reads_but_cannot_verify(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    kader = client_for("kader")
    assert "Verifikasi kasus" not in kader.get(f"/kasus/{suspected.pk}/").content.decode()
    assert (
        kader.post(f"/kasus/{suspected.pk}/verifikasi/", {"verify-confirmed": "1"}).status_code
        == 403
    )
    suspected.refresh_from_db()
    assert suspected.status == CaseStatus.SUSPECTED


class TestBadInput:
    def test_rejecting_needs_a_reason(self, cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
        r = client_for("tenaga_gizi").post(
            f"/kasus/{suspected.pk}/verifikasi/", {"verify-confirmed": "0", "verify-note": " "}
        )
        assert r.status_code == 422
        assert "tidak boleh kosong" in r.content.decode()
        suspected.refresh_from_db()
        assert suspected.status == CaseStatus.SUSPECTED

    def test_needs_before_verification_is_out_of_order(self, cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
        r = client_for("tenaga_gizi").post(
            f"/kasus/{suspected.pk}/kebutuhan/", {"needs-needs": ["protein_food"]}
        )
        assert r.status_code == 409
        assert "tidak bisa dilakukan" in r.content.decode()
        assert not CaseNeed.objects.filter(case=suspected).exists()

    def test_needs_form_with_nothing_ticked(self, cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
        gizi = client_for("tenaga_gizi")
        gizi.post(f"/kasus/{suspected.pk}/verifikasi/", {"verify-confirmed": "1"})
        r = gizi.post(f"/kasus/{suspected.pk}/kebutuhan/", {"needs-note": "belum tahu"})
        assert r.status_code == 422
        assert "Centang sedikitnya satu kebutuhan" in r.content.decode()
        suspected.refresh_from_db()
        assert suspected.status == CaseStatus.VERIFIED
        assert not CaseNeed.objects.filter(case=suspected).exists()

    def test_due_date_in_the_past_unknown_owner_and_twice(self, cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
        task = _in_intervention(cw, suspected, client_for)
        tpps = client_for("tpps")
        url = f"/kasus/{suspected.pk}/intervensi/"
        base = {"intervention-need": "protein_food", "intervention-owner": cw.dinsos.pk}
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        r = tpps.post(url, {**base, "intervention-due_date": yesterday.isoformat()})
        assert r.status_code == 422 and "sudah lewat" in r.content.decode()
        later = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
        r = tpps.post(url, {**base, "intervention-owner": 999999, "intervention-due_date": later})
        assert r.status_code == 422
        r = tpps.post(
            url, {**base, "intervention-owner": cw.dinkes.pk, "intervention-due_date": later}
        )
        assert r.status_code == 422 and "jangan membuat dua kali" in r.content.decode()
        assert list(Task.objects.filter(case=suspected)) == [task]

    def test_task_reject_needs_a_reason_and_done_task_is_closed(
        self, cw, suspected, client_for
    ) -> None:  # type: ignore[no-untyped-def]
        task = _in_intervention(cw, suspected, client_for)
        opd = client_for("opd")
        r = opd.post(f"/tugas/{task.pk}/tolak/", {"reject-reason": ""})
        assert r.status_code == 422
        task.refresh_from_db()
        assert task.status == TaskStatus.OPEN
        r = opd.post(f"/tugas/{task.pk}/tolak/", {"reject-reason": "Bukan wewenang kami."})
        assert r.status_code == 302
        task.refresh_from_db()
        assert task.status == TaskStatus.REJECTED and task.rejection_reason
        r = opd.post(f"/tugas/{task.pk}/selesai/", {"complete-note": "x"})
        assert r.status_code == 409 and "tidak dapat" in r.content.decode()
        task.refresh_from_db()
        assert task.status == TaskStatus.REJECTED

    def test_progress_is_on_the_task_and_the_case(self, cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
        task = _in_intervention(cw, suspected, client_for)
        opd = client_for("opd")
        r = opd.post(f"/tugas/{task.pk}/kemajuan/", {"progress-text": "Jadwal antar Senin."})
        assert r.status_code == 409  # accept first
        opd.post(f"/tugas/{task.pk}/terima/")
        r = opd.post(f"/tugas/{task.pk}/kemajuan/", {"progress-text": "Jadwal antar Senin."})
        assert r.status_code == 302
        assert "Jadwal antar Senin." in opd.get(f"/tugas/{task.pk}/").content.decode()
        gizi_page = client_for("tenaga_gizi").get(f"/kasus/{suspected.pk}/").content.decode()
        assert "Jadwal antar Senin." in gizi_page


def test_referral_review_close_and_reopen(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.cases.models import Referral

    _in_intervention(cw, suspected, client_for)
    gizi = client_for("tenaga_gizi")
    url = f"/kasus/{suspected.pk}"
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refer = {"referral-reason": "Ke dokter anak", "referral-to_facility": "RSUD"}
    r = gizi.post(f"{url}/rujukan/", {**refer, "referral-referred_on": future})
    assert r.status_code == 422 and "masa depan" in r.content.decode()
    assert not Referral.objects.exists()
    today = timezone.localdate().isoformat()
    refer = {"referral-reason": "Ke dokter anak", "referral-to_facility": "RSUD"}
    r = gizi.post(f"{url}/rujukan/", {**refer, "referral-referred_on": today})
    assert r.status_code == 302 and Referral.objects.get().to_facility == "RSUD"
    assert gizi.post(f"{url}/tinjau/", {"review-note": "Berat naik."}).status_code == 302
    r = gizi.post(f"{url}/tutup/", {"close-outcome": Outcome.MOVED_AWAY, "close-note": "Pindah"})
    assert r.status_code == 302
    suspected.refresh_from_db()
    assert (suspected.status, suspected.outcome) == (CaseStatus.CLOSED, Outcome.MOVED_AWAY)
    r = gizi.post(f"{url}/buka-kembali/", {"reopen-reason": ""})
    assert r.status_code == 422
    suspected.refresh_from_db()
    assert suspected.status == CaseStatus.CLOSED
    r = gizi.post(f"{url}/buka-kembali/", {"reopen-reason": "Kembali ke Bogor."})
    assert r.status_code == 302
    suspected.refresh_from_db()
    assert suspected.status == CaseStatus.VERIFIED and suspected.reopened_count == 1
    page = gizi.get(f"{url}/").content.decode()
    assert "Berat naik." in page and "Kembali ke Bogor." in page and "RSUD" in page


def test_a_pregnancy_case_page_and_list(cw, client_for) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.registry.services import pregnancy_record

    today = timezone.localdate()
    pregnancy_record(
        actor=None, mother=cw.child_a.mother, hpht=today - dt.timedelta(weeks=16),
        lila_cm="22.0", iron_tablets_taken=20, anc_visits=2, today=today,
    )  # fmt: skip
    case = Case.objects.get(pregnancy__mother=cw.child_a.mother, kind="pregnancy_kek")
    gizi = client_for("tenaga_gizi")
    listing = gizi.get("/kasus/", {"jenis": "pregnancy_kek"}).content.decode()
    assert cw.child_a.mother.person.name in listing
    page = gizi.get(f"/kasus/{case.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and cw.child_a.mother.person.name in body
    assert "<svg" not in body and "Verifikasi kasus" in body


def test_referral_outcome_comes_back(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.cases.models import Referral, ReferralStatus

    _in_intervention(cw, suspected, client_for)
    gizi = client_for("tenaga_gizi")
    url = f"/kasus/{suspected.pk}"
    today = timezone.localdate().isoformat()
    refer = {"referral-reason": "Ke dokter anak", "referral-to_facility": "RSUD"}
    gizi.post(f"{url}/rujukan/", {**refer, "referral-referred_on": today})
    referral = Referral.objects.get(case=suspected)
    name = f"referral-{referral.pk}"
    back = {f"{name}-status": "completed", f"{name}-outcome_on": today}
    r = gizi.post(f"{url}/rujukan/{referral.pk}/hasil/", {**back, f"{name}-outcome": ""})
    assert r.status_code == 422 and "Tuliskan hasil rujukan" in r.content.decode()
    done = {**back, f"{name}-outcome": "Tidak ada TB."}
    r = gizi.post(f"{url}/rujukan/{referral.pk}/hasil/", done)
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.outcome == "Tidak ada TB."
    assert "Tidak ada TB." in gizi.get(f"{url}/").content.decode()
    other = client_for("gizi_b").post(f"{url}/rujukan/{referral.pk}/hasil/", {})
    assert other.status_code == 404


def test_escalation_is_visible_on_the_task_the_inbox_and_the_case(
    cw, suspected, client_for
) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.cases.jobs import escalate_overdue_tasks

    task = _in_intervention(cw, suspected, client_for)
    assert escalate_overdue_tasks(today=task.due_date + dt.timedelta(days=8)) >= 2
    task.refresh_from_db()
    assert task.escalation_level == 3
    inbox = client_for("opd").get("/tugas/").content.decode()
    assert "eskalasi 3" in inbox
    page = client_for("opd").get(f"/tugas/{task.pk}/").content.decode()
    assert "eskalasi ke TPPS" in page and "eskalasi ke pimpinan OPD" in page
    case_page = client_for("tpps").get(f"/kasus/{suspected.pk}/").content.decode()
    assert "dieskalasi ke TPPS" in case_page


def test_weighing_result_and_child_page_link_to_the_open_case(cw, client_for) -> None:  # type: ignore[no-untyped-def]
    kader = cw.users["kader"]
    m = weigh(cw.child_a, dt.date(2026, 9, 15), length="78.0", weight="9.5", actor=kader)
    case = Case.objects.get(child=cw.child_a, kind="stunting")
    result = client_for("kader").get(f"/anak/{cw.child_a.pk}/pengukuran/{m.pk}/").content.decode()
    assert f'href="/kasus/{case.pk}/"' in result and "terduga" in result
    page = client_for("kelurahan").get(f"/anak/{cw.child_a.pk}/").content.decode()
    assert f'href="/kasus/{case.pk}/"' in page
    case.status = "closed"
    case.save()
    closed = client_for("kelurahan").get(f"/anak/{cw.child_a.pk}/").content.decode()
    assert "Buka kasus" not in closed


def test_case_list_shows_and_filters_late_tasks(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_intervention(cw, suspected, client_for)
    tpps = client_for("tpps")
    assert "terlambat</span>" not in tpps.get("/kasus/").content.decode()
    assert cw.child_a.person.name not in tpps.get("/kasus/", {"terlambat": "1"}).content.decode()
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    late = tpps.get("/kasus/", {"terlambat": "1"}).content.decode()
    assert cw.child_a.person.name in late and "1 terlambat" in late
    owner = tpps.get("/kasus/", {"pemilik": cw.dinsos.pk}).content.decode()
    assert cw.child_a.person.name not in owner
    inbox = client_for("opd").get("/tugas/", {"terlambat": "1"}).content.decode()
    assert task.title in inbox


def test_case_list_finds_rt_and_rw(cw, suspected, client_for) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.wilayah.services import rw_rt_ensure

    family = cw.child_a.person.family
    family.rw, family.rt = rw_rt_ensure(kelurahan=cw.kel_a, rw=3, rt=2)
    family.save()
    tpps = client_for("tpps")
    assert cw.child_a.person.name in tpps.get("/kasus/", {"q": "Veteran RW 3"}).content.decode()
    assert cw.child_a.person.name in tpps.get("/kasus/", {"q": "RT 002"}).content.decode()
    assert cw.child_a.person.name not in tpps.get("/kasus/", {"q": "RW 4"}).content.decode()
