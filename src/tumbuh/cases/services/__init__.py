"""Writes on cases, interventions, referrals and tasks (ADR 0055): every one a service in
``transaction.atomic`` with keyword-only arguments, an audit row and a timeline line.

* :mod:`.opening`: cases opened and updated from measurements and pregnancies (signals);
* :mod:`.transitions`: the state machine (one table, one apply function);
* :mod:`.lifecycle`: verify, assess, review, close, reopen, free timeline lines;
* :mod:`.work`: interventions, referrals, tasks to OPD;
* :mod:`.access`: opening one case or task for a user (audited view, 404 out of scope).
"""

from tumbuh.cases.services.access import case_open, task_open
from tumbuh.cases.services.lifecycle import (
    case_assess,
    case_close,
    case_event_add,
    case_reopen,
    case_review,
    case_verify,
)
from tumbuh.cases.services.opening import (
    UpdateCounts,
    cases_update_for_children,
    cases_update_for_pregnancies,
)
from tumbuh.cases.services.transitions import TRANSITIONS, allowed_actions, apply_transition
from tumbuh.cases.services.work import (
    TASK_STEPS,
    intervention_plan,
    intervention_update,
    organisation_of,
    referral_create,
    referral_outcome,
    task_accept,
    task_complete,
    task_progress,
    task_reject,
)

__all__ = [
    "TASK_STEPS",
    "TRANSITIONS",
    "UpdateCounts",
    "allowed_actions",
    "apply_transition",
    "case_assess",
    "case_close",
    "case_event_add",
    "case_open",
    "case_reopen",
    "case_review",
    "case_verify",
    "cases_update_for_children",
    "cases_update_for_pregnancies",
    "intervention_plan",
    "intervention_update",
    "organisation_of",
    "referral_create",
    "referral_outcome",
    "task_accept",
    "task_complete",
    "task_open",
    "task_progress",
    "task_reject",
]
