"""Telegram Bot API (``/webhooks/telegram``); parsing by the engine's adapter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tumbuh.chatbot.channels.telegram import MAX_TEXT, Telegram
from tumbuh.messaging.channels.base import ChannelType
from tumbuh.messaging.conf import telegram_configured
from tumbuh.messaging.models import Contact
from tumbuh.messaging.senders import dispatch


class TelegramType(ChannelType):
    name = "telegram"
    title = "Telegram"

    @property
    def adapter(self) -> Telegram:
        return Telegram()

    def configured(self) -> bool:
        return telegram_configured()

    def text_payload(self, contact: Contact, text: str) -> dict[str, Any]:
        return {"chat_id": contact.address, "text": text[:MAX_TEXT]}

    def deliver_agent(self, contact: Contact, text: str, now: dt.datetime) -> str:
        if not contact.address:
            return "failed"
        dispatch(self.name, [self.text_payload(contact, text)])
        return "sent"
