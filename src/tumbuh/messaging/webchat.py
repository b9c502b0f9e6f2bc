"""The web channel shared by ``POST /api/v1/chat`` and the ``/chat/`` page.

The client's conversation id is namespaced (``web:<id>``) so a web client can never write
into a WhatsApp or Telegram conversation (``wa:...``, ``tg:...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.chatbot.channels.base import Inbound
from tumbuh.messaging.channels import channel_type
from tumbuh.messaging.conf import setting_int
from tumbuh.messaging.inbound import _sqlite_writer, handle_text
from tumbuh.messaging.models import Contact, HandoffRequest
from tumbuh.messaging.ratelimit import allow
from tumbuh.messaging.store import DatabaseStateStore, active_handoff

__all__ = [
    "CONVERSATION_RE",
    "ChatResult",
    "RateLimited",
    "WebReplies",
    "handoff_active",
    "internal_id",
    "transcript",
    "web_chat",
    "web_replies",
]

CONVERSATION_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_TEXT = 2000


class RateLimited(Exception):
    pass


@dataclass(frozen=True, slots=True)
class ChatResult:
    conversation: str
    reply: str
    quick_replies: tuple[str, ...]
    handoff: bool
    urgent: bool
    messages: tuple[str, ...]
    """Answers from an officer that were waiting for this conversation."""


def internal_id(conversation: str) -> str:
    return f"web:{conversation}"


def web_chat(*, conversation: str, text: str, ip: str | None) -> ChatResult:
    if not allow(f"chat:c:{conversation}", setting_int("CHAT_RATE_PER_MINUTE")):
        raise RateLimited
    if not allow(f"chat:ip:{ip or '-'}", setting_int("CHAT_RATE_PER_IP_MINUTE")):
        raise RateLimited
    kind = channel_type("web")
    assert kind is not None
    handled = handle_text(kind, Inbound(conversation_id=internal_id(conversation), text=text))
    reply = handled.reply
    assert reply is not None
    return ChatResult(
        conversation=conversation,
        reply=reply.text,
        quick_replies=tuple(reply.quick_replies),
        handoff=reply.handoff,
        urgent=reply.urgent,
        messages=tuple(handled.delivered),
    )


def transcript(conversation: str) -> list[tuple[str, str]]:
    """(role, text) turns of a web conversation, for the page without JavaScript."""
    state = DatabaseStateStore().get(internal_id(conversation))
    if state is None:
        return []
    return [(role, text) for role, text, _ in state.transcript if text]


@dataclass(frozen=True, slots=True)
class WebReplies:
    messages: tuple[str, ...]
    """Officers' answers that were waiting; handed out once (removed from the contact)."""
    handoff: bool
    """A handoff is still open or claimed: the widget keeps polling."""


def handoff_active(conversation: str) -> bool:
    return active_handoff(internal_id(conversation)) is not None


def web_replies(*, conversation: str, ip: str | None, context: AuditContext = SYSTEM) -> WebReplies:
    """The officers' answers waiting for a web conversation, taken without the person
    writing again (issue 12 item 10). The caller proves it owns ``conversation`` (the
    ``/chat/`` session); each delivery is audited (without the text), like a view."""
    if not allow(f"chat:poll:c:{conversation}", setting_int("CHAT_POLL_PER_MINUTE")):
        raise RateLimited
    if not allow(f"chat:poll:ip:{ip or '-'}", setting_int("CHAT_POLL_PER_IP_MINUTE")):
        raise RateLimited
    conversation_id = internal_id(conversation)
    handoff = active_handoff(conversation_id)
    kind = channel_type("web")
    assert kind is not None
    with _sqlite_writer(), transaction.atomic():
        contact = (
            Contact.objects.select_for_update().filter(conversation_id=conversation_id).first()
        )
        taken = kind.take_pending(contact) if contact is not None and contact.pending else []
        if taken:
            latest = handoff or (
                HandoffRequest.objects.filter(conversation_id=conversation_id)
                .order_by("-id")
                .first()
            )
            audit_record(
                actor=None,
                action=Action.VIEW,
                object_type=object_type_of(HandoffRequest),
                object_id=latest.pk if latest is not None else "",
                detail={"via": "web poll", "delivered": len(taken)},
                context=context,
            )
    return WebReplies(messages=tuple(taken), handoff=handoff is not None)
