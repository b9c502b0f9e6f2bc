"""Reading the audit log (administrators only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import QuerySet

from tumbuh.accounts.models import User
from tumbuh.audit.models import AuditEvent


def events_visible_to(user: User | None) -> QuerySet[AuditEvent]:
    """Every event for an active superuser; nothing for anyone else."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_superuser:
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def events_filtered(user: User, params: Mapping[str, str]) -> QuerySet[AuditEvent]:
    """Apply the admin changelist's own filters (``action``, ``object_type``, ``actor_role``,
    ``at__gte``/``at__lt`` dates, ``object_id``, ``actor_username``) to the visible events."""
    qs = events_visible_to(user)
    for key in ("action", "object_type", "actor_role", "object_id", "actor_username"):
        value = params.get(key) or params.get(f"{key}__exact")
        if value:
            qs = qs.filter(**{key: value})
    start = _date(params.get("at__gte", "")[:10] or None)
    end = _date(params.get("at__lt", "")[:10] or None)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lt=end)
    return qs.order_by("at", "id")
