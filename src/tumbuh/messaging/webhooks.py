"""``/webhooks/whatsapp`` and ``/webhooks/telegram`` (CHATBOT.md "Channels", ADR 0040).

Authenticity first, on the raw body, before anything is parsed: a forged request gets 403 and
nothing is processed. Then JSON (400 when malformed), deduplication, the bot, 200. A channel
that is not configured answers 404 with a clear message.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tumbuh.chatbot.channels.telegram import valid_secret
from tumbuh.chatbot.channels.whatsapp import valid_signature, verify_handshake
from tumbuh.messaging.channels import channel_type
from tumbuh.messaging.conf import setting
from tumbuh.messaging.inbound import handle_text, parse_payload

log = logging.getLogger(__name__)


def _not_configured(name: str) -> JsonResponse:
    return JsonResponse(
        {"detail": f"Kanal {name} belum diaktifkan di server ini (pengaturan belum diisi)."},
        status=404,
    )


#: No channel sends JSON nested deeper than this (WhatsApp's deepest path is about 8).
MAX_JSON_DEPTH = 32


def _too_deep(data: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Is ``data`` nested deeper than ``limit``? Iterative, so it cannot overflow itself."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            values = node.values() if isinstance(node, dict) else node
            stack.extend((value, depth + 1) for value in values)
    return False


def _json(request: HttpRequest) -> dict[str, Any] | None:
    """The body as a JSON object; None when it is not one, or nested absurdly deep (a
    100,000-deep body made the parser overflow: issue 11, finding 6)."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or _too_deep(data):
        return None
    return data


def _signature_ok(raw_body: bytes, header: str | None, secret: str) -> bool:
    """``valid_signature`` for any header value: a non-ASCII value (which made the digest
    comparison raise, a 500) is simply a wrong signature."""
    if header is None or not header.isascii():
        return False
    return valid_signature(raw_body, header, secret)


def _with_message_ids(data: dict[str, Any]) -> dict[str, Any]:
    """WhatsApp always sends a ``wamid`` id; a message without one gets an id derived from
    its content (sender, timestamp, text), so a retried delivery is recognised and answered
    once (issue 11, finding 6)."""
    for entry in data.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        for change in entry.get("changes") or []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            for message in value.get("messages") or []:
                if isinstance(message, dict) and not message.get("id"):
                    canonical = json.dumps(message, sort_keys=True, ensure_ascii=True)
                    message["id"] = "tumbuh:" + hashlib.sha256(canonical.encode()).hexdigest()
    return data


def _process(name: str, data: dict[str, Any]) -> HttpResponse:
    kind = channel_type(name)
    assert kind is not None
    try:
        inbounds = parse_payload(kind, data)
    except ValueError as exc:
        # Valid JSON in a shape the channel never sends: refuse it, never crash.
        log.warning("%s: %s", name, exc)
        return JsonResponse({"detail": "Isi webhook tidak dikenal."}, status=400)
    processed = sum(handle_text(kind, inbound).reply is not None for inbound in inbounds)
    return JsonResponse({"ok": True, "processed": processed})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request: HttpRequest) -> HttpResponse:
    kind = channel_type("whatsapp")
    if kind is None or not kind.configured():
        return _not_configured("WhatsApp")
    if request.method == "GET":
        params = {key: request.GET.get(key, "") for key in request.GET}
        challenge = verify_handshake(params, setting("WHATSAPP_VERIFY_TOKEN"))
        if challenge is None:
            return HttpResponse("Forbidden", status=403, content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    signature = request.headers.get("X-Hub-Signature-256")
    if not _signature_ok(request.body, signature, setting("WHATSAPP_APP_SECRET")):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    data = _json(request)
    if data is None:
        return JsonResponse({"detail": "Isi permintaan bukan JSON yang sah."}, status=400)
    try:
        data = _with_message_ids(data)
    except (AttributeError, TypeError):
        return JsonResponse({"detail": "Isi webhook tidak dikenal."}, status=400)
    return _process("whatsapp", data)


@csrf_exempt
@require_http_methods(["POST"])
def telegram(request: HttpRequest) -> HttpResponse:
    kind = channel_type("telegram")
    if kind is None or not kind.configured():
        return _not_configured("Telegram")
    header = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
    if not valid_secret(header, setting("TELEGRAM_SECRET_TOKEN")):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    data = _json(request)
    if data is None:
        return JsonResponse({"detail": "Isi permintaan bukan JSON yang sah."}, status=400)
    return _process("telegram", data)
