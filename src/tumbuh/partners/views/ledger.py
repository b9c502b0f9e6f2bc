"""Open needs, pledges and deliveries: partners pledge and record, kader and puskesmas
verify. Every list and object comes from the scoped selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases.models import CaseNeed, NeedCategory
from tumbuh.partners.access import is_tpps, is_verifier, partner_of
from tumbuh.partners.forms import DeliveryForm, PledgeForm, VerifyForm
from tumbuh.partners.models import DeliveryStatus
from tumbuh.partners.selectors import (
    SORTS,
    deliveries_visible_to,
    needs_visible_to,
    open_need_rows,
    open_needs,
    pledges_visible_to,
)
from tumbuh.partners.services import (
    TransitionError,
    delivery_record,
    delivery_verify,
    pledge_create,
)
from tumbuh.partners.views.common import ctx, scoped_or_404, user_of
from tumbuh.registry.forms import apply_service_errors
from tumbuh.registry.models import Sex

PAGE_SIZE = 25


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _can_pledge(request: HttpRequest) -> bool:
    return partner_of(user_of(request)) is not None


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    """The open needs, pseudonymised; filter and sort only on the columns shown."""
    user = user_of(request)
    if partner_of(user) is None and not (is_tpps(user) or user.role in ("kecamatan", "kelurahan")):
        raise PermissionDenied(_("Daftar kebutuhan terbuka untuk mitra dan TPPS."))
    today = timezone.localdate()
    sex = request.GET.get("sex", "")
    sort = request.GET.get("sort", "kelurahan")
    qs = open_needs(
        user,
        today=today,
        kelurahan_code=request.GET.get("kelurahan", ""),
        need_code=request.GET.get("need", ""),
        sex=int(sex) if sex in ("1", "2") else None,
        sort=sort if sort in SORTS else "kelurahan",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = open_need_rows(page.object_list, today=today)  # type: ignore[arg-type]
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(CaseNeed),
        detail={"list": True, "ids": [r.id for r in rows]},
        context=ctx(request),
    )
    kelurahan = sorted(
        set(needs_visible_to(user).values_list("case__kelurahan__code", "case__kelurahan__name")),
        key=lambda kv: kv[1] or "",
    )
    return render(
        request,
        "partners/needs.html",
        {
            "rows": rows,
            "page": page,
            "kelurahan_options": kelurahan,
            "categories": NeedCategory.objects.filter(partner_can_help=True, is_active=True),
            "sexes": Sex.choices,
            "sorts": list(SORTS),
            "current": request.GET,
            "querystring": _querystring(request),
            "can_pledge": _can_pledge(request),
        },
    )


@login_required
def pledge_new(request: HttpRequest, need_id: int) -> HttpResponse:
    user = user_of(request)
    partner = partner_of(user)
    if partner is None:
        raise PermissionDenied(_("Janji bantuan dibuat dari akun mitra."))
    need = scoped_or_404(request, needs_visible_to(user), need_id)
    row = open_need_rows(CaseNeed.objects.filter(pk=need.pk), today=timezone.localdate())[0]
    form = PledgeForm(
        request.POST or None,
        initial={
            "description": need.category.name,
            "quantity": need.quantity,
            "period_months": need.period_months,
            "amount_rupiah": row.estimate_rupiah,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            pledge = pledge_create(
                actor=user, partner=partner, need=need, context=ctx(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Terima kasih! Janji bantuan menunggu persetujuan TPPS."))
            return redirect("partners:pledge_detail", pledge.pk)
    return render(request, "partners/pledge_form.html", {"form": form, "need": row})


@login_required
def pledge_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    pledges = (
        pledges_visible_to(user)
        .select_related("partner", "category", "need__case__kelurahan")
        .order_by("-created_at")
    )
    page = Paginator(pledges, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "partners/pledge_list.html", {"page": page, "querystring": _querystring(request)}
    )


@login_required
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    pledge = scoped_or_404(
        request,
        pledges_visible_to(user).select_related("partner", "category", "need__case__kelurahan"),
        pk,
    )
    own = partner_of(user)
    can_record = (own is not None and own.pk == pledge.partner_id) or is_tpps(user)
    form = DeliveryForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("Pengantaran dicatat oleh mitra pemberi bantuan."))
        if form.is_valid():
            try:
                delivery_record(
                    pledge=pledge, actor=user, context=ctx(request), **form.cleaned_data
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Pengantaran dicatat; menunggu verifikasi kader."))
                return redirect("partners:pledge_detail", pledge.pk)
    return render(
        request,
        "partners/pledge_detail.html",
        {
            "pledge": pledge,
            "deliveries": pledge.deliveries.order_by("sequence"),
            "form": form,
            "can_record": can_record and pledge.status == "approved" and not pledge.is_pool,
            "can_verify": is_verifier(user),
        },
    )


@login_required
def verify_list(request: HttpRequest) -> HttpResponse:
    """Deliveries waiting for the kader's or the puskesmas' check."""
    user = user_of(request)
    if not is_verifier(user):
        raise PermissionDenied(_("Verifikasi pengantaran dilakukan kader atau tenaga gizi."))
    waiting = (
        deliveries_visible_to(user)
        .filter(status=DeliveryStatus.RECORDED)
        .select_related("pledge__partner", "pledge__category", "pledge__need__case__child__person")
        .order_by("delivered_on")
    )
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type="registry.child",
        detail={
            "list": True,
            "via": "delivery_verify",
            "ids": sorted({d.pledge.need.case.child_id for d in waiting if d.pledge.need}),
        },
        context=ctx(request),
    )
    return render(request, "partners/verify_list.html", {"waiting": waiting})


@login_required
def delivery_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    delivery = scoped_or_404(
        request,
        deliveries_visible_to(user).select_related(
            "pledge__partner", "pledge__category", "pledge__need__case__child__person"
        ),
        pk,
    )
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type="registry.child",
        object_id=delivery.pledge.need.case.child_id if delivery.pledge.need else "",
        detail={"via": "delivery_verify", "delivery": delivery.pk},
        context=ctx(request),
    )
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            delivery_verify(
                delivery=delivery,
                actor=user,
                received=form.cleaned_data["received"],
                eaten=form.cleaned_data["eaten"],
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
                context=ctx(request),
            )
        except TransitionError as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Verifikasi tersimpan dan tampil di riwayat kasus."))
            return redirect("partners:verify_list")
    return render(request, "partners/verify_form.html", {"delivery": delivery, "form": form})
