"""Helpers the partners pages share."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from tumbuh.accounts.models import User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of

M = TypeVar("M", bound=Model)


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def ctx(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def scoped_or_404(request: HttpRequest, qs: QuerySet[M], pk: int) -> M:
    """The object from the user's scope; another area's: 404 after an audited ``denied``."""
    found = qs.filter(pk=pk).first()
    if found is None:
        audit_record(
            actor=user_of(request),
            action=Action.DENIED,
            object_type=object_type_of(qs.model),
            object_id=pk,
            context=ctx(request),
        )
        raise Http404("tidak ditemukan")
    return found
