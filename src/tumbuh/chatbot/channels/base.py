"""The one channel interface, and the loop that connects a channel to the bot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from tumbuh.chatbot.engine import Bot, Reply
from tumbuh.chatbot.interfaces import ChatUser

__all__ = ["Channel", "Inbound", "Outbound", "handle"]


class PayloadError(ValueError):
    """A payload in a shape the channel never sends (or not JSON at all)."""


@dataclass(frozen=True, slots=True)
class Inbound:
    """One user message as any channel delivers it."""

    conversation_id: str
    text: str
    message_id: str = ""
    """The channel's id for deduplication (WhatsApp retries; Telegram update_id)."""
    sender: str = ""
    """The channel address (phone number, chat id); never shown to the bot's answers."""
    user: ChatUser | None = None
    """Set by the platform when the sender is already verified (e.g. a known WhatsApp number)."""


@dataclass(frozen=True, slots=True)
class Outbound:
    conversation_id: str
    payload: dict[str, Any]
    """What to send (a JSON body for the channel's send API, or a JSON line)."""


@runtime_checkable
class Channel(Protocol):
    name: str

    def parse(self, payload: Any) -> Sequence[Inbound]:
        """Every user message in one incoming payload (status updates give none)."""
        ...

    def render(self, inbound: Inbound, reply: Reply) -> Sequence[Outbound]:
        """What to send back for one reply (nothing when the reply is silent)."""
        ...


def handle(bot: Bot, channel: Channel, payload: Any) -> list[Outbound]:
    """Parse a payload, answer each message, render the replies."""
    out: list[Outbound] = []
    for inbound in channel.parse(payload):
        reply = bot.reply(
            inbound.conversation_id, inbound.text, channel=channel.name, user=inbound.user
        )
        out.extend(channel.render(inbound, reply))
    return out
