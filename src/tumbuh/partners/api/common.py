"""Helpers shared by the partners API routers: the user of a token, audited scoped
fetches (404 + ``denied``), paging like ``/api/v1/children``, and 409 for steps out of order."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from ninja import Schema
from ninja.responses import Status

from tumbuh.accounts.models import User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.partners import services

MAX_PAGE_SIZE = 100
M = TypeVar("M", bound=Model)


class Problem(Schema):
    detail: str


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by BearerToken
    assert isinstance(user, User)
    return user


def _ctx(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def _scoped(request: HttpRequest, qs: QuerySet[M], pk: int) -> M:
    """The object ``pk`` from the user's scope; else 404 after an audited ``denied``."""
    found = qs.filter(pk=pk).first()
    if found is None:
        audit_record(
            actor=_user(request),
            action=Action.DENIED,
            object_type=object_type_of(qs.model),
            object_id=pk,
            context=_ctx(request),
        )
        raise Http404("tidak ditemukan")
    return found


def _page(items: list[Any], count: int, page: int, page_size: int) -> dict[str, Any]:
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size) if count else 0,
        "items": items,
    }


def _slice(qs: QuerySet[Any], page: int, page_size: int) -> tuple[QuerySet[Any], int, int, int]:
    page_size = max(1, min(MAX_PAGE_SIZE, page_size))
    count = qs.count()
    page = max(1, min(page, max(1, math.ceil(count / page_size))))
    return qs[(page - 1) * page_size : page * page_size], count, page, page_size


def _conflict(call: Callable[[], Any]) -> Any:
    """Run a service; a step out of order answers 409 with its message."""
    try:
        return call()
    except services.TransitionError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
