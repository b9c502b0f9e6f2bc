"""Cases, needs, interventions, referrals and tasks (ARCHITECTURE.md, part 3 and contracts).

A case belongs to one child (or one pregnancy) and one kind; at most one case per subject and
kind is open at a time (a partial unique constraint). Every change of state is a service in
``cases.services`` that writes a :class:`CaseEvent` (the timeline) and an audit row.

* :mod:`.cases`: the catalogue of needs, cases, their timeline and assessed needs;
* :mod:`.work`: interventions, referrals, tasks to OPD and their escalation steps.
"""

from tumbuh.cases.models.cases import (
    OPEN_STATUSES,
    PREGNANCY_KINDS,
    Case,
    CaseEvent,
    CaseKind,
    CaseNeed,
    CaseStatus,
    EventKind,
    NeedCategory,
    NeedKind,
    NeedStatus,
    Outcome,
    Severity,
)
from tumbuh.cases.models.work import (
    Intervention,
    InterventionStatus,
    Referral,
    ReferralStatus,
    Task,
    TaskStatus,
    TaskUpdate,
    TaskUpdateKind,
)

__all__ = [
    "OPEN_STATUSES",
    "PREGNANCY_KINDS",
    "Case",
    "CaseEvent",
    "CaseKind",
    "CaseNeed",
    "CaseStatus",
    "EventKind",
    "Intervention",
    "InterventionStatus",
    "NeedCategory",
    "NeedKind",
    "NeedStatus",
    "Outcome",
    "Referral",
    "ReferralStatus",
    "Severity",
    "Task",
    "TaskStatus",
    "TaskUpdate",
    "TaskUpdateKind",
]
