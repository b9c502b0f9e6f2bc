"""Sign-ins, failed sign-ins and sign-outs go to the audit log (who, when, from where).

Access to specific personal data (UU 27/2022) starts with a sign-in; a run of failed sign-ins
is how a guessed password shows up. A failed attempt records the name that was typed, never
the password.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tumbuh.audit.context import SYSTEM, AuditContext, mask_digits
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record

MAX_TYPED_NAME = 150


def _context(request: HttpRequest | None) -> AuditContext:
    return AuditContext.from_request(request) if request is not None else SYSTEM


@receiver(user_logged_in, dispatch_uid="tumbuh-audit-login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        actor=user, action=Action.LOGIN, object_type="accounts.user", object_id=user.pk,
        context=_context(request),
    )  # fmt: skip


@receiver(user_logged_out, dispatch_uid="tumbuh-audit-logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(
        actor=user, action=Action.LOGOUT, object_type="accounts.user", object_id=user.pk,
        context=_context(request),
    )  # fmt: skip


@receiver(user_login_failed, dispatch_uid="tumbuh-audit-login-failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # A NIK or phone number typed as the name is kept masked, like search terms.
    typed = mask_digits(str(credentials.get("username", ""))[:MAX_TYPED_NAME])
    audit_record(
        actor=None, action=Action.LOGIN_FAILED, object_type="accounts.user",
        detail={"username": typed}, context=_context(request),
    )  # fmt: skip
