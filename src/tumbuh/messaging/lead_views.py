"""Pages of the kader-visit leads: the list for the kader and officers of the kelurahan, one
lead (audited view), and its status change. Thin: the work is in ``messaging.leads``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tumbuh.audit.context import AuditContext
from tumbuh.messaging import leads
from tumbuh.messaging.models import OPEN_LEAD_STATUSES, LeadStatus
from tumbuh.messaging.selectors import can_act, has_queue, leads_visible_to

__all__ = ["lead_detail", "lead_list", "lead_status"]


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    if not has_queue(request.user):
        raise PermissionDenied(_("Peran Anda tidak mempunyai daftar kunjungan."))
    visible = leads_visible_to(request.user).select_related("kelurahan", "handled_by")
    return render(
        request,
        "messaging/lead_list.html",
        {
            "open": visible.filter(status__in=OPEN_LEAD_STATUSES).order_by("created_at"),
            "closed": visible.exclude(status__in=OPEN_LEAD_STATUSES).order_by("-closed_at")[:50],
        },
    )


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = leads.lead_open(
        actor=request.user, lead_id=pk, context=AuditContext.from_request(request)
    )
    choices = [(s, LeadStatus(s).label) for s in sorted(leads.TRANSITIONS[lead.status])]
    acting = can_act(request.user)
    # The number is for whoever visits (kader, nutrition officer, TPPS); others see it masked.
    phone = lead.phone if acting else mask_phone(lead.phone)
    return render(
        request,
        "messaging/lead_detail.html",
        {"lead": lead, "choices": choices, "can_act": acting, "phone": phone},
    )


def mask_phone(phone: str) -> str:
    """ "081234567890" -> "0812******90"."""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 6) + phone[-2:]


@login_required
@require_POST
def lead_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        leads.lead_set_status(
            actor=request.user,
            lead_id=pk,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
            context=AuditContext.from_request(request),
        )
        messages.success(request, _("Status permintaan kunjungan tersimpan."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("messaging:lead_detail", pk=pk)
