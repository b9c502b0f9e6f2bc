"""Measurement pages: record (with a second step that confirms implausible values), the
result, correct and withdraw (ADR 0053). Thin: scoping and every write in ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tumbuh.accounts.models import Role
from tumbuh.audit.context import AuditContext
from tumbuh.registry import presenters
from tumbuh.registry.forms import (
    MeasurementCorrectForm,
    MeasurementForm,
    MeasurementWithdrawForm,
    apply_service_errors,
)
from tumbuh.registry.models import Child, Measurement
from tumbuh.registry.selectors import child_measurements
from tumbuh.registry.services import (
    NeedsConfirmation,
    can_record,
    child_open,
    measurement_correct,
    measurement_open,
    measurement_record,
    measurement_withdraw,
)
from tumbuh.registry.warnings import measurement_notices

#: The form fields a confirmation covers: change one and the values are judged again.
CONFIRMED_FIELDS = (
    "measured_on",
    "weight_kg",
    "length_cm",
    "position",
    "head_circumference_cm",
    "arm_circumference_cm",
    "oedema",
)


def confirmation_token(child: Child, data: dict[str, Any], measurement_id: int = 0) -> str:
    """A keyed digest of exactly the values the kader confirmed (for this child and user's
    secret key): the second step is accepted only for the values shown with the warning."""
    text = "|".join(str(data.get(k) or "") for k in CONFIRMED_FIELDS)
    return salted_hmac(
        "tumbuh.registry.measurement-confirm", f"{child.pk}|{measurement_id}|{text}"
    ).hexdigest()


def _confirmed(request: HttpRequest, token: str) -> bool:
    sent = request.POST.get("confirm_token", "")
    return bool(sent) and constant_time_compare(sent, token)


def _require_recorder(request: HttpRequest) -> None:
    if not can_record(request.user):
        raise PermissionDenied(_("Peran Anda tidak mencatat penimbangan."))


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "measured_on": data["measured_on"],
        "weight_kg": data["weight_kg"] or None,
        "length_cm": data["length_cm"] or None,
        "position": data["position"] or "",
        "head_circumference_cm": data["head_circumference_cm"] or None,
        "arm_circumference_cm": data["arm_circumference_cm"] or None,
        "oedema": data["oedema"],
    }


@login_required
def measurement_create(request: HttpRequest, child_id: int) -> HttpResponse:
    user = request.user
    _require_recorder(request)
    context = AuditContext.from_request(request)
    child = child_open(actor=user, child_id=child_id, context=context)
    age_days = (timezone.localdate() - child.birth_date).days
    form = MeasurementForm(request.POST or None, age_days=age_days)
    confirm: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = confirmation_token(child, data)
        try:
            result = measurement_record(
                actor=user,
                child=child,
                **_values(data),
                posyandu=user.posyandu if user.role == Role.KADER else None,
                measured_by_name=data["measured_by_name"],
                confirmed=_confirmed(request, token),
                context=context,
            )
        except NeedsConfirmation as exc:
            confirm = {"warnings": exc.warnings, "token": token}
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Pengukuran tersimpan."))
            return redirect(
                "registry:measurement_result",
                child_id=child.pk,
                measurement_id=result.measurement.pk,
            )
    status = 422 if request.method == "POST" and not confirm else 200
    return render(
        request,
        "registry/measurement_form.html",
        {
            "child": child,
            "form": form,
            "confirm": confirm,
            "age": presenters.age_text(child.birth_date, timezone.localdate()),
        },
        status=status,
    )


@login_required
def measurement_result(request: HttpRequest, child_id: int, measurement_id: int) -> HttpResponse:
    """What the engine said about one weighing, right after it was saved."""
    user = request.user
    child = child_open(actor=user, child_id=child_id, context=AuditContext.from_request(request))
    series = child_measurements(child)
    measurement = next((m for m in series if m.pk == measurement_id), None)
    if measurement is None:
        raise Http404(_("Pengukuran tidak ditemukan."))
    row = presenters.measurement_rows(child, [measurement])[0]
    return render(
        request,
        "registry/measurement_result.html",
        {
            "child": child,
            "name": presenters.display_name(user, child),
            "m": measurement,
            "row": row,
            "notices": measurement_notices(measurement, series, child),
            "can_weigh": can_record(user),
        },
    )


def _open_for_change(request: HttpRequest, child_id: int, measurement_id: int) -> Measurement:
    """The measurement, scoped and audited; 404 when it is not this child's."""
    _require_recorder(request)
    measurement = measurement_open(
        actor=request.user,
        measurement_id=measurement_id,
        context=AuditContext.from_request(request),
    )
    if measurement.child_id != child_id:
        raise Http404(_("Pengukuran tidak ditemukan."))
    if measurement.is_withdrawn:
        raise Http404(_("Pengukuran ini sudah ditarik."))
    return measurement


def _initial(m: Measurement) -> dict[str, Any]:
    def text(value: Any) -> str:
        return "" if value is None else str(value).replace(".", ",")

    return {
        "measured_on": m.measured_on,
        "weight_kg": text(m.weight_kg),
        "length_cm": text(m.length_cm),
        "position": m.position,
        "head_circumference_cm": text(m.head_circumference_cm),
        "arm_circumference_cm": text(m.arm_circumference_cm),
        "oedema": m.oedema,
        "measured_by_name": m.measured_by_name,
    }


@login_required
def measurement_correct_view(
    request: HttpRequest, child_id: int, measurement_id: int
) -> HttpResponse:
    """Correct a stored measurement with a reason; implausible values need the same second
    step as a new weighing."""
    measurement = _open_for_change(request, child_id, measurement_id)
    child = measurement.child
    form = MeasurementCorrectForm(request.POST or None, initial=_initial(measurement))
    confirm: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = confirmation_token(child, data, measurement.pk)
        try:
            result = measurement_correct(
                actor=request.user,
                measurement=measurement,
                changes=_values(data),
                reason=data["reason"],
                confirmed=_confirmed(request, token),
                context=AuditContext.from_request(request),
            )
        except NeedsConfirmation as exc:
            confirm = {"warnings": exc.warnings, "token": token}
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Pengukuran diperbaiki; hasil dihitung ulang."))
            return redirect(
                "registry:measurement_result",
                child_id=child.pk,
                measurement_id=result.measurement.pk,
            )
    status = 422 if request.method == "POST" and not confirm else 200
    return render(
        request,
        "registry/measurement_correct.html",
        {
            "child": child,
            "name": presenters.display_name(request.user, child),
            "m": measurement,
            "form": form,
            "confirm": confirm,
        },
        status=status,
    )


@login_required
def measurement_withdraw_view(
    request: HttpRequest, child_id: int, measurement_id: int
) -> HttpResponse:
    """Withdraw a stored measurement with a reason (it no longer counts anywhere)."""
    measurement = _open_for_change(request, child_id, measurement_id)
    child = measurement.child
    form = MeasurementWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measurement_withdraw(
                actor=request.user,
                measurement=measurement,
                reason=form.cleaned_data["reason"],
                context=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Pengukuran ditarik; tidak dihitung lagi."))
            return redirect("registry:child_detail", child_id=child.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "registry/measurement_withdraw.html",
        {
            "child": child,
            "name": presenters.display_name(request.user, child),
            "m": measurement,
            "form": form,
        },
        status=status,
    )
