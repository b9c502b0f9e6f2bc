"""Telegram Bot API webhooks, framework-free (CHATBOT.md "Channels").

``setWebhook`` with a ``secret_token``; every POST carries
``X-Telegram-Bot-Api-Secret-Token``, compared with :func:`valid_secret` in constant time.
Deduplicate on ``update_id`` (``Inbound.message_id``). Send each rendered payload with
``sendMessage``.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Sequence
from typing import Any, Final

from tumbuh.chatbot.channels.base import Inbound, Outbound, PayloadError
from tumbuh.chatbot.engine import Reply

__all__ = ["Telegram", "valid_secret"]

MAX_TEXT: Final = 4096


def valid_secret(header: str | None, secret: str) -> bool:
    return bool(header) and hmac.compare_digest(str(header).encode(), secret.encode())


class Telegram:
    name = "telegram"

    def parse(self, payload: Any) -> Sequence[Inbound]:
        """The text messages in a payload; ``PayloadError`` for anything Telegram never sends."""
        try:
            return self._parse(payload)
        except (AttributeError, TypeError, KeyError, ValueError) as exc:
            raise PayloadError(f"unexpected Telegram payload: {exc}") from exc

    def _parse(self, payload: Any) -> Sequence[Inbound]:
        data = json.loads(payload) if isinstance(payload, str | bytes) else payload
        update_id = str(data.get("update_id", ""))
        message = data.get("message") or data.get("edited_message")
        if message and isinstance(message.get("text"), str):
            chat_id = str((message.get("chat") or {}).get("id", ""))
            if chat_id:
                return [Inbound(f"tg:{chat_id}", message["text"], update_id, chat_id)]
        callback = data.get("callback_query")
        if callback and isinstance(callback.get("data"), str):
            chat = ((callback.get("message") or {}).get("chat") or {}).get("id")
            if chat is not None:
                return [Inbound(f"tg:{chat}", callback["data"], update_id, str(chat))]
        return []

    def render(self, inbound: Inbound, reply: Reply) -> Sequence[Outbound]:
        if reply.silent or not reply.text:
            return []
        body: dict[str, Any] = {"chat_id": inbound.sender, "text": reply.text[:MAX_TEXT]}
        if reply.quick_replies:
            body["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": q, "callback_data": q[:64]}] for q in reply.quick_replies[:4]
                ]
            }
        return [Outbound(inbound.conversation_id, body)]
