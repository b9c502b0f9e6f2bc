"""The web channel shared by ``POST /api/v1/chat`` and the ``/chat/`` page.

The client's conversation id is namespaced (``web:<id>``) so a web client can never write
into a WhatsApp or Telegram conversation (``wa:...``, ``tg:...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tumbuh.chatbot.channels.base import Inbound
from tumbuh.messaging.channels import channel_type
from tumbuh.messaging.conf import setting_int
from tumbuh.messaging.inbound import handle_text
from tumbuh.messaging.ratelimit import allow
from tumbuh.messaging.store import DatabaseStateStore

__all__ = ["CONVERSATION_RE", "ChatResult", "RateLimited", "internal_id", "transcript", "web_chat"]

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
