"""WhatsApp and Telegram webhooks replayed from captured payloads (no network)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.messaging.conftest import (
    TG_SECRET,
    VERIFY_TOKEN,
    committed,
    fixture_bytes,
    post_whatsapp,
    sent_texts,
    signed,
    whatsapp_text,
)
from tumbuh.messaging.models import (
    Contact,
    ConversationState,
    HandoffRequest,
    ProcessedMessage,
)
from tumbuh.messaging.senders import MemorySender

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ WhatsApp handshake


def test_handshake_answers_the_bare_challenge(client: Client) -> None:
    response = client.get(
        "/webhooks/whatsapp",
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_handshake_with_a_wrong_token_is_refused(client: Client, params: dict[str, str]) -> None:
    assert client.get("/webhooks/whatsapp", params).status_code == 403


def test_unconfigured_channels_answer_404(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WHATSAPP_APP_SECRET = ""
    settings.TELEGRAM_SECRET_TOKEN = ""
    response = post_whatsapp(client, fixture_bytes("whatsapp_text.json"))
    assert response.status_code == 404
    assert "belum diaktifkan" in response.json()["detail"]
    assert (
        client.post("/webhooks/telegram", data=b"{}", content_type="application/json").status_code
        == 404
    )


# ------------------------------------------------------------------ WhatsApp messages


def test_text_message_is_answered_through_the_sender(client: Client) -> None:
    response = post_whatsapp(client, fixture_bytes("whatsapp_text.json"))
    assert response.status_code == 200
    assert response.json()["processed"] == 1
    [(channel, payload)] = MemorySender.outbox
    assert channel == "whatsapp" and payload["to"] == "6281299990001"
    assert "stunting" in sent_texts()[0].lower()
    contact = Contact.objects.get(conversation_id="wa:6281299990001")
    assert contact.address == "6281299990001" and contact.last_inbound_at is not None


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=" + "0" * 64,
        "sha1=abc",
        signed(b"another body"),
        signed(fixture_bytes("whatsapp_text.json"), "wrong-secret"),
    ],
)
def test_forged_signature_is_refused_and_nothing_processed(
    client: Client, signature: str | None
) -> None:
    body = fixture_bytes("whatsapp_text.json")
    headers = {} if signature is None else {"HTTP_X_HUB_SIGNATURE_256": signature}
    response = client.post(
        "/webhooks/whatsapp", data=body, content_type="application/json", **headers
    )
    assert response.status_code == 403
    assert not MemorySender.outbox
    assert not ProcessedMessage.objects.exists()
    assert not ConversationState.objects.exists()
    assert not Contact.objects.exists()


def test_signature_is_over_the_raw_bytes(client: Client) -> None:
    """Re-serialised JSON with the same content does not carry the signature over."""
    body = fixture_bytes("whatsapp_text.json")
    compact = json.dumps(json.loads(body), separators=(",", ":")).encode()
    assert post_whatsapp(client, compact, signed(body)).status_code == 403


def test_replayed_delivery_is_processed_once(client: Client) -> None:
    body = fixture_bytes("whatsapp_text.json")
    first = post_whatsapp(client, body)
    again = post_whatsapp(client, body)
    assert first.status_code == again.status_code == 200
    assert first.json()["processed"] == 1 and again.json()["processed"] == 0
    assert len(MemorySender.outbox) == 1
    assert ProcessedMessage.objects.count() == 1
    state = ConversationState.objects.get(conversation_id="wa:6281299990001")
    assert state.data["turns"] == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"\xff\xfe", b"[1, 2]", b'"text"', b'{"entry": 5}', b'{"entry": [1]}'],
)
def test_malformed_payload_is_400_without_a_crash(client: Client, body: bytes) -> None:
    response = post_whatsapp(client, body)
    assert response.status_code == 400
    assert not MemorySender.outbox


def test_statuses_are_ignored(client: Client) -> None:
    response = post_whatsapp(client, fixture_bytes("whatsapp_status.json"))
    assert response.status_code == 200 and response.json()["processed"] == 0
    assert not MemorySender.outbox
    assert not ConversationState.objects.exists()


def test_button_reply_and_several_messages_in_one_delivery(client: Client) -> None:
    assert post_whatsapp(client, fixture_bytes("whatsapp_button.json")).json()["processed"] == 1
    response = post_whatsapp(client, fixture_bytes("whatsapp_two_messages.json"))
    assert response.json()["processed"] == 2  # the image has no text: not a message for the bot
    recipients = {p["to"] for _, p in MemorySender.outbox}
    assert recipients == {"6281299990001", "6281299990003"}


# ------------------------------------------------------------------ 24-hour window


def _queue_handoff(client: Client) -> HandoffRequest:
    for n, text in enumerate(["saya mau bicara dengan petugas", "ya", "Sempur"]):
        post_whatsapp(client, whatsapp_text(text, wamid=f"wamid.H{n}"))
    return HandoffRequest.objects.get(conversation_id="wa:6281299990001")


def test_answer_inside_the_window_is_sent_as_text(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.messaging.services import handoff_answer

    handoff = _queue_handoff(client)
    MemorySender.outbox.clear()
    message = committed(
        handoff_answer,
        actor=town.users["kader_a"],
        handoff_id=handoff.pk,
        text="Bu, datang ke posyandu Mawar.",
    )
    assert message.delivery == "sent"
    assert sent_texts("whatsapp") == ["Bu, datang ke posyandu Mawar."]


def test_outside_the_window_a_template_goes_and_the_answer_waits(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    from tumbuh.messaging.services import handoff_answer

    handoff = _queue_handoff(client)
    Contact.objects.filter(conversation_id=handoff.conversation_id).update(
        last_inbound_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    MemorySender.outbox.clear()
    message = committed(
        handoff_answer, actor=town.users["kader_a"], handoff_id=handoff.pk, text="Jawaban petugas."
    )
    assert message.delivery == "template"
    [(_, payload)] = MemorySender.outbox
    assert payload["type"] == "template"
    assert payload["template"]["name"] == "tumbuh_balasan_petugas"
    assert "Jawaban petugas." not in json.dumps(payload)
    # The person answers the template: the held answer goes out first, inside the window.
    MemorySender.outbox.clear()
    post_whatsapp(client, whatsapp_text("baik", wamid="wamid.after"))
    assert sent_texts("whatsapp")[0] == "Jawaban petugas."
    assert Contact.objects.get(conversation_id=handoff.conversation_id).pending == []


# ------------------------------------------------------------------ Telegram


def _post_telegram(client: Client, body: bytes, secret: str | None = TG_SECRET):  # type: ignore[no-untyped-def]
    headers = {} if secret is None else {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": secret}
    return client.post("/webhooks/telegram", data=body, content_type="application/json", **headers)


def test_telegram_growth_check_is_answered(client: Client) -> None:
    response = _post_telegram(client, fixture_bytes("telegram_message.json"))
    assert response.status_code == 200 and response.json()["processed"] == 1
    [(channel, payload)] = MemorySender.outbox
    assert channel == "telegram" and payload["chat_id"] == "700100200"
    assert "pendek" in payload["text"].lower()


@pytest.mark.parametrize("secret", [None, "", "salah", TG_SECRET + "x", TG_SECRET.upper()])
def test_telegram_wrong_secret_is_refused(client: Client, secret: str | None) -> None:
    response = _post_telegram(client, fixture_bytes("telegram_message.json"), secret)
    assert response.status_code == 403
    assert not MemorySender.outbox and not ProcessedMessage.objects.exists()


def test_telegram_update_id_dedupe(client: Client) -> None:
    body = fixture_bytes("telegram_callback.json")
    assert _post_telegram(client, body).json()["processed"] == 1
    assert _post_telegram(client, body).json()["processed"] == 0
    assert len(MemorySender.outbox) == 1


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"update_id": 1, "message": "x"}'])
def test_telegram_malformed_is_400(client: Client, body: bytes) -> None:
    assert _post_telegram(client, body).status_code == 400


def test_telegram_get_is_not_allowed(client: Client) -> None:
    assert client.get("/webhooks/telegram").status_code == 405
