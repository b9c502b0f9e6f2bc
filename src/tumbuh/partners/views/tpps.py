"""TPPS pages: partners and their sign-ups, pledge decisions and pool allocation, patron
assignment, and the overdue-visit list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tumbuh.accounts.models import User
from tumbuh.partners.access import AREA, is_tpps
from tumbuh.partners.forms import AllocateForm, AssignForm, DecisionForm, WithdrawForm
from tumbuh.partners.models import PartnerApplication, Pledge, PledgeStatus
from tumbuh.partners.portal import patron_children, patron_scores
from tumbuh.partners.schedule import VisitState
from tumbuh.partners.selectors import (
    needs_visible_to,
    partners_for,
    patronages_visible_to,
    pledges_visible_to,
)
from tumbuh.partners.services import (
    TransitionError,
    applications_for,
    consent_withdraw,
    partner_approve,
    partner_reject,
    patron_assign,
    pledge_approve,
    pledge_reject,
    pool_allocate,
)
from tumbuh.partners.views.common import ctx, scoped_or_404, user_of
from tumbuh.registry.selectors import children_visible_to


def _tpps(request: HttpRequest) -> User:
    user = user_of(request)
    if not is_tpps(user):
        raise PermissionDenied(_("Halaman ini untuk TPPS."))
    return user


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    """TPPS: sign-ups to decide and every partner; kecamatan and kelurahan officers: the
    partners active in their area (read only)."""
    user = user_of(request)
    if not is_tpps(user) and not (user.role in AREA and user.region is not None):
        raise PermissionDenied(_("Halaman ini untuk TPPS dan petugas wilayah."))
    return render(
        request,
        "partners/tpps_partners.html",
        {
            "applications": applications_for(user),
            "partners": partners_for(user).prefetch_related("covers"),
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    user = _tpps(request)
    if decision not in ("approve", "reject"):
        raise Http404("keputusan tidak dikenal")
    application = next((a for a in applications_for(user) if a.pk == pk), None)
    if application is None:
        scoped_or_404(request, PartnerApplication.objects.none(), pk)
    assert application is not None
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            partner_approve(application=application, actor=user, note=note, context=ctx(request))
            messages.success(request, _("Mitra disetujui; akunnya sudah dapat dipakai masuk."))
        else:
            partner_reject(application=application, actor=user, note=note, context=ctx(request))
            messages.success(request, _("Pendaftaran ditolak."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("partners:tpps_partners")


@login_required
def pledge_queue(request: HttpRequest) -> HttpResponse:
    user = _tpps(request)
    pending = (
        pledges_visible_to(user)
        .filter(status=PledgeStatus.PENDING)
        .select_related("partner", "category", "need__case__kelurahan")
        .order_by("created_at")
    )
    pools = (
        pledges_visible_to(user)
        .filter(status=PledgeStatus.APPROVED, need__isnull=True)
        .select_related("partner", "category")
    )
    return render(
        request,
        "partners/tpps_pledges.html",
        {"pending": pending, "pools": pools, "form": DecisionForm(), "allocate": AllocateForm()},
    )


@login_required
@require_POST
def pledge_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    user = _tpps(request)
    if decision not in ("approve", "reject"):
        raise Http404("keputusan tidak dikenal")
    pledge = scoped_or_404(request, pledges_visible_to(user), pk)
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            pledge_approve(pledge=pledge, actor=user, note=note, context=ctx(request))
            messages.success(request, _("Janji bantuan disetujui; jadwal pengantaran dibuat."))
        else:
            pledge_reject(pledge=pledge, actor=user, reason=note, context=ctx(request))
            messages.success(request, _("Janji bantuan ditolak."))
    except (ValidationError, TransitionError) as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("partners:tpps_pledges")


@login_required
@require_POST
def pool_allocate_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _tpps(request)
    pool: Pledge = scoped_or_404(request, pledges_visible_to(user), pk)
    form = AllocateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi nomor kebutuhan dan nilai rupiah."))
        return redirect("partners:tpps_pledges")
    need = scoped_or_404(request, needs_visible_to(user), form.cleaned_data["need"])
    try:
        pool_allocate(
            pool=pool,
            need=need,
            amount_rupiah=form.cleaned_data["amount_rupiah"],
            actor=user,
            context=ctx(request),
        )
        messages.success(
            request, _("Dana bersama dibagikan ke kebutuhan #%(id)s.") % {"id": need.pk}
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("partners:tpps_pledges")


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    user = _tpps(request)
    form = AssignForm(request.POST or None, initial={"child": request.GET.get("child", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = scoped_or_404(request, children_visible_to(user), data["child"])
        patron = User.objects.filter(username=data["patron"], role="partner").first()
        if patron is None:
            form.add_error("patron", _("Tidak ada akun mitra dengan nama pengguna itu."))
        else:
            try:
                patron_assign(
                    actor=user,
                    child=child,
                    patron=patron,
                    visibility=data["visibility"],
                    consent_by_name=data["consent_by_name"],
                    consent_relationship=data["consent_relationship"],
                    consent_method=data["consent_method"],
                    consent_on=data["consent_on"],
                    started_on=data["started_on"],
                    context=ctx(request),
                )
            except ValidationError as exc:
                from tumbuh.registry.forms import apply_service_errors

                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Anak asuh ditetapkan; bapak asuh dapat melihatnya."))
                return redirect("partners:tpps_visits")
    return render(request, "partners/tpps_assign.html", {"form": form})


@login_required
def overdue_visits(request: HttpRequest) -> HttpResponse:
    user = _tpps(request)
    today = timezone.localdate()
    cards = patron_children(
        user,
        today=today,
        with_growth=False,
        patronages=patronages_visible_to(user).select_related("patron"),
    )
    late = [c for c in cards if c.plan.state in (VisitState.OVERDUE, VisitState.MISSED)]
    late.sort(key=lambda c: -c.plan.days_late)
    return render(
        request,
        "partners/tpps_visits.html",
        {"late": late, "all": cards, "scores": patron_scores(cards)},
    )


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the family's withdrawal of consent (TPPS, area officers, kader, tenaga gizi):
    the patron loses access at once."""
    user = user_of(request)
    if user.role == "partner":
        raise PermissionDenied(_("Penarikan persetujuan dicatat petugas, bukan mitra."))
    patronage = scoped_or_404(
        request, patronages_visible_to(user).filter(ended_on__isnull=True), pk
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(
                patronage=patronage,
                actor=user,
                reason=form.cleaned_data["reason"],
                context=ctx(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(
                request, _("Persetujuan ditarik; bapak asuh tidak lagi dapat melihat anak ini.")
            )
            return redirect("partners:tpps_visits" if is_tpps(user) else "dashboard:home")
    return render(request, "partners/withdraw.html", {"patronage": patronage, "form": form})
