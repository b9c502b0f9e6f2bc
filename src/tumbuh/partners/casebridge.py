"""The writes the partners area makes on a case, through the cases services (ADR 0055): a
timeline line (``case_event_add``), the intervention a pledge carries out with the partner's
task (``intervention_plan``), and its progress as deliveries are verified
(``intervention_update``, as the system: the kader who verified is the actor of the
contribution line and of the delivery's audit row). Their ``CaseError`` becomes the partners'
``ValidationError`` / ``TransitionError`` so pages and API answer 422 / 409 alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.cases.errors import CaseError
from tumbuh.cases.errors import TransitionError as CaseTransitionError
from tumbuh.cases.models import Case, CaseEvent, Intervention
from tumbuh.cases.models.cases import CaseNeed
from tumbuh.cases.models.work import InterventionStatus
from tumbuh.cases.services import case_event_add, intervention_plan, intervention_update
from tumbuh.organisations.models import Organisation
from tumbuh.partners.errors import TransitionError


def _converted(exc: CaseError) -> ValidationError:
    if isinstance(exc, CaseTransitionError):
        return TransitionError(exc.message)
    return ValidationError({exc.field or "need": exc.message})


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
    try:
        return case_event_add(case=case, kind=kind, text=text, actor=actor, data=data, at=at)
    except CaseError as exc:
        raise _converted(exc) from exc


def intervention_for_pledge(
    *,
    need: CaseNeed,
    owner: Organisation,
    due_date: dt.date,
    package: str,
    note: str,
    actor: User | None,
    today: dt.date | None = None,
) -> Intervention:
    """The case's intervention for a pledged need (owner: the partner, with its task); the
    need becomes planned and the case moves into intervention."""
    try:
        return intervention_plan(
            case=need.case,
            need=need.category.code,
            owner=owner,
            due_date=due_date,
            package=package,
            note=note,
            actor=actor,
            today=today,
        )
    except CaseError as exc:
        raise _converted(exc) from exc


def intervention_progress(
    *, intervention: Intervention, delivered_on: dt.date | None, finished: bool
) -> None:
    """A verified delivery moves the intervention on; the last one delivers it (the need is
    covered, the partner's task done)."""
    intervention.refresh_from_db(fields=["status"])
    if finished:
        status = InterventionStatus.DELIVERED
    elif intervention.status == InterventionStatus.PLANNED:
        status = InterventionStatus.IN_PROGRESS
    else:
        return
    try:
        intervention_update(
            intervention=intervention,
            status=status,
            actor=None,
            delivered_on=delivered_on,
            evidence_note=_("Diverifikasi kader/puskesmas (bantuan mitra)"),
        )
    except CaseError as exc:
        raise _converted(exc) from exc
