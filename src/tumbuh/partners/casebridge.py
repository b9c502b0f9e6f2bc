"""The few writes the partners area makes on a case: a timeline line, and the intervention
that a pledge carries out.

The cases services (branch ``cases-core``: ``case_event_add``, ``intervention_plan``,
``intervention_update``) own these writes once they are merged; until then this module writes
the same rows directly, inside the caller's transaction, so the swap is one module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tumbuh.accounts.models import User
from tumbuh.cases.models import Case, CaseEvent, Intervention
from tumbuh.cases.models.cases import CaseNeed, NeedStatus
from tumbuh.cases.models.work import InterventionStatus
from tumbuh.organisations.models import Organisation


def timeline_add(
    *,
    case: Case,
    kind: str,
    text: str,
    actor: User | None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> CaseEvent:
    """Append one line to ``case``'s timeline (``EventKind.CONTRIBUTION`` or ``VISIT``)."""
    return CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        text=text,
        data=data or {},
    )


def intervention_for_pledge(
    *,
    need: CaseNeed,
    owner: Organisation,
    due_date: dt.date,
    package: str,
    note: str,
    actor: User | None,
) -> Intervention:
    """The case's intervention for a pledged need (owner: the partner); the need is planned."""
    intervention = Intervention.objects.create(
        case=need.case,
        need=need,
        owner=owner,
        package=package[:200],
        due_date=due_date,
        note=note,
        created_by=actor,
    )
    if need.status == NeedStatus.OPEN:
        need.status = NeedStatus.PLANNED
        need.save(update_fields=["status"])
    return intervention


def intervention_progress(
    *, intervention: Intervention, delivered_on: dt.date | None, finished: bool
) -> None:
    """A verified delivery moves the intervention on; the last one completes it and covers
    the need."""
    if finished:
        intervention.status = InterventionStatus.DELIVERED
        intervention.delivered_on = delivered_on
        intervention.save(update_fields=["status", "delivered_on", "updated_at"])
        need = intervention.need
        need.status = NeedStatus.COVERED
        need.save(update_fields=["status"])
    elif intervention.status == InterventionStatus.PLANNED:
        intervention.status = InterventionStatus.IN_PROGRESS
        intervention.save(update_fields=["status", "updated_at"])
