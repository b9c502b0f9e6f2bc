"""The ``tumbuh chat --jsonl`` contract (ARCHITECTURE.md).

Input lines ``{"conversation": "...", "text": "..."}``; one output line
``{"conversation": "...", "reply": "..."}`` per input line, state kept per conversation. A line
that is not such an object still gets one output line, with ``"error"`` saying why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tumbuh.chatbot.channels.base import Inbound, Outbound
from tumbuh.chatbot.engine import Reply

__all__ = ["JsonLines", "error_line"]


class JsonLines:
    name = "jsonl"

    def __init__(self, details: bool = False) -> None:
        self.details = details

    def parse(self, payload: Any) -> Sequence[Inbound]:
        data = json.loads(payload) if isinstance(payload, str | bytes) else payload
        if not isinstance(data, dict):
            raise ValueError("each line must be a JSON object")
        conversation = data.get("conversation")
        text = data.get("text")
        if not isinstance(conversation, str | int) or isinstance(conversation, bool):
            raise ValueError('"conversation" must be a string')
        if not isinstance(text, str):
            raise ValueError('"text" must be a string')
        return [Inbound(conversation_id=str(conversation), text=text)]

    def render(self, inbound: Inbound, reply: Reply) -> Sequence[Outbound]:
        payload: dict[str, Any] = {"conversation": inbound.conversation_id, "reply": reply.text}
        if self.details:
            payload.update(
                intent=reply.intent.value,
                topics=list(reply.topics),
                urgent=reply.urgent,
                handoff=reply.handoff,
                confidence=round(reply.confidence, 3),
                quick_replies=list(reply.quick_replies),
            )
        return [Outbound(inbound.conversation_id, payload)]


def error_line(line: str, message: str) -> dict[str, Any]:
    conversation: Any = None
    try:
        data = json.loads(line)
        if isinstance(data, dict) and isinstance(data.get("conversation"), str):
            conversation = data["conversation"]
    except ValueError:
        pass
    return {"conversation": conversation, "reply": "", "error": message}
