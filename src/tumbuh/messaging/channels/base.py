"""The one base class every channel type extends."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from tumbuh.chatbot.channels.base import Channel
from tumbuh.messaging.models import Contact


class ChannelType:
    """A channel: its engine adapter (payload parsing and rendering, framework-free), whether
    it is configured, and how an officer's answer reaches the person."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""

    @property
    def adapter(self) -> Channel | None:
        """The engine's adapter (``tumbuh.chatbot.channels``); None for the web widget."""
        return None

    def configured(self) -> bool:
        return True

    def deliver_agent(self, contact: Contact, text: str, now: dt.datetime) -> str:
        """Send an officer's answer; returns "sent", "template", "pending" or "failed"."""
        contact.pending = [*contact.pending, text]
        contact.save(update_fields=["pending"])
        return "pending"

    def take_pending(self, contact: Contact) -> list[str]:
        """Answers waiting for this contact, removed from the store."""
        pending = list(contact.pending)
        if pending:
            contact.pending = []
            contact.save(update_fields=["pending"])
        return pending

    def text_payload(self, contact: Contact, text: str) -> dict[str, Any]:
        raise NotImplementedError
