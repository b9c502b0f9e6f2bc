"""``POST /api/v1/chat`` (ARCHITECTURE.md): anonymous, rate-limited per conversation and IP.

``{"conversation": "...", "text": "..."}`` -> ``{"conversation", "reply", "quick_replies",
"handoff", "urgent", "messages"}``; ``messages`` carries an officer's answers that were waiting.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from tumbuh.audit.context import client_ip
from tumbuh.messaging.webchat import MAX_TEXT, RateLimited, web_chat

router = Router(tags=["chat"])


class ChatIn(Schema):
    conversation: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Id percakapan pilihan klien (acak, mis. UUID); huruf, angka, _ . : -",
    )
    text: str = Field(max_length=MAX_TEXT, description="Pesan pengguna")


class ChatOut(Schema):
    conversation: str
    reply: str
    quick_replies: list[str]
    handoff: bool
    urgent: bool
    messages: list[str]


class RateOut(Schema):
    detail: str


@router.post("", auth=None, response={200: ChatOut, 429: RateOut}, summary="Kirim pesan ke chatbot")
def chat(request: HttpRequest, payload: ChatIn) -> dict[str, object]:
    """Tanpa token. Dibatasi per percakapan dan per alamat IP (HTTP 429 bila berlebihan)."""
    try:
        result = web_chat(
            conversation=payload.conversation, text=payload.text, ip=client_ip(request)
        )
    except RateLimited:
        raise HttpError(429, "Terlalu banyak pesan; coba lagi sebentar lagi.") from None
    return {
        "conversation": result.conversation,
        "reply": result.reply,
        "quick_replies": list(result.quick_replies),
        "handoff": result.handoff,
        "urgent": result.urgent,
        "messages": list(result.messages),
    }
