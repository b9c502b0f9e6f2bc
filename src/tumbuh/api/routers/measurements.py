"""Correcting and withdrawing a stored measurement (ADR 0053), through the registry's
services: scoped like the pages (another area's measurement: 404, audited), a reason
required, everything that depends on the measurement (z-scores, trend, the child's latest
measurement, cases through ``measurements_changed``) recomputed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tumbuh.api.routers.children import MeasurementCreated, MeasurementOut, _user, measurement_out
from tumbuh.audit.context import AuditContext
from tumbuh.registry.services import measurement_correct, measurement_open, measurement_withdraw

router = Router(tags=["measurements"])


class MeasurementCorrectIn(Schema):
    """Only the fields given change; ``reason`` is required."""

    reason: str = Field(..., max_length=300, description="mengapa diperbaiki, mis. salah ketik")
    measured_on: dt.date | None = None
    weight_kg: Decimal | None = None
    length_cm: Decimal | None = None
    position: str | None = Field(None, description="l (berbaring) atau h (berdiri)")
    head_circumference_cm: Decimal | None = None
    arm_circumference_cm: Decimal | None = None
    oedema: bool | None = None
    confirmed: bool = Field(False, description="true bila nilai tidak wajar sudah diperiksa")


class MeasurementWithdrawIn(Schema):
    reason: str = Field(..., max_length=300, description="mengapa ditarik, mis. anak lain")


class MeasurementWithdrawn(Schema):
    measurement: MeasurementOut
    withdrawn_at: dt.datetime
    reason: str


CHANGEABLE = (
    "measured_on",
    "weight_kg",
    "length_cm",
    "position",
    "head_circumference_cm",
    "arm_circumference_cm",
    "oedema",
)


@router.post(
    "/{measurement_id}/correct",
    response={200: MeasurementCreated},
    summary="Perbaiki pengukuran (dengan alasan; semua dihitung ulang)",
)
def measurement_correct_api(
    request: HttpRequest, measurement_id: int, payload: MeasurementCorrectIn
) -> dict[str, Any]:
    user = _user(request)
    context = AuditContext.from_request(request)
    measurement = measurement_open(actor=user, measurement_id=measurement_id, context=context)
    given = payload.model_dump(exclude_unset=True)
    changes = {k: given[k] for k in CHANGEABLE if k in given}
    result = measurement_correct(
        actor=user,
        measurement=measurement,
        changes=changes,
        reason=payload.reason,
        confirmed=payload.confirmed,
        context=context,
    )
    return {"measurement": measurement_out(result.measurement), "warnings": list(result.warnings)}


@router.post(
    "/{measurement_id}/withdraw",
    response={200: MeasurementWithdrawn},
    summary="Tarik pengukuran (tidak dihapus; tidak dihitung lagi)",
)
def measurement_withdraw_api(
    request: HttpRequest, measurement_id: int, payload: MeasurementWithdrawIn
) -> dict[str, Any]:
    user = _user(request)
    context = AuditContext.from_request(request)
    measurement = measurement_open(actor=user, measurement_id=measurement_id, context=context)
    withdrawn = measurement_withdraw(
        actor=user, measurement=measurement, reason=payload.reason, context=context
    )
    return {
        "measurement": measurement_out(withdrawn),
        "withdrawn_at": withdrawn.withdrawn_at,
        "reason": withdrawn.withdrawal_reason,
    }
