"""WhatsApp Cloud API, framework-free (CHATBOT.md "Channels").

The platform's view: answer the GET handshake with :func:`verify_handshake`, check
``X-Hub-Signature-256`` with :func:`valid_signature` on the raw body BEFORE parsing, answer
2xx fast, deduplicate on ``Inbound.message_id`` ("wamid..."), then send each rendered payload
with ``POST /<version>/<phone_number_id>/messages`` and a bearer token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from tumbuh.chatbot.channels.base import Inbound, Outbound, PayloadError
from tumbuh.chatbot.engine import Reply

__all__ = ["MAX_TEXT", "WhatsApp", "valid_signature", "verify_handshake"]

MAX_TEXT: Final = 4096
MAX_BUTTONS: Final = 3
MAX_BUTTON_TITLE: Final = 20


def verify_handshake(params: Mapping[str, str], verify_token: str) -> str | None:
    """The bare ``hub.challenge`` to answer with 200, or None (answer 403)."""
    if params.get("hub.mode") != "subscribe":
        return None
    given = params.get("hub.verify_token", "")
    if not hmac.compare_digest(given.encode(), verify_token.encode()):
        return None
    return params.get("hub.challenge")


def valid_signature(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """``X-Hub-Signature-256: sha256=<hex>`` = HMAC-SHA256(app secret, raw body)."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


class WhatsApp:
    name = "whatsapp"

    def parse(self, payload: Any) -> Sequence[Inbound]:
        """The text messages in a payload; ``PayloadError`` for anything WhatsApp never sends."""
        try:
            return self._parse(payload)
        except (AttributeError, TypeError, KeyError, ValueError) as exc:
            raise PayloadError(f"unexpected WhatsApp payload: {exc}") from exc

    def _parse(self, payload: Any) -> Sequence[Inbound]:
        data = json.loads(payload) if isinstance(payload, str | bytes) else payload
        out: list[Inbound] = []
        for entry in data.get("entry", []) or []:
            for change in entry.get("changes", []) or []:
                value = change.get("value", {}) or {}
                for message in value.get("messages", []) or []:
                    text = _text(message)
                    sender = str(message.get("from", ""))
                    if text is None or not sender:
                        continue
                    out.append(
                        Inbound(
                            conversation_id=f"wa:{sender}",
                            text=text,
                            message_id=str(message.get("id", "")),
                            sender=sender,
                        )
                    )
        return out

    def render(self, inbound: Inbound, reply: Reply) -> Sequence[Outbound]:
        if reply.silent or not reply.text:
            return []
        text = reply.text[:MAX_TEXT]
        buttons = [q for q in reply.quick_replies if len(q) <= MAX_BUTTON_TITLE][:MAX_BUTTONS]
        if buttons:
            body: dict[str, Any] = {
                "messaging_product": "whatsapp",
                "to": inbound.sender,
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": text},
                    "action": {
                        "buttons": [
                            {"type": "reply", "reply": {"id": f"q{i}", "title": title}}
                            for i, title in enumerate(buttons)
                        ]
                    },
                },
            }
            if len(text) > 1024:
                # Interactive bodies are limited to 1,024 characters: send the text first.
                return [
                    Outbound(inbound.conversation_id, _text_body(inbound.sender, text)),
                ]
            return [Outbound(inbound.conversation_id, body)]
        return [Outbound(inbound.conversation_id, _text_body(inbound.sender, text))]


def _text_body(to: str, text: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": text}}


def _text(message: Mapping[str, Any]) -> str | None:
    kind = message.get("type")
    if kind == "text":
        body = (message.get("text") or {}).get("body")
        return str(body) if body is not None else None
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        for key in ("button_reply", "list_reply"):
            if key in interactive:
                return str(interactive[key].get("title", ""))
    if kind == "button":
        return str((message.get("button") or {}).get("text", ""))
    return None
