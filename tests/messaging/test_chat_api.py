"""``POST /api/v1/chat`` (ARCHITECTURE.md contract), its rate limit, and the /chat/ page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tumbuh.messaging.models import ConversationState

pytestmark = pytest.mark.django_db

GROWTH = "anak laki2 1 thn 8 bln tinggi 78 cm bb 9,5 kg"


def chat(client: Client, body: object, **extra: str):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/api/v1/chat", data=data, content_type="application/json", **extra)


def test_contract_anonymous_growth_check(client: Client) -> None:
    response = chat(client, {"conversation": "c-1", "text": GROWTH})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"conversation", "reply", "quick_replies", "handoff", "urgent", "messages"}
    assert data["conversation"] == "c-1"
    assert "pendek" in data["reply"].lower()
    assert isinstance(data["quick_replies"], list) and data["quick_replies"]
    assert data["handoff"] is False and data["messages"] == []


def test_state_is_kept_per_conversation_in_the_database(client: Client) -> None:
    chat(client, {"conversation": "c-2", "text": "anak saya laki-laki umur 20 bulan"})
    second = chat(client, {"conversation": "c-2", "text": "tinggi 78 cm berat 9,5 kg"}).json()
    assert "pendek" in second["reply"].lower()
    assert ConversationState.objects.filter(conversation_id="web:c-2").exists()
    other = chat(client, {"conversation": "c-3", "text": "tinggi 78 cm berat 9,5 kg"}).json()
    assert "pendek" not in other["reply"].lower()


def test_web_client_cannot_write_into_a_whatsapp_conversation(client: Client) -> None:
    chat(client, {"conversation": "wa:6281299990001", "text": "halo"})
    assert ConversationState.objects.filter(conversation_id="web:wa:6281299990001").exists()
    assert not ConversationState.objects.filter(conversation_id="wa:6281299990001").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"text": "halo"},
        {"conversation": "c"},
        {"conversation": "", "text": "halo"},
        {"conversation": "a b", "text": "halo"},
        {"conversation": "x" * 65, "text": "halo"},
        {"conversation": "c", "text": "x" * 2001},
        {"conversation": "c", "text": 5},
        ["c", "halo"],
    ],
)
def test_validation_errors_are_422(client: Client, body: object) -> None:
    response = chat(client, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"]


def test_malformed_json_is_a_client_error(client: Client) -> None:
    response = chat(client, b'{"conversation": "c", "text": ')
    assert response.status_code in (400, 422)


def test_rate_limit_per_conversation(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHAT_RATE_PER_MINUTE = 3
    codes = [chat(client, {"conversation": "r-1", "text": "halo"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert chat(client, {"conversation": "r-2", "text": "halo"}).status_code == 200
    assert "Terlalu banyak" in chat(client, {"conversation": "r-1", "text": "x"}).json()["detail"]


def test_rate_limit_per_ip(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHAT_RATE_PER_IP_MINUTE = 4
    codes = [
        chat(client, {"conversation": f"ip-{i}", "text": "halo"}).status_code for i in range(6)
    ]
    assert codes == [200, 200, 200, 200, 429, 429]
    other = chat(client, {"conversation": "ip-x", "text": "halo"}, REMOTE_ADDR="10.7.7.7")
    assert other.status_code == 200


def test_openapi_lists_chat_without_auth(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/chat"]["post"]
    assert not operation.get("security")


def test_chat_page_is_public_and_works_without_javascript(client: Client) -> None:
    page = client.get("/chat/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="/static/messaging/chat.js"' in html and "https://" not in html.split("<main>")[1]
    response = client.post("/chat/", {"text": GROWTH})
    assert response.status_code == 302
    html = client.get("/chat/").content.decode()
    assert GROWTH in html and "Pendek" in html


def test_login_page_links_to_the_chat(client: Client) -> None:
    assert 'href="/chat/"' in client.get("/akun/masuk/").content.decode()
