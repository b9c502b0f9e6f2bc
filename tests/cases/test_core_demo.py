"""Demo cases: every state, OPD tasks on time, late and escalated, a demo OPD login with
tasks, all marked demo, made through the real services."""

from __future__ import annotations

import datetime as dt

import pytest

from tumbuh.accounts.models import User
from tumbuh.cases.demo import seed_cases
from tumbuh.cases.models import Case, CaseStatus, Outcome, Task, TaskUpdateKind
from tumbuh.cases.selectors import cases_visible_to, task_list
from tumbuh.registry.demo.seed import demo_logins, seed_demo

TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    seed_demo(children=500, months=12, seed=11, today=TODAY)
    return seed_cases(today=TODAY)


@pytest.mark.django_db
def test_demo_cases_in_every_state_and_opd_tasks(demo):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    outcomes = set(Case.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert {Outcome.MOVED_AWAY, Outcome.RECOVERED} <= outcomes
    assert not Case.objects.filter(is_demo=False).exists()
    assert "Kasus DEMO" in demo.summary()
    # the demo OPD login has tasks on time, late and escalated
    opd = User.objects.get(username="demo-opd")
    tasks = list(task_list(opd, today=TODAY))
    assert tasks and all(t.owner.code == "dinkes" for t in tasks)
    overdue = [t for t in tasks if t.due_date < TODAY and t.status in ("open", "accepted")]
    on_time = [t for t in tasks if t.due_date >= TODAY]
    assert overdue and on_time
    escalated = Task.objects.filter(updates__kind=TaskUpdateKind.ESCALATED_TPPS).distinct()
    assert escalated.exists()
    assert cases_visible_to(opd).count() == len({t.case_id for t in tasks})
    names = {u for u, _p, _r in demo_logins()}
    assert {"demo-opd", "demo-opd-kepala"} <= names
