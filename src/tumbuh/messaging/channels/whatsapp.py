"""WhatsApp Cloud API (``/webhooks/whatsapp``); parsing by the engine's adapter.

Free-form messages only within 24 hours of the person's last message. Outside the window an
officer's answer is held, and the approved template (``WHATSAPP_TEMPLATE``, no personal data
in it: "a health worker has answered, reply to read it") is sent instead; the held answer goes
out with the person's next message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tumbuh.chatbot.channels.whatsapp import MAX_TEXT, WhatsApp
from tumbuh.messaging.channels.base import ChannelType
from tumbuh.messaging.conf import setting, whatsapp_configured
from tumbuh.messaging.models import Contact
from tumbuh.messaging.senders import dispatch

WINDOW = dt.timedelta(hours=24)


def in_window(contact: Contact, now: dt.datetime) -> bool:
    return contact.last_inbound_at is not None and now - contact.last_inbound_at < WINDOW


class WhatsAppType(ChannelType):
    name = "whatsapp"
    title = "WhatsApp"

    @property
    def adapter(self) -> WhatsApp:
        return WhatsApp()

    def configured(self) -> bool:
        return whatsapp_configured()

    def text_payload(self, contact: Contact, text: str) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "to": contact.address,
            "type": "text",
            "text": {"body": text[:MAX_TEXT]},
        }

    def template_payload(self, contact: Contact) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "to": contact.address,
            "type": "template",
            "template": {
                "name": setting("WHATSAPP_TEMPLATE"),
                "language": {"code": setting("WHATSAPP_TEMPLATE_LANGUAGE")},
            },
        }

    def deliver_agent(self, contact: Contact, text: str, now: dt.datetime) -> str:
        if not contact.address:
            return "failed"
        if in_window(contact, now):
            dispatch(self.name, [self.text_payload(contact, text)])
            return "sent"
        contact.pending = [*contact.pending, text]
        contact.save(update_fields=["pending"])
        dispatch(self.name, [self.template_payload(contact)])
        return "template"
