"""The ``/api/v1`` application: one NinjaAPI, bearer-token auth on every route, one router per
area. To add a router (the chatbot's ``POST /api/v1/chat``), append it to :data:`ROUTERS`:

    ("/chat", "tumbuh.messaging.api:router"),  # Django side; the engine never imports Django

Errors are JSON: 401 without a valid token, 404 for a record that does not exist or is
outside the user's area (the attempt is audited), 403 for a role that may not do something,
422 with ``{"detail": [{"field": ..., "message": ...}]}`` and Indonesian messages.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from tumbuh.accounts.models import User
from tumbuh.api.openapi import TumbuhAPI
from tumbuh.api.services import token_user
from tumbuh.cases.errors import CaseError, TransitionError
from tumbuh.registry.services.measurements import NeedsConfirmation


class BearerToken(HttpBearer):
    """``Authorization: Bearer tmb_...`` -> the token's active user (also ``request.user``)."""

    openapi_description = "Token pribadi dari halaman Token API (Akun > Token API)."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


#: (prefix, "module:attribute" of a ninja Router), mounted in this order.
ROUTERS: list[tuple[str, str]] = [
    ("/wilayah", "tumbuh.api.routers.wilayah:router"),
    ("/children", "tumbuh.api.routers.children:router"),
    ("/measurements", "tumbuh.api.routers.measurements:router"),
    ("/chat", "tumbuh.messaging.api:router"),
    ("/catalogue", "tumbuh.cases.api:catalogue_router"),
    ("/organisations", "tumbuh.cases.api:organisations_router"),
    ("/cases", "tumbuh.cases.api:cases_router"),
    ("/tasks", "tumbuh.cases.api:tasks_router"),
    ("/prevention", "tumbuh.cases.api_prevention:router"),
    # partners (issue 8): open needs, pledges, deliveries, visits, sign-up
    ("/needs", "tumbuh.partners.api:needs_router"),
    ("/pledges", "tumbuh.partners.api:pledges_router"),
    ("/deliveries", "tumbuh.partners.api:deliveries_router"),
    ("/visits", "tumbuh.partners.api:visits_router"),
    ("/children", "tumbuh.partners.api:child_visits_router"),
    ("/partners", "tumbuh.partners.api:partners_router"),
    ("/komando", "tumbuh.komando.api:router"),
    ("/patronages", "tumbuh.partners.api:patronages_router"),
]

api = TumbuhAPI(
    title="Tumbuh API",
    version="1",
    description=(
        "API Tumbuh: wilayah, anak dan pengukuran. Setiap permintaan memakai token pribadi "
        "(Authorization: Bearer ...). Data dibatasi wilayah pengguna seperti di halaman web, "
        "dan setiap akses ke data anak dicatat di log audit."
    ),
    auth=BearerToken(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

for prefix, target in ROUTERS:
    module_name, _, attribute = target.partition(":")
    router: Router = getattr(importlib.import_module(module_name), attribute)
    api.add_router(prefix, router)


def _errors(items: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    return {"detail": items}


#: Pydantic error types -> an Indonesian message.
_MESSAGES = {
    "missing": "Wajib diisi.",
    "date_from_datetime_parsing": "Tanggal tidak sah; tulis TTTT-BB-HH.",
    "date_parsing": "Tanggal tidak sah; tulis TTTT-BB-HH.",
    "date_type": "Tanggal tidak sah; tulis TTTT-BB-HH.",
    "float_parsing": "Harus angka, mis. 9.5.",
    "float_type": "Harus angka, mis. 9.5.",
    "decimal_parsing": "Harus angka, mis. 9.5.",
    "int_parsing": "Harus bilangan bulat.",
    "bool_parsing": "Harus true atau false.",
    "string_too_long": "Terlalu panjang.",
    "literal_error": "Pilihan tidak dikenal.",
    "enum": "Pilihan tidak dikenal.",
    "json_invalid": "Isi permintaan bukan JSON yang sah.",
}


@api.exception_handler(NinjaValidationError)
def _schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    items = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        items.append(
            {
                "field": ".".join(loc[-1:]) if loc else "",
                "message": _MESSAGES.get(str(error.get("type", "")), "Nilai tidak sah."),
            }
        )
    return api.create_response(request, _errors(items), status=422)


@api.exception_handler(DjangoValidationError)
def _service_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    items = []
    if hasattr(exc, "error_dict"):
        for field_name, messages in exc.message_dict.items():
            items += [{"field": field_name, "message": m} for m in messages]
    else:
        items = [{"field": "", "message": m} for m in exc.messages]
    return api.create_response(request, _errors(items), status=422)


@api.exception_handler(CaseError)
def _case_error(request: HttpRequest, exc: CaseError) -> HttpResponse:
    """A step out of order: 409 with the message; a bad value: 422 like the others."""
    if isinstance(exc, TransitionError):
        return api.create_response(request, {"detail": exc.message}, status=409)
    return api.create_response(
        request, _errors([{"field": exc.field, "message": exc.message}]), status=422
    )


@api.exception_handler(NeedsConfirmation)
def _needs_confirmation(request: HttpRequest, exc: NeedsConfirmation) -> HttpResponse:
    """Implausible values: 422 with the warnings; send again with ``"confirmed": true``."""
    body = {
        "detail": [{"field": "confirmed", "message": m} for m in exc.messages],
        "warnings": list(exc.warnings),
        "needs_confirmation": True,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number too large for the database (an id filter of 30 digits): 422, never a 500."""
    return api.create_response(
        request,
        _errors([{"field": "", "message": "Angka terlalu besar. Periksa nilai yang dikirim."}]),
        status=422,
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "Peran Anda tidak dapat melakukan ini."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Token tidak ada, tidak dikenal atau sudah dicabut."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="tumbuh"'
    return response
