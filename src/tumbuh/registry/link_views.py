"""The link queue page (issue 11, finding 1): an officer who sees both records links a new
child to the registered family or mother its registration named, or dismisses the request.
Thin: the queue is ``selectors.link_requests_visible_to``, the decision
``services.links.link_request_decide``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.registry.links import LinkRequest, LinkStatus
from tumbuh.registry.selectors import link_requests_visible_to


@login_required
def link_list(request: HttpRequest) -> HttpResponse:
    """Open link requests the officer decides, oldest first."""
    queue = list(
        link_requests_visible_to(request.user)
        .filter(status=LinkStatus.OPEN)
        .select_related(
            "child__person__family__kelurahan",
            "family__kelurahan",
            "mother__person__family__kelurahan",
            "requested_by",
        )
        .order_by("created_at", "pk")[:200]
    )
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type=object_type_of(LinkRequest),
        detail={"list": True, "ids": [link.pk for link in queue]},
        context=AuditContext.from_request(request),
    )
    return render(request, "registry/link_list.html", {"queue": queue})


@login_required
@require_POST
def link_decide(request: HttpRequest, link_id: int, decision: str) -> HttpResponse:
    if decision not in ("tautkan", "tolak"):
        raise Http404
    context = AuditContext.from_request(request)
    link = link_requests_visible_to(request.user).filter(pk=link_id).first()
    if link is None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.DENIED,
            object_type=object_type_of(LinkRequest),
            object_id=link_id,
            context=context,
        )
        raise Http404(_("Permintaan penautan tidak ditemukan."))
    try:
        from tumbuh.registry.services.links import link_request_decide

        link_request_decide(
            actor=request.user,  # type: ignore[arg-type]
            link=link,
            accept=decision == "tautkan",
            note=request.POST.get("note", ""),
            context=context,
        )
    except (ValidationError, PermissionDenied) as exc:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Anak ditautkan ke data yang terdaftar.")
            if decision == "tautkan"
            else _("Permintaan ditolak; data anak tetap terpisah."),
        )
    return redirect("registry:link_list")
