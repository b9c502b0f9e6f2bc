"""Pages: the public chat (``/chat/``, works without JavaScript) and the handoff queue for
kader and nutrition officers. Thin: the work is in ``webchat``, ``selectors``, ``services``."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tumbuh.audit.context import AuditContext, client_ip
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.messaging import services
from tumbuh.messaging.models import HandoffRequest, HandoffStatus
from tumbuh.messaging.selectors import (
    can_act,
    handoff_messages,
    handoffs_visible_to,
    has_queue,
)
from tumbuh.messaging.webchat import (
    MAX_TEXT,
    RateLimited,
    handoff_active,
    transcript,
    web_chat,
    web_replies,
)

SESSION_KEY = "tumbuh_chat_conversation"


def _conversation(request: HttpRequest) -> str:
    conversation = request.session.get(SESSION_KEY)
    if not isinstance(conversation, str):
        conversation = "w" + secrets.token_urlsafe(18)
        request.session[SESSION_KEY] = conversation
    return conversation


def chat(request: HttpRequest) -> HttpResponse:
    conversation = _conversation(request)
    if request.method == "POST":
        text = request.POST.get("text", "").strip()[:MAX_TEXT]
        if text:
            try:
                web_chat(conversation=conversation, text=text, ip=client_ip(request))
            except RateLimited:
                messages.warning(request, _("Terlalu banyak pesan; coba lagi sebentar lagi."))
        return redirect("messaging:chat")
    return render(
        request,
        "messaging/chat.html",
        {
            "conversation": conversation,
            "turns": transcript(conversation),
            "handoff": handoff_active(conversation),
        },
    )


@never_cache
@require_GET
def chat_replies(request: HttpRequest) -> JsonResponse:
    """``GET /chat/balasan/``: officers' answers waiting for *this session's* conversation
    (the widget polls it while a handoff is open). The conversation comes only from the
    session, never from the request, so guessing another visitor's id reads nothing."""
    conversation = request.session.get(SESSION_KEY)
    if not isinstance(conversation, str):
        return JsonResponse({"messages": [], "handoff": False})
    try:
        replies = web_replies(
            conversation=conversation,
            ip=client_ip(request),
            context=AuditContext.from_request(request),
        )
    except RateLimited:
        return JsonResponse(
            {"detail": _("Terlalu banyak permintaan; coba lagi sebentar lagi.")}, status=429
        )
    return JsonResponse({"messages": list(replies.messages), "handoff": replies.handoff})


@login_required
def handoff_list(request: HttpRequest) -> HttpResponse:
    context = AuditContext.from_request(request)
    if not has_queue(request.user):
        _audit_denied(request.user, "", context, "no queue for this role")
        raise PermissionDenied(_("Peran Anda tidak mempunyai antrian chat."))
    visible = handoffs_visible_to(request.user).select_related("kelurahan", "assigned_to")
    lists = {
        "open": list(visible.filter(status=HandoffStatus.OPEN).order_by("created_at")),
        "mine": list(visible.filter(status=HandoffStatus.CLAIMED, assigned_to=request.user)),
        "others": list(
            visible.filter(status=HandoffStatus.CLAIMED).exclude(assigned_to=request.user)
        ),
    }
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type=object_type_of(HandoffRequest),
        detail={"list": True, "ids": [h.pk for rows in lists.values() for h in rows]},
        context=context,
    )
    return render(
        request,
        "messaging/handoff_list.html",
        {**lists, "can_act": can_act(request.user)},
    )


def _audit_denied(user: Any, handoff_id: object, context: AuditContext, reason: str) -> None:
    audit_record(
        actor=user,
        action=Action.DENIED,
        object_type=object_type_of(HandoffRequest),
        object_id=handoff_id,
        detail={"reason": reason},
        context=context,
    )


@login_required
def handoff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = AuditContext.from_request(request)
    try:
        handoff = services.handoff_open(actor=request.user, handoff_id=pk, context=context)
    except PermissionDenied:
        _audit_denied(request.user, pk, context, "outside the user's area")
        raise
    return render(
        request,
        "messaging/handoff_detail.html",
        {
            "handoff": handoff,
            "transcript": [(r, t, at) for r, t, at in handoff.transcript],
            "messages_list": handoff_messages(handoff),
            "can_act": can_act(request.user),
            "mine": handoff.assigned_to_id == request.user.pk,
        },
    )


@login_required
@require_POST
def handoff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    context = AuditContext.from_request(request)
    try:
        if action == "claim":
            services.handoff_claim(actor=request.user, handoff_id=pk, context=context)
            messages.success(request, _("Percakapan Anda ambil; chatbot diam sampai selesai."))
        elif action == "answer":
            message = services.handoff_answer(
                actor=request.user,
                handoff_id=pk,
                text=request.POST.get("text", ""),
                context=context,
            )
            note = {
                "sent": _("Jawaban terkirim."),
                "template": _(
                    "Di luar jendela 24 jam WhatsApp: pemberitahuan templat terkirim; jawaban "
                    "dikirim saat pengguna membalas."
                ),
                "pending": _("Jawaban tampil saat pengguna membuka obrolan lagi."),
            }.get(message.delivery, _("Jawaban tersimpan tetapi tidak dapat dikirim."))
            messages.success(request, note)
        elif action == "close":
            services.handoff_close(actor=request.user, handoff_id=pk, context=context)
            messages.success(request, _("Percakapan selesai; chatbot menjawab lagi."))
            return redirect("messaging:handoff_list")
        else:
            raise PermissionDenied
    except PermissionDenied:
        # A refused claim, answer or close: the service's transaction rolled back, so the
        # refusal is written here (issue 11, finding 8).
        _audit_denied(request.user, pk, context, f"refused {action}")
        raise
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("messaging:handoff_detail", pk=pk)
