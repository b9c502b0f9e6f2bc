"""Jobs with the clock moved (``today=``): the escalation ladder, lost to follow-up, still
stunted at five, pregnancy rules reached by time passing. Each job is safe to run twice."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import TODAY, weigh
from tests.web.factories import MotherFactory
from tumbuh.cases.jobs import (
    close_aged_out,
    close_lost_to_follow_up,
    escalate_overdue_tasks,
    evaluate_pregnancies,
    months_before,
)
from tumbuh.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    EventKind,
    Outcome,
    TaskUpdateKind,
)
from tumbuh.cases.selectors import case_timeline, task_list
from tumbuh.cases.services import case_assess, case_verify, intervention_plan
from tumbuh.registry.models import Pregnancy

pytestmark = pytest.mark.django_db


def _case_with_task(cw, due: dt.date):  # type: ignore[no-untyped-def]
    weigh(cw.child_a, dt.date(2026, 11, 1), length="78.0", weight="9.6")
    case = Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)
    gizi = cw.users["tenaga_gizi"]
    case_verify(case=case, actor=gizi, confirmed=True, note="")
    case_assess(case=case, actor=gizi, needs=["birth_certificate_kk"], note="")
    intervention = intervention_plan(
        case=case, need="birth_certificate_kk", owner=cw.dinkes, due_date=due,
        actor=cw.users["tpps"], today=TODAY,
    )  # fmt: skip
    return case, intervention.task


def test_escalation_ladder_with_the_clock_moved(cw):
    due = TODAY + dt.timedelta(days=10)
    case, task = _case_with_task(cw, due)
    assert escalate_overdue_tasks(today=TODAY) == 0  # far from the deadline
    assert escalate_overdue_tasks(today=due - dt.timedelta(days=2)) == 1  # reminder
    assert escalate_overdue_tasks(today=due - dt.timedelta(days=1)) == 0  # once only
    assert escalate_overdue_tasks(today=due) == 0
    assert escalate_overdue_tasks(today=due + dt.timedelta(days=1)) == 1  # to the head
    task.refresh_from_db()
    assert task.escalation_level == 2
    head = task.updates.get(kind=TaskUpdateKind.ESCALATED_HEAD)
    assert head.notified == ["opd_head"]
    assert escalate_overdue_tasks(today=due + dt.timedelta(days=6)) == 0
    assert escalate_overdue_tasks(today=due + dt.timedelta(days=7)) == 1  # to TPPS
    assert escalate_overdue_tasks(today=due + dt.timedelta(days=7)) == 0  # twice: nothing
    task.refresh_from_db()
    assert task.escalation_level == 3
    assert task.updates.get(kind=TaskUpdateKind.ESCALATED_TPPS).notified == ["tpps"]
    escalations = [e for e in case_timeline(case) if e.kind == EventKind.ESCALATION]
    assert len(escalations) == 2 and "TPPS" in escalations[-1].text
    late = task_list(cw.users["opd"], overdue=True, today=due + dt.timedelta(days=1))
    assert list(late) == [task]
    assert not task_list(cw.users["opd"], overdue=True, today=due).exists()


def test_overdue_task_skips_the_missed_reminder(cw):
    due = TODAY + dt.timedelta(days=3)
    _case, task = _case_with_task(cw, due)
    assert escalate_overdue_tasks(today=due + dt.timedelta(days=8)) == 2  # head and TPPS
    kinds = set(task.updates.values_list("kind", flat=True))
    assert TaskUpdateKind.REMINDER not in kinds


def test_lost_to_follow_up_after_three_months(cw):
    weigh(cw.child_a, dt.date(2026, 8, 15), length="76.0", weight="9.0")
    case = Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)
    assert close_lost_to_follow_up(today=dt.date(2026, 11, 15)) == 0  # exactly 3 months
    assert close_lost_to_follow_up(today=dt.date(2026, 11, 16)) == 1
    assert close_lost_to_follow_up(today=dt.date(2026, 11, 17)) == 0  # twice: nothing
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.LOST_TO_FOLLOW_UP)
    assert case_timeline(case)[-1].kind == EventKind.CLOSED


def test_still_stunted_at_five_closes_verified_cases_only(cw):
    weigh(cw.child_a, dt.date(2026, 11, 1), length="78.0", weight="9.6")
    case = Case.objects.get(child=cw.child_a, kind=CaseKind.STUNTING)
    assert close_aged_out(today=dt.date(2030, 1, 10)) == 0  # suspected: left to verify
    case_verify(case=case, actor=cw.users["tenaga_gizi"], confirmed=True, note="")
    assert close_aged_out(today=dt.date(2030, 1, 9)) == 0  # the day before the 5th birthday
    assert close_aged_out(today=dt.date(2030, 1, 10)) == 1
    case.refresh_from_db()
    assert case.outcome == Outcome.STILL_STUNTED_AT_5


def test_pregnancy_milestone_opens_by_time_passing(cw):
    mother = MotherFactory(person__family__kelurahan=cw.kel_a, posyandu=cw.pos_a)
    p = Pregnancy.objects.create(mother=mother, hpht=TODAY - dt.timedelta(weeks=27),
                                 anc_visits=2, iron_tablets_taken=40)  # fmt: skip
    assert evaluate_pregnancies(today=TODAY) == 0
    assert evaluate_pregnancies(today=TODAY + dt.timedelta(weeks=1)) == 1  # 28 weeks, 2 ANC
    assert evaluate_pregnancies(today=TODAY + dt.timedelta(weeks=1)) == 0
    case = Case.objects.get(pregnancy=p)
    assert (case.kind, case.rule, case.kelurahan) == (CaseKind.PREGNANCY_ANC, "anc_by_28",
                                                      cw.kel_a)  # fmt: skip


def test_months_before() -> None:
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 2, 15), 3) == dt.date(2025, 11, 15)
