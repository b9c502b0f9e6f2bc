"""Making, checking and revoking API tokens (audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tumbuh.accounts.models import User
from tumbuh.api.models import ApiToken
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object

TOKEN_PREFIX = "tmb_"
#: How often ``last_used_at`` is written (not on every request).
TOUCH_EVERY = dt.timedelta(minutes=5)
MAX_ACTIVE_TOKENS = 10


def hash_token(raw: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough (no password stretching)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _may_manage(actor: User, owner: User) -> bool:
    return actor.is_active and (actor.pk == owner.pk or actor.is_superuser)


@transaction.atomic
def token_create(
    *, actor: User, user: User, name: str, context: AuditContext = SYSTEM
) -> tuple[ApiToken, str]:
    """A new token for ``user`` (by the user or an administrator). Returns the stored token and
    the raw token, which is shown once and never stored."""
    if not _may_manage(actor, user):
        raise PermissionDenied("Hanya pemilik akun atau admin yang dapat membuat token.")
    name = " ".join(name.split())[:100]
    errors: dict[str, list[str]] = {}
    if len(name) < 2:
        errors["name"] = ["Beri nama token, mis. 'aplikasi posyandu'."]
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        errors["name"] = [f"Sudah ada {MAX_ACTIVE_TOKENS} token aktif; cabut yang tidak dipakai."]
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], token_hash=hash_token(raw), created_by=actor
    )
    audit_object(actor=actor, action=Action.CREATE, obj=token, detail={"user": user.pk},
                 context=context)  # fmt: skip
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, context: AuditContext = SYSTEM) -> ApiToken:
    if not _may_manage(actor, token.user):
        raise PermissionDenied("Hanya pemilik akun atau admin yang dapat mencabut token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_object(actor=actor, action=Action.UPDATE, obj=token, changed_fields=["revoked_at"],
                     detail={"user": token.user_id}, context=context)  # fmt: skip
    return token


def token_user(raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None (unknown, revoked, expired)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
