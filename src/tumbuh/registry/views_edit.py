"""Edit pages (issue 12 item 8): a child's identity and address, a breastfeeding period, a
pregnancy's outcome. Thin: scoped fetching and every write in ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tumbuh.audit.context import AuditContext
from tumbuh.registry import presenters
from tumbuh.registry.forms import (
    BreastfeedingForm,
    ChildEditForm,
    PregnancyOutcomeForm,
    apply_service_errors,
)
from tumbuh.registry.services import (
    breastfeeding_record,
    can_record,
    child_open,
    child_update,
    mother_open,
    pregnancy_update,
)
from tumbuh.registry.services.people import family_update
from tumbuh.registry.views import _posyandu_options


def _require_recorder(request: HttpRequest) -> None:
    if not can_record(request.user):
        raise PermissionDenied(_("Peran Anda tidak mengubah data anak."))


@login_required
def child_edit(request: HttpRequest, child_id: int) -> HttpResponse:
    _require_recorder(request)
    context = AuditContext.from_request(request)
    child = child_open(actor=request.user, child_id=child_id, context=context)
    person, family = child.person, child.person.family
    initial: dict[str, Any] = {
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "nik": person.nik or "",
        "birth_place": person.birth_place,
        "posyandu": child.posyandu,
        "address_line": family.address_line if family else "",
        "rw": int(family.rw.name) if family and family.rw else None,
        "rt": int(family.rt.name) if family and family.rt else None,
        "phone": family.phone if family else "",
    }
    form = ChildEditForm(
        request.POST or None, initial=initial, posyandu_qs=_posyandu_options(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person_keys = ("name", "sex", "birth_date", "nik", "birth_place")
        changes = {k: (data[k] or None) if k == "nik" else data[k] for k in person_keys}
        if data["posyandu"] is not None:
            changes["posyandu"] = data["posyandu"]
        try:
            with transaction.atomic():
                child_update(actor=request.user, child=child, changes=changes, context=context)
                if family is not None:
                    family_update(
                        actor=request.user,
                        family=family,
                        child=child,
                        address_line=data["address_line"],
                        rw=data["rw"],
                        rt=data["rt"],
                        phone=data["phone"],
                        context=context,
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Data anak diperbarui."))
            return redirect("registry:child_detail", child_id=child.pk)
    return render(
        request,
        "registry/edit_form.html",
        {
            "title": _("Ubah data anak"),
            "subject": presenters.display_name(request.user, child),
            "form": form,
            "child": child,
            "note": _(
                "Tanggal lahir dan jenis kelamin yang diubah menghitung ulang semua z-score "
                "anak ini. Pindah ke kelurahan lain: minta petugas kelurahan."
            ),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def breastfeeding_create(request: HttpRequest, child_id: int) -> HttpResponse:
    _require_recorder(request)
    context = AuditContext.from_request(request)
    child = child_open(actor=request.user, child_id=child_id, context=context)
    form = BreastfeedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            breastfeeding_record(
                actor=request.user,
                child=child,
                kind=data["kind"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                context=context,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Masa menyusui tercatat."))
            return redirect("registry:child_detail", child_id=child.pk)
    return render(
        request,
        "registry/edit_form.html",
        {
            "title": _("Catat masa menyusui"),
            "subject": presenters.display_name(request.user, child),
            "form": form,
            "child": child,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def pregnancy_outcome(request: HttpRequest, mother_id: int, pregnancy_id: int) -> HttpResponse:
    _require_recorder(request)
    context = AuditContext.from_request(request)
    mother = mother_open(actor=request.user, mother_id=mother_id, context=context)
    pregnancy = mother.pregnancies.filter(pk=pregnancy_id).first()
    if pregnancy is None:
        raise Http404(_("Kehamilan tidak ditemukan."))
    form = PregnancyOutcomeForm(
        request.POST or None,
        initial={"outcome": pregnancy.outcome, "ended_on": pregnancy.ended_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pregnancy_update(
                actor=request.user,
                pregnancy=pregnancy,
                changes={"outcome": data["outcome"], "ended_on": data["ended_on"]},
                context=context,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Hasil kehamilan tersimpan."))
            return redirect("registry:mother_detail", mother_id=mother.pk)
    return render(
        request,
        "registry/edit_form.html",
        {
            "title": _("Hasil kehamilan"),
            "subject": mother.person.name,
            "form": form,
            "mother": mother,
        },
        status=422 if request.method == "POST" else 200,
    )
