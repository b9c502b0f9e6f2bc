"""Officers' work on handoffs: claim, answer, close. Each checks scope and role, runs in a
transaction and writes an audit row; answers go out through the conversation's channel."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.messaging.channels import channel_type
from tumbuh.messaging.models import Contact, HandoffMessage, HandoffRequest, HandoffStatus
from tumbuh.messaging.selectors import can_act, handoffs_visible_to

__all__ = ["handoff_answer", "handoff_claim", "handoff_close", "handoff_open"]

MAX_ANSWER_CHARS = 4000


def handoff_open(*, actor: User, handoff_id: int, context: AuditContext = SYSTEM) -> HandoffRequest:
    """The handoff if ``actor`` may see it (audited view); PermissionDenied otherwise."""
    handoff = (
        handoffs_visible_to(actor)
        .select_related("kelurahan", "assigned_to")
        .filter(pk=handoff_id)
        .first()
    )
    if handoff is None:
        raise PermissionDenied("Percakapan ini di luar wilayah Anda.")
    audit_object(actor=actor, action=Action.VIEW, obj=handoff, context=context)
    return handoff


def _locked(actor: User, handoff_id: int) -> HandoffRequest:
    if not can_act(actor):
        raise PermissionDenied("Peran Anda tidak menangani percakapan chatbot.")
    handoff = handoffs_visible_to(actor).select_for_update().filter(pk=handoff_id).first()
    if handoff is None:
        raise PermissionDenied("Percakapan ini di luar wilayah Anda.")
    return handoff


@transaction.atomic
def handoff_claim(
    *, actor: User, handoff_id: int, context: AuditContext = SYSTEM
) -> HandoffRequest:
    """Take the conversation: from now on the bot stays quiet in it."""
    handoff = _locked(actor, handoff_id)
    if handoff.status == HandoffStatus.CLOSED:
        raise ValidationError("Percakapan ini sudah selesai.")
    if handoff.status == HandoffStatus.CLAIMED and handoff.assigned_to_id != actor.pk:
        raise ValidationError("Percakapan ini sudah ditangani petugas lain.")
    handoff.status = HandoffStatus.CLAIMED
    handoff.assigned_to = actor
    handoff.claimed_at = timezone.now()
    handoff.save(update_fields=["status", "assigned_to", "claimed_at"])
    audit_object(
        actor=actor,
        action=Action.UPDATE,
        obj=handoff,
        changed_fields=["status", "assigned_to"],
        detail={"event": "claim"},
        context=context,
    )
    return handoff


@transaction.atomic
def handoff_answer(
    *, actor: User, handoff_id: int, text: str, context: AuditContext = SYSTEM
) -> HandoffMessage:
    """Answer the person through the conversation's channel (claiming it if still open)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Tulis jawaban terlebih dahulu."]})
    if len(text) > MAX_ANSWER_CHARS:
        raise ValidationError({"text": [f"Jawaban terlalu panjang (maks. {MAX_ANSWER_CHARS})."]})
    handoff = _locked(actor, handoff_id)
    if handoff.status == HandoffStatus.OPEN:
        handoff = handoff_claim(actor=actor, handoff_id=handoff_id, context=context)
    if handoff.status != HandoffStatus.CLAIMED or handoff.assigned_to_id != actor.pk:
        raise ValidationError("Ambil percakapan ini dulu sebelum menjawab.")
    now = timezone.now()
    kind = channel_type(handoff.channel)
    contact = Contact.objects.filter(conversation_id=handoff.conversation_id).first()
    if kind is None or contact is None:
        delivery = "failed"
    else:
        delivery = kind.deliver_agent(contact, text, now)
    message = HandoffMessage.objects.create(
        handoff=handoff,
        author=HandoffMessage.Author.AGENT,
        user=actor,
        text=text,
        at=now,
        delivery=delivery,
    )
    audit_object(
        actor=actor,
        action=Action.CREATE,
        obj=message,
        detail={"handoff": handoff.pk, "channel": handoff.channel, "delivery": delivery},
        context=context,
    )
    return message


@transaction.atomic
def handoff_close(
    *, actor: User, handoff_id: int, context: AuditContext = SYSTEM
) -> HandoffRequest:
    """Give the conversation back to the bot."""
    handoff = _locked(actor, handoff_id)
    if handoff.status == HandoffStatus.CLOSED:
        return handoff
    others = handoff.status == HandoffStatus.CLAIMED and handoff.assigned_to_id != actor.pk
    if others and not actor.is_superuser:
        raise ValidationError("Percakapan ini ditangani petugas lain.")
    handoff.status = HandoffStatus.CLOSED
    handoff.closed_at = timezone.now()
    handoff.save(update_fields=["status", "closed_at"])
    audit_object(
        actor=actor,
        action=Action.UPDATE,
        obj=handoff,
        changed_fields=["status"],
        detail={"event": "close"},
        context=context,
    )
    return handoff
