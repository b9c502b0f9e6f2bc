"""Handoff: the queue page scoped by role, claim, answer through the channel, the bot quiet
while a person holds the conversation, close, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.messaging.conftest import (
    committed,
    logged_in,
    post_whatsapp,
    sent_texts,
    whatsapp_text,
)
from tumbuh.audit.models import AuditEvent
from tumbuh.messaging.models import HandoffMessage, HandoffRequest, HandoffStatus
from tumbuh.messaging.selectors import handoffs_visible_to
from tumbuh.messaging.senders import MemorySender
from tumbuh.messaging.services import handoff_answer, handoff_claim, handoff_close

pytestmark = pytest.mark.django_db


def queue(client: Client, sender: str, kelurahan: str | None) -> HandoffRequest:
    turns = ["saya mau bicara dengan petugas gizi", "ya"]
    turns += [kelurahan] if kelurahan else ["tidak tahu"]
    for n, text in enumerate(turns):
        post_whatsapp(client, whatsapp_text(text, sender=sender, wamid=f"wamid.{sender}.{n}"))
    return HandoffRequest.objects.get(conversation_id=f"wa:{sender}")


@pytest.fixture
def handoffs(client: Client, town):  # type: ignore[no-untyped-def]
    return {
        "sempur": queue(client, "6281200000011", "Sempur"),
        "batu_tulis": queue(client, "6281200000012", "Batu Tulis"),
        "nowhere": queue(client, "6281200000013", None),
    }


def test_handoff_is_queued_with_kelurahan_and_context(handoffs) -> None:  # type: ignore[no-untyped-def]
    h = handoffs["sempur"]
    assert h.status == HandoffStatus.OPEN and h.channel == "whatsapp"
    assert h.kelurahan is not None and h.kelurahan.name == "Sempur"
    assert any("petugas gizi" in text for _, text, _ in h.transcript)
    assert handoffs["nowhere"].kelurahan is None


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("kader_a", {"sempur"}),
        ("kader_b", {"batu_tulis"}),
        ("gizi_a", {"sempur"}),
        ("kelurahan_b", {"batu_tulis"}),
        ("tpps", {"sempur", "batu_tulis", "nowhere"}),
        ("opd", set()),
        ("partner", set()),
    ],
)
def test_queue_is_scoped_by_role_and_area(handoffs, town, user: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    visible = set(handoffs_visible_to(town.users[user]).values_list("pk", flat=True))
    assert visible == {handoffs[name].pk for name in expected}
    page = logged_in(town.users[user]).get("/antrian-chat/")
    if user in ("opd", "partner"):  # roles without a queue are refused, in Indonesian
        assert page.status_code == 403
        assert "tidak mempunyai antrian chat" in page.content.decode()
        return
    assert page.status_code == 200
    html = page.content.decode()
    for name, h in handoffs.items():
        assert (f'href="/antrian-chat/{h.pk}/"' in html) == (name in expected)


def test_other_area_cannot_open_or_claim(handoffs, town) -> None:  # type: ignore[no-untyped-def]
    h = handoffs["sempur"]
    client = logged_in(town.users["kader_b"])
    assert client.get(f"/antrian-chat/{h.pk}/").status_code == 403
    assert client.post(f"/antrian-chat/{h.pk}/claim/").status_code == 403
    with pytest.raises(PermissionDenied):
        handoff_claim(actor=town.users["kader_b"], handoff_id=h.pk)
    with pytest.raises(PermissionDenied):  # an officer who may read but not act
        handoff_claim(actor=town.users["kelurahan_b"], handoff_id=handoffs["batu_tulis"].pk)
    assert HandoffRequest.objects.get(pk=h.pk).status == HandoffStatus.OPEN


def test_anonymous_is_sent_to_login(client: Client, handoffs) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/antrian-chat/").status_code == 302


def test_claim_quiets_the_bot_and_the_answer_is_delivered(client: Client, handoffs, town) -> None:  # type: ignore[no-untyped-def]
    h = handoffs["sempur"]
    kader = logged_in(town.users["kader_a"])
    page = kader.get(f"/antrian-chat/{h.pk}/")
    assert "petugas gizi" in page.content.decode()
    assert kader.post(f"/antrian-chat/{h.pk}/claim/").status_code == 302
    h.refresh_from_db()
    assert h.status == HandoffStatus.CLAIMED and h.assigned_to == town.users["kader_a"]

    MemorySender.outbox.clear()
    post_whatsapp(
        client, whatsapp_text("anak saya demam 3 hari", sender="6281200000011", wamid="w.q")
    )
    post_whatsapp(client, whatsapp_text("apa itu stunting", sender="6281200000011", wamid="w.q2"))
    assert MemorySender.outbox == []  # the bot stays quiet while a person holds it
    forwarded = list(h.messages.filter(author="user").values_list("text", flat=True))
    assert forwarded == ["anak saya demam 3 hari", "apa itu stunting"]

    kader.post(f"/antrian-chat/{h.pk}/answer/", {"text": "Bu, segera ke Puskesmas Sempur ya."})
    assert sent_texts("whatsapp") == ["Bu, segera ke Puskesmas Sempur ya."]
    assert MemorySender.outbox[0][1]["to"] == "6281200000011"

    kader.post(f"/antrian-chat/{h.pk}/close/")
    h.refresh_from_db()
    assert h.status == HandoffStatus.CLOSED
    MemorySender.outbox.clear()
    post_whatsapp(client, whatsapp_text("apa itu stunting", sender="6281200000011", wamid="w.q3"))
    assert sent_texts("whatsapp") and "stunting" in sent_texts("whatsapp")[0].lower()


def test_claims_and_answers_are_audited(handoffs, town) -> None:  # type: ignore[no-untyped-def]
    h = handoffs["batu_tulis"]
    kader = town.users["kader_b"]
    committed(handoff_answer, actor=kader, handoff_id=h.pk, text="Halo, saya kader.")
    events = AuditEvent.objects.filter(actor=kader)
    assert events.filter(object_type="messaging.handoffrequest", detail__event="claim").exists()
    answer = events.get(object_type="messaging.handoffmessage")
    assert answer.detail["delivery"] == "sent" and "Halo" not in str(answer.detail)
    with pytest.raises(ValidationError):  # someone else holds it now
        handoff_claim(actor=town.users["tpps"], handoff_id=h.pk)
    handoff_close(actor=kader, handoff_id=h.pk)
    assert events.filter(detail__event="close").exists()


def test_web_conversation_gets_the_answer_on_its_next_request(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    def say(text: str) -> dict:  # type: ignore[type-arg]
        return client.post(
            "/api/v1/chat",
            data={"conversation": "web-h", "text": text},
            content_type="application/json",
        ).json()

    for text in ["saya mau bicara dengan petugas", "ya", "Sempur"]:
        last = say(text)
    assert last["handoff"] is True
    h = HandoffRequest.objects.get(conversation_id="web:web-h")
    committed(handoff_claim, actor=town.users["gizi_a"], handoff_id=h.pk)
    held = say("halo?")
    assert held["reply"] == "" and held["handoff"] is True
    message = committed(
        handoff_answer, actor=town.users["gizi_a"], handoff_id=h.pk, text="Halo Bu, saya ahli gizi."
    )
    assert message.delivery == "pending"
    assert say("ya bu")["messages"] == ["Halo Bu, saya ahli gizi."]
    assert say("lagi")["messages"] == []
    assert HandoffMessage.objects.filter(handoff=h, author="user").count() == 3
