"""Sign-in lockout (django-axes) in the audit log, and the administrator's unlock
(issue 11, finding 7)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from axes.utils import reset
from django.dispatch import receiver
from django.http import HttpRequest

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record


@receiver(user_locked_out, dispatch_uid="tumbuh-audit-lockout")
def _locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action=Action.LOCKOUT,
        object_type="accounts.user",
        object_id=User.objects.filter(username=username or "").values_list("pk", flat=True)
        .first() or "",
        detail={"username": (username or "")[:150]},
        context=AuditContext.from_request(request) if request is not None else SYSTEM,
    )  # fmt: skip


def unlock(*, actor: User, user: User, context: AuditContext = SYSTEM) -> int:
    """Lift ``user``'s sign-in lockout now (an administrator); returns the attempts removed.
    Audited."""
    removed = reset(username=user.get_username())
    audit_record(
        actor=actor,
        action=Action.UNLOCK,
        object_type="accounts.user",
        object_id=user.pk,
        detail={"attempts_removed": removed},
        context=context,
    )
    return removed
