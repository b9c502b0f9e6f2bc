"""``/webhooks/whatsapp`` and ``/webhooks/telegram`` (CHATBOT.md "Channels", ADR 0040).

Authenticity first, on the raw body, before anything is parsed: a forged request gets 403 and
nothing is processed. Then JSON (400 when malformed), deduplication, the bot, 200. A channel
that is not configured answers 404 with a clear message.
"""

from __future__ import annotations

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


def _json(request: HttpRequest) -> dict[str, Any] | None:
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


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
    if not valid_signature(request.body, signature, setting("WHATSAPP_APP_SECRET")):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    data = _json(request)
    if data is None:
        return JsonResponse({"detail": "Isi permintaan bukan JSON yang sah."}, status=400)
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
