"""Fetching one person's record for display: scoped, and audited either way.

A record outside the user's scope answers exactly like a record that does not exist (404), so
ids cannot be probed; the attempt is written to the audit log as ``denied``. The audit row is
written *before* ``Http404`` is raised and outside any transaction opened here, so a denied
attempt is never rolled back with the error. (Do not call these inside an outer
``transaction.atomic`` that the 404 unwinds.)
"""

from __future__ import annotations

from django.http import Http404

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.registry.models import Child, Measurement, Mother
from tumbuh.registry.selectors import children_visible_to, mothers_visible_to


def child_open(*, actor: User, child_id: int, context: AuditContext = SYSTEM) -> Child:
    """The child with ``child_id`` if ``actor`` may see it (audited ``view``); otherwise
    ``Http404`` after an audited ``denied``."""
    child = (
        children_visible_to(actor)
        .select_related(
            "person",
            "person__family",
            "person__family__kelurahan__parent",
            "person__family__rw",
            "person__family__rt",
            "mother__person",
            "father",
            "posyandu__puskesmas",
            "latest_measurement",
        )
        .filter(pk=child_id)
        .first()
    )
    action = Action.VIEW if child is not None else Action.DENIED
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type_of(Child),
        object_id=child_id,
        context=context,
    )
    if child is None:
        raise Http404("anak tidak ditemukan")
    return child


def mother_open(*, actor: User, mother_id: int, context: AuditContext = SYSTEM) -> Mother:
    """As :func:`child_open`, for a mother's record."""
    mother = (
        mothers_visible_to(actor)
        .select_related("person", "person__family__kelurahan__parent", "posyandu")
        .filter(pk=mother_id)
        .first()
    )
    audit_record(
        actor=actor,
        action=Action.VIEW if mother is not None else Action.DENIED,
        object_type=object_type_of(Mother),
        object_id=mother_id,
        context=context,
    )
    if mother is None:
        raise Http404("ibu tidak ditemukan")
    return mother


def measurement_open(
    *, actor: User, measurement_id: int, context: AuditContext = SYSTEM
) -> Measurement:
    """A measurement (withdrawn ones included) of a child ``actor`` may see, for correcting or
    withdrawing it (audited ``view`` of the measurement); otherwise ``Http404`` after an
    audited ``denied``."""
    measurement = (
        Measurement.objects.filter(child__in=children_visible_to(actor))
        .select_related("child__person")
        .filter(pk=measurement_id)
        .first()
    )
    audit_record(
        actor=actor,
        action=Action.VIEW if measurement is not None else Action.DENIED,
        object_type=object_type_of(Measurement),
        object_id=measurement_id,
        detail={"child": measurement.child_id} if measurement is not None else {},
        context=context,
    )
    if measurement is None:
        raise Http404("pengukuran tidak ditemukan")
    return measurement
