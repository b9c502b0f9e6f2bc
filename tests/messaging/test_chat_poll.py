"""Issue 12 item 10: a web visitor sees an officer's answer without writing again. The widget
polls ``GET /chat/balasan/``, which reads only the conversation bound to the visitor's own
session (never one named in the request), is rate-limited, and audits each delivery."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.messaging.conftest import CommitClient, committed
from tumbuh.audit.models import AuditEvent
from tumbuh.messaging.models import Contact, HandoffRequest
from tumbuh.messaging.services import handoff_answer, handoff_claim, handoff_close
from tumbuh.messaging.views import SESSION_KEY

pytestmark = pytest.mark.django_db

ANSWER = "Halo Bu, saya ahli gizi Puskesmas Sempur."


def say(client: Client, conversation: str, text: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/chat",
        data={"conversation": conversation, "text": text},
        content_type="application/json",
    )
    assert response.status_code == 200
    return dict(response.json())


def visitor(ip: str = "10.1.2.3") -> tuple[Client, str]:
    """A browser that opened /chat/ (its session holds the conversation id)."""
    client = CommitClient(REMOTE_ADDR=ip)
    assert client.get("/chat/").status_code == 200
    conversation = client.session[SESSION_KEY]
    assert isinstance(conversation, str)
    return client, conversation


def handed_off(client: Client, conversation: str) -> HandoffRequest:
    for text in ["saya mau bicara dengan petugas", "ya", "Sempur"]:
        last = say(client, conversation, text)
    assert last["handoff"] is True
    return HandoffRequest.objects.get(conversation_id=f"web:{conversation}")


def poll(client: Client, **extra: Any) -> Any:
    return client.get("/chat/balasan/", extra)


def test_officer_answer_reaches_the_visitor_without_another_message(town) -> None:  # type: ignore[no-untyped-def]
    client, conversation = visitor()
    h = handed_off(client, conversation)
    page = client.get("/chat/").content.decode()
    assert 'data-handoff="1"' in page and 'data-replies="/chat/balasan/"' in page
    assert poll(client).json() == {"messages": [], "handoff": True}
    officer = town.users["gizi_a"]
    committed(handoff_claim, actor=officer, handoff_id=h.pk)
    message = committed(handoff_answer, actor=officer, handoff_id=h.pk, text=ANSWER)
    assert message.delivery == "pending"
    before = AuditEvent.objects.count()

    response = poll(client)  # no new message from the visitor
    assert response.status_code == 200
    assert response.json() == {"messages": [ANSWER], "handoff": True}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1 and event is not None
    assert event.object_id == str(h.pk) and event.detail["delivered"] == 1
    assert ANSWER not in str(event.detail)  # the answer's text is not copied into the log

    # Handed out once: neither the next poll nor the next message repeats it.
    assert poll(client).json()["messages"] == []
    assert say(client, conversation, "terima kasih bu")["messages"] == []
    assert Contact.objects.get(conversation_id=f"web:{conversation}").pending == []

    committed(handoff_close, actor=officer, handoff_id=h.pk)
    assert poll(client).json() == {"messages": [], "handoff": False}


def test_another_visitor_cannot_read_the_answer(town) -> None:  # type: ignore[no-untyped-def]
    owner, conversation = visitor()
    h = handed_off(owner, conversation)
    committed(handoff_answer, actor=town.users["gizi_a"], handoff_id=h.pk, text=ANSWER)

    stranger, own = visitor(ip="10.7.7.7")
    assert own != conversation
    # Naming the owner's id in the query string (or having no session at all) reads nothing.
    for response in (
        poll(stranger, conversation=conversation),
        poll(stranger, conversation=f"web:{conversation}"),
        CommitClient(REMOTE_ADDR="10.7.7.8").get("/chat/balasan/", {"conversation": conversation}),
    ):
        assert response.status_code == 200
        assert response.json() == {"messages": [], "handoff": False}
    assert Contact.objects.get(conversation_id=f"web:{conversation}").pending == [ANSWER]
    assert poll(owner).json()["messages"] == [ANSWER]


def test_polling_is_rate_limited_and_get_only(settings, town) -> None:  # type: ignore[no-untyped-def]
    settings.CHAT_POLL_PER_MINUTE = 2
    client, conversation = visitor()
    handed_off(client, conversation)
    assert [poll(client).status_code for _ in range(3)] == [200, 200, 429]
    refused = poll(client)
    assert refused.status_code == 429 and "Terlalu banyak" in refused.json()["detail"]
    assert client.post("/chat/balasan/").status_code == 405
