"""Finding 6 of issue 11: hostile webhook requests never reach a 500. A non-ASCII
signature is a wrong signature (403); a body nested 100,000 deep is refused (400); a
WhatsApp message without an id is answered once however often it is retried."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.test import Client

from tumbuh.messaging.bot import reset_bot
from tumbuh.messaging.models import ProcessedMessage
from tumbuh.messaging.senders import MemorySender

APP_SECRET = "uji-rahasia-keamanan"
TG_SECRET = "uji-telegram-keamanan"


@pytest.fixture(autouse=True)
def _channels(settings: Any, db: Any) -> Any:  # type: ignore[no-untyped-def]
    settings.WHATSAPP_VERIFY_TOKEN = "uji-verifikasi"
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_TOKEN = "uji-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.TELEGRAM_SECRET_TOKEN = TG_SECRET
    settings.TELEGRAM_BOT_TOKEN = "123:uji"
    settings.MESSAGING_SENDER = "tumbuh.messaging.senders.MemorySender"
    settings.MESSAGING_SEND_IN_BACKGROUND = "0"
    MemorySender.outbox.clear()
    reset_bot()
    yield settings
    reset_bot()


def _signed(body: bytes) -> str:
    return "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()


def _post(body: bytes, signature: str) -> Any:
    return Client().post(
        "/webhooks/whatsapp",
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=signature,
    )


def _message(**fields: Any) -> bytes:
    message = {"from": "6281299990001", "timestamp": "1763802000", "type": "text",
               "text": {"body": "apa itu stunting"}, **fields}  # fmt: skip
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "contacts": [{"profile": {"name": "Ibu"}, "wa_id": "6281299990001"}],
            "messages": [message]}}]}],
    }  # fmt: skip
    return json.dumps(payload).encode()


@pytest.mark.parametrize("signature", ["sha256=ä" + "0" * 63, "sha256=€", "sha256=\u00ff\u00fe"])
def test_non_ascii_signature_is_403(settings, signature):
    settings.DEBUG = False
    assert _post(_message(id="wamid.1"), signature).status_code == 403


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json_is_400_on_both_webhooks(opening, closing):
    body = ("{" + '"x":' + opening * 100_000 + "1" + closing * 100_000 + "}").encode()
    assert _post(body, _signed(body)).status_code == 400
    telegram = Client().post(
        "/webhooks/telegram",
        data=body,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=TG_SECRET,
    )
    assert telegram.status_code == 400


def test_moderately_nested_json_is_refused_too():
    body = ("{" + '"x":' + "[" * 40 + "]" * 40 + "}").encode()
    assert _post(body, _signed(body)).status_code == 400


def test_message_without_id_is_processed_once():
    body = _message()
    first = _post(body, _signed(body))
    assert first.status_code == 200 and first.json()["processed"] == 1
    for _ in range(3):
        again = _post(body, _signed(body))
        assert again.status_code == 200 and again.json()["processed"] == 0
    assert ProcessedMessage.objects.count() == 1


def test_same_text_later_is_a_new_message():
    first = _message(timestamp="1763802000")
    later = _message(timestamp="1763802999")
    assert _post(first, _signed(first)).json()["processed"] == 1
    assert _post(later, _signed(later)).json()["processed"] == 1


def test_odd_shapes_without_ids_are_not_500():
    for payload in ({"entry": "x"}, {"entry": [1, {"changes": "y"}]},
                    {"entry": [{"changes": [{"value": {"messages": ["z"]}}]}]}):  # fmt: skip
        body = json.dumps(payload).encode()
        assert _post(body, _signed(body)).status_code in (200, 400)


def test_telegram_non_ascii_secret_is_403(settings):
    settings.DEBUG = False
    response = Client().post(
        "/webhooks/telegram",
        data=b'{"update_id": 1}',
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="rahasia-\u00e4\u20ac",
    )
    assert response.status_code == 403
