"""The whole walk without a browser: a weighing opens a suspected case, the puskesmas
verifies it and assesses needs, the command assigns an intervention to an OPD, the OPD
completes it, the next weighings mark it ready to close and it is closed as recovered."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import TODAY, weigh
from tumbuh.audit.models import AuditEvent
from tumbuh.cases.errors import CaseInputError
from tumbuh.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    EventKind,
    InterventionStatus,
    NeedStatus,
    Outcome,
    TaskStatus,
)
from tumbuh.cases.selectors import case_timeline, cases_visible_to, tasks_visible_to
from tumbuh.cases.services import (
    case_assess,
    case_close,
    case_verify,
    intervention_plan,
    task_accept,
    task_complete,
)

pytestmark = pytest.mark.django_db


def test_weighing_to_recovered(cw):
    kader, gizi, tpps, opd = (cw.users[k] for k in ("kader", "tenaga_gizi", "tpps", "opd"))
    weigh(cw.child_a, dt.date(2026, 9, 15), length="78.0", weight="9.5", actor=kader)
    case = Case.objects.get(child=cw.child_a)
    assert (case.kind, case.status, case.rule) == (CaseKind.STUNTING, CaseStatus.SUSPECTED,
                                                   "stunting")  # fmt: skip
    assert case.kelurahan == cw.kel_a and case.posyandu == cw.pos_a
    # a second weighing adds to the same case, it opens no second one
    weigh(cw.child_a, dt.date(2026, 10, 15), length="79.0", weight="9.8", actor=kader)
    assert Case.objects.filter(child=cw.child_a).count() == 1
    assert [e.kind for e in case_timeline(case)] == [EventKind.OPENED, EventKind.MEASUREMENT]

    case = case_verify(case=case, actor=gizi, confirmed=True, note="Diukur ulang: 79,0 cm.")
    assert case.status == CaseStatus.VERIFIED and case.verified_by == gizi
    case = case_assess(case=case, actor=gizi, needs=["protein_food", "jkn_bpjs"], note="")
    assert case.status == CaseStatus.ASSESSED
    intervention = intervention_plan(
        case=case, need="protein_food", owner=cw.dinkes, due_date=TODAY + dt.timedelta(days=14),
        package="telur 30 butir/bulan", actor=tpps, today=TODAY,
    )  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_INTERVENTION
    task = intervention.task
    assert task.owner == cw.dinkes and task.status == TaskStatus.OPEN
    assert list(cases_visible_to(opd)) == [case]
    assert list(tasks_visible_to(opd)) == [task]
    assert not cases_visible_to(cw.users["opd_other"]).exists()

    task_accept(task=task, actor=opd)
    task_complete(task=task, note="Telur diantar 16/11.", actor=opd, today=TODAY)
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.DELIVERED
    assert intervention.need.status == NeedStatus.COVERED

    # recovered needs two consecutive weighings at or above -2 SD
    with pytest.raises(CaseInputError) as err:
        case_close(case=case, outcome=Outcome.RECOVERED, note="", actor=gizi)
    assert err.value.field == "outcome"
    weigh(cw.child_a, dt.date(2026, 11, 10), length="84.5", weight="11.0", actor=kader)
    case.refresh_from_db()
    assert case.suggested_outcome == ""
    weigh(cw.child_a, dt.date(2026, 11, 14), length="85.0", weight="11.2", actor=kader)
    case.refresh_from_db()
    assert case.suggested_outcome == Outcome.RECOVERED
    case = case_close(case=case, outcome=Outcome.RECOVERED, note="Pulih.", actor=gizi)
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.RECOVERED)
    kinds = [e.kind for e in case_timeline(case)]
    assert kinds[-2:] == [EventKind.READY_TO_CLOSE, EventKind.CLOSED]
    assert EventKind.TASK in kinds and EventKind.INTERVENTION in kinds
    audited = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    transitions = [e.detail.get("transition") for e in audited.order_by("at", "id")]
    assert transitions == ["verify", "assess", "plan", "close"]
