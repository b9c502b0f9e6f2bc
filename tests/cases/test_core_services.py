"""Services beyond the walk: scope and role guards, referrals, free timeline lines, reopening,
task scope per role, and the reference data loader (idempotent)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from tests.cases.conftest import TODAY, weigh
from tumbuh.cases.errors import CaseInputError, TransitionError
from tumbuh.cases.models import Case, CaseKind, CaseStatus, EventKind, NeedCategory, Outcome
from tumbuh.cases.selectors import allowed_transitions, tasks_visible_to
from tumbuh.cases.services import (
    case_assess,
    case_close,
    case_event_add,
    case_reopen,
    case_review,
    case_verify,
    intervention_plan,
    referral_create,
    referral_outcome,
    task_accept,
)
from tumbuh.organisations.models import Kind, OpdType, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(cw):  # type: ignore[no-untyped-def]
    weigh(cw.child_a, dt.date(2026, 11, 1), length="78.0", weight="9.6")
    return Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)


def test_guards_role_and_scope(cw, case_a):
    with pytest.raises(PermissionDenied):
        case_verify(case=case_a, actor=cw.users["kader"], confirmed=True, note="")
    with pytest.raises(PermissionDenied):  # the other puskesmas: out of scope
        case_verify(case=case_a, actor=cw.users["gizi_b"], confirmed=True, note="")
    assert allowed_transitions(case_a, cw.users["kader"]) == []
    assert set(allowed_transitions(case_a, cw.users["tenaga_gizi"])) == {
        "verify", "reject", "close_unverified"}  # fmt: skip
    with pytest.raises(CaseInputError) as err:
        case_close(case=case_a, outcome=Outcome.STILL_STUNTED_AT_5, actor=cw.users["tpps"])
    assert err.value.field == "outcome"
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.SUSPECTED


def test_review_needs_intervention_and_a_note(cw, case_a):
    gizi = cw.users["tenaga_gizi"]
    with pytest.raises(TransitionError):
        case_review(case=case_a, actor=gizi, note="Baik.")
    case_verify(case=case_a, actor=gizi, confirmed=True, note="")
    case_assess(case=case_a, actor=gizi, needs=["pmt"], note="")
    intervention_plan(case=case_a, need="pmt", owner=cw.dinkes, actor=gizi,
                      due_date=TODAY, today=TODAY)  # fmt: skip
    with pytest.raises(CaseInputError):
        case_review(case=case_a, actor=cw.users["kelurahan"], note=" ")
    case = case_review(case=case_a, actor=cw.users["kelurahan"], note="Kunjungan rumah: baik.")
    assert case.last_reviewed_at is not None
    with pytest.raises(CaseInputError):  # adding needs: all already assessed
        case_assess(case=case_a, actor=gizi, needs=["pmt"], note="")
    case_assess(case=case_a, actor=gizi, needs=["pmt", "sanitation"], note="")
    assert set(case_a.needs.values_list("category__code", flat=True)) == {"pmt", "sanitation"}


def test_referral_and_its_outcome(cw, case_a):
    gizi = cw.users["tenaga_gizi"]
    with pytest.raises(CaseInputError):
        referral_create(case=case_a, reason="", referred_on=TODAY, actor=gizi, today=TODAY)
    with pytest.raises(CaseInputError):
        referral_create(case=case_a, reason="2T", referred_on=TODAY, actor=gizi, today=TODAY)
    with pytest.raises(PermissionDenied):
        referral_create(case=case_a, reason="2T", to_facility="RSUD", referred_on=TODAY,
                        actor=cw.users["kader"], today=TODAY)  # fmt: skip
    ref = referral_create(case=case_a, reason="Gizi buruk", to_facility="RSUD Kota Bogor",
                          referred_on=TODAY, actor=gizi, today=TODAY)  # fmt: skip
    with pytest.raises(CaseInputError):
        referral_outcome(referral=ref, status="completed", outcome="", outcome_on=TODAY,
                         actor=gizi, today=TODAY)  # fmt: skip
    ref = referral_outcome(referral=ref, status="completed", outcome="Rawat jalan, F100.",
                           outcome_on=TODAY, actor=gizi, today=TODAY)  # fmt: skip
    with pytest.raises(TransitionError):
        referral_outcome(referral=ref, status="arrived", outcome="", outcome_on=TODAY,
                         actor=gizi, today=TODAY)  # fmt: skip
    kinds = list(case_a.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.REFERRAL) == 2


def test_case_event_add_for_partners(cw, case_a):
    line = case_event_add(case=case_a, kind=EventKind.VISIT, text="Kunjungan bapak asuh.",
                          actor=None, data={"visit": 1})  # fmt: skip
    assert line.kind == "visit" and line.data == {"visit": 1}
    with pytest.raises(CaseInputError):
        case_event_add(case=case_a, kind=EventKind.CLOSED, text="x", actor=None)
    with pytest.raises(CaseInputError):
        case_event_add(case=case_a, kind=EventKind.NOTE, text=" ", actor=None)


def test_reopen_refused_while_another_case_is_open(cw, case_a):
    gizi = cw.users["tenaga_gizi"]
    case_close(case=case_a, outcome=Outcome.MOVED_AWAY, note="Pindah.", actor=gizi)
    weigh(cw.child_a, dt.date(2026, 11, 10), length="78.5", weight="9.7")
    assert Case.objects.filter(child=cw.child_a, kind=CaseKind.STUNTING).count() == 2
    with pytest.raises(TransitionError):
        case_reopen(case=case_a, reason="Kembali.", actor=gizi)
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.CLOSED


def test_task_scope_per_role(cw, case_a):
    gizi = cw.users["tenaga_gizi"]
    case_verify(case=case_a, actor=gizi, confirmed=True, note="")
    case_assess(case=case_a, actor=gizi, needs=["pmt"], note="")
    task = intervention_plan(case=case_a, need="pmt", owner=cw.dinkes, actor=gizi,
                             due_date=TODAY, today=TODAY).task  # fmt: skip
    seen = {name: tasks_visible_to(user).filter(pk=task.pk).exists()
            for name, user in cw.users.items()}  # fmt: skip
    assert {n for n, v in seen.items() if v} == {
        "admin", "tpps", "kecamatan", "kelurahan", "tenaga_gizi", "opd", "opd_head"}  # fmt: skip
    with pytest.raises(PermissionDenied):
        task_accept(task=task, actor=cw.users["opd_other"])
    with pytest.raises(PermissionDenied):
        task_accept(task=task, actor=cw.users["tpps"])


def test_load_reference_is_idempotent(cw, capsys):
    call_command("load_reference")
    first = capsys.readouterr().out
    dinkes = Organisation.objects.get(code="dinkes")
    assert dinkes.kind == Kind.OPD and dinkes.is_demo
    assert Organisation.objects.filter(opd_type=OpdType.KELURAHAN_OFFICE).count() == 68
    assert Organisation.objects.filter(opd_type=OpdType.KECAMATAN_OFFICE).count() == 6
    assert Organisation.objects.get(code="tirta-pakuan").opd_type == OpdType.UTILITY
    assert NeedCategory.objects.get(code="protein_food").default_owner.code == "dppkb"
    counts = (Organisation.objects.count(), NeedCategory.objects.count())
    call_command("load_reference")
    again = capsys.readouterr().out
    assert (Organisation.objects.count(), NeedCategory.objects.count()) == counts
    assert "0 baru, 0 diperbarui" in again and first != again


def test_admin_edits_the_catalogue(cw, client):
    client.force_login(cw.users["admin"])
    assert client.get("/admin/cases/needcategory/").status_code == 200
    assert client.get("/admin/organisations/organisation/").status_code == 200


def test_intervention_update_steps(cw, case_a):
    from tumbuh.cases.models import InterventionStatus, TaskStatus
    from tumbuh.cases.services import intervention_update

    gizi = cw.users["tenaga_gizi"]
    case_verify(case=case_a, actor=gizi, confirmed=True, note="")
    case_assess(case=case_a, actor=gizi, needs=["pmt", "sanitation"], note="")
    pmt = intervention_plan(case=case_a, need="pmt", owner=cw.dinkes, actor=gizi,
                            due_date=TODAY, today=TODAY)  # fmt: skip
    with pytest.raises(PermissionDenied):  # another OPD
        intervention_update(intervention=pmt, status="in_progress", actor=cw.users["opd_other"])
    pmt = intervention_update(intervention=pmt, status="in_progress", actor=cw.users["opd"])
    with pytest.raises(CaseInputError) as err:
        intervention_update(intervention=pmt, status="not_delivered", actor=gizi, reason="")
    assert err.value.field == "reason"
    with pytest.raises(CaseInputError):
        intervention_update(intervention=pmt, status="delivered", actor=gizi,
                            delivered_on=TODAY + dt.timedelta(days=1), today=TODAY)  # fmt: skip
    pmt = intervention_update(intervention=pmt, status="delivered", actor=gizi,
                              evidence_note="PMT 90 hari diterima.", today=TODAY)  # fmt: skip
    assert pmt.status == InterventionStatus.DELIVERED and pmt.delivered_on == TODAY
    assert pmt.task.status == TaskStatus.DONE and pmt.need.status == "covered"
    with pytest.raises(TransitionError):
        intervention_update(intervention=pmt, status="in_progress", actor=gizi)
    with pytest.raises(CaseInputError):
        intervention_update(intervention=pmt, status="lost", actor=gizi)
    wc = intervention_plan(case=case_a, need="sanitation", owner=cw.dinsos, actor=gizi,
                           due_date=TODAY, today=TODAY)  # fmt: skip
    wc = intervention_update(intervention=wc, status="not_delivered", actor=gizi,
                             reason="Lahan tidak ada.")  # fmt: skip
    assert wc.need.status == "open"
    # the need is open again: it can be given to someone else
    again = intervention_plan(case=case_a, need="sanitation", owner=cw.dinkes, actor=gizi,
                              due_date=TODAY, today=TODAY)  # fmt: skip
    assert again.pk != wc.pk


def test_assignable_owners_put_the_usual_owner_first(cw):
    from tumbuh.cases.reference import needs_load, organisations_load
    from tumbuh.cases.selectors import assignable_owners

    organisations_load()
    needs_load()
    owners = assignable_owners("birth_certificate_kk")
    assert owners[0].code == "disdukcapil"
    assert all(o.status == "active" for o in owners)
