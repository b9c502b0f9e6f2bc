"""The partner portal (phone-first): "Anak asuh saya", one child with the visit form,
"Kontribusi saya" with the thank-you summary, and the certificate (piagam) as PDF."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.partners.access import partner_of
from tumbuh.partners.forms import VisitForm
from tumbuh.partners.models import VisitReminder
from tumbuh.partners.portal import partner_ledger, patron_children, rupiah
from tumbuh.partners.selectors import active_patronages_of
from tumbuh.partners.services import patronage_for_child, visit_log
from tumbuh.partners.views.common import ctx, user_of
from tumbuh.registry.forms import apply_service_errors
from tumbuh.registry.models import Child


def _partner(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = user_of(request)
    org = partner_of(user)
    if org is None:
        raise PermissionDenied(_("Halaman ini untuk mitra dan bapak asuh."))
    return user, org


@login_required
def my_children(request: HttpRequest) -> HttpResponse:
    user, _org = _partner(request)
    today = timezone.localdate()
    cards = patron_children(user, today=today)
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(Child),
        detail={"list": True, "ids": [c.patronage.child_id for c in cards], "via": "portal"},
        context=ctx(request),
    )
    reminders = VisitReminder.objects.filter(
        patronage__in=active_patronages_of(user), read_at__isnull=True
    ).select_related("patronage")[:5]
    return render(request, "partners/my_children.html", {"cards": cards, "reminders": reminders})


@login_required
def child_page(request: HttpRequest, child_id: int) -> HttpResponse:
    user, _org = _partner(request)
    patronage = patronage_for_child(actor=user, child_id=child_id, context=ctx(request))
    today = timezone.localdate()
    card = next(
        c
        for c in patron_children(user, today=today, patronages=active_patronages_of(user))
        if c.patronage.pk == patronage.pk
    )
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit_log(
                actor=user,
                patronage=patronage,
                visited_on=data["visited_on"],
                child_seen=data["child_seen"],
                companions=data["companions"],
                note=data["note"],
                photo=data["photo"],
                context=ctx(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            VisitReminder.objects.filter(patronage=patronage, read_at__isnull=True).update(
                read_at=timezone.now()
            )
            messages.success(request, _("Kunjungan tercatat. Terima kasih sudah berkunjung!"))
            return redirect("partners:child", child_id)
    visits = patronage.visits.order_by("-visited_on")[:10]
    return render(request, "partners/child.html", {"card": card, "form": form, "visits": visits})


@login_required
def my_contributions(request: HttpRequest) -> HttpResponse:
    user, org = _partner(request)
    ledger = partner_ledger(org)
    cards = patron_children(user, today=timezone.localdate(), with_growth=False)
    visits = sum(c.visits for c in cards)
    return render(
        request,
        "partners/my_contributions.html",
        {
            "org": org,
            "ledger": ledger,
            "pledged": rupiah(ledger.pledged_rupiah),
            "delivered": rupiah(ledger.delivered_rupiah),
            "by_kelurahan": [(k, rupiah(v)) for k, v in ledger.by_kelurahan],
            "by_period": [(k, rupiah(v)) for k, v in ledger.by_period],
            "children": len(cards),
            "visits": visits,
            "year": timezone.localdate().year,
        },
    )


@login_required
def certificate(request: HttpRequest, year: int) -> HttpResponse:
    """Piagam penghargaan for one year, as PDF (WeasyPrint, no network: fonts and styles are
    local, images none)."""
    _user, org = _partner(request)
    ledger = partner_ledger(org)
    by_year = sum(v for k, v in ledger.by_period if k.startswith(f"{year}-"))
    html = render_to_string(
        "partners/certificate.html",
        {
            "org": org,
            "year": year,
            "total": rupiah(by_year),
            "children": ledger.children_helped,
            "deliveries": ledger.verified_deliveries,
            "today": dt.date.today(),
        },
    )
    from weasyprint import HTML  # heavy import: only when a certificate is asked for

    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="piagam-{org.code}-{year}.pdf"'
    return response
