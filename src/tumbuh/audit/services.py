"""Writing audit events. Every service that touches a person's record calls ``audit_record``
inside its own transaction, so the audit row and the change commit (or roll back) together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action, AuditEvent


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    """``app_label.model`` (``registry.child``), the stable name the log uses."""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}"


def audit_record(
    *,
    actor: User | None,
    action: Action,
    object_type: str,
    object_id: object = "",
    changed_fields: Iterable[str] = (),
    detail: Mapping[str, Any] | None = None,
    context: AuditContext = SYSTEM,
) -> AuditEvent:
    """Append one event. ``actor`` None means the system (a loader or a scheduled job)."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        actor_role=(user.role or ("admin" if user.is_superuser else "")) if user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        changed_fields=sorted(set(changed_fields)),
        detail=dict(detail or {}),
        ip_address=context.ip_address,
        user_agent=context.user_agent,
        path=context.path,
    )


def audit_object(
    *,
    actor: User | None,
    action: Action,
    obj: models.Model,
    changed_fields: Iterable[str] = (),
    detail: Mapping[str, Any] | None = None,
    context: AuditContext = SYSTEM,
) -> AuditEvent:
    """``audit_record`` for a saved model instance."""
    return audit_record(
        actor=actor,
        action=action,
        object_type=object_type_of(obj),
        object_id=obj.pk,
        changed_fields=changed_fields,
        detail=detail,
        context=context,
    )
