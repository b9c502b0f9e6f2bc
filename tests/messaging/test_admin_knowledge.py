"""The knowledge base from the admin's table, and logged messages turned into eval cases."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from tumbuh.accounts.models import User
from tumbuh.chatbot.knowledge import default_source
from tumbuh.messaging.bot import get_bot
from tumbuh.messaging.knowledge_db import DatabaseKnowledgeSource, seed_knowledge
from tumbuh.messaging.models import EvalCase, KnowledgeEntry, LoggedMessage

pytestmark = pytest.mark.django_db


def test_empty_table_uses_the_shipped_files() -> None:
    source = DatabaseKnowledgeSource()
    assert source.version().startswith("file:")
    assert {e.id for e in source.entries()} == {e.id for e in default_source().entries()}


def test_an_admin_edit_takes_effect_without_a_release(settings) -> None:  # type: ignore[no-untyped-def]
    assert seed_knowledge() == len(default_source().entries())
    assert seed_knowledge() == 0  # idempotent
    bot = get_bot()
    bot._reload_seconds = 0
    row = KnowledgeEntry.objects.get(entry_id="stunting-pengertian")
    row.answer = "JAWABAN BARU DARI ADMIN: stunting adalah kondisi gagal tumbuh."
    row.save()
    reply = bot.reply("k-1", "apa itu stunting", channel="web")
    assert "JAWABAN BARU DARI ADMIN" in reply.text


def test_an_invalid_table_never_takes_the_bot_down() -> None:
    seed_knowledge()
    source = DatabaseKnowledgeSource()
    good = source.entries()
    KnowledgeEntry.objects.filter(entry_id="stunting-pengertian").update(sources=[])
    assert source.entries() == good


def test_admin_form_applies_the_engine_rules() -> None:
    admin = User.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/messaging/knowledgeentry/add/",
        {
            "entry_id": "Bad Id",
            "title": "Judul",
            "questions": "satu saja",
            "answer": "Jawaban.",
            "sources": "[]",
            "reviewed": "2026-01-01",
            "published": "on",
        },
    )
    assert response.status_code == 200
    assert not KnowledgeEntry.objects.exists()


def test_logged_message_becomes_an_eval_case_and_exports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_superuser("root", password="x")
    message = LoggedMessage.objects.create(
        conversation_id="web:x",
        channel="web",
        at="2026-11-20T08:00:00+07:00",
        text="kapan mulai mpasi",
        reply="...",
        intent="question",
        topics=["mpasi-kapan-mulai"],
        confidence=0.9,
    )
    client = Client()
    client.force_login(admin)
    client.post(
        "/admin/messaging/loggedmessage/",
        {"action": "make_eval_cases", "_selected_action": [message.pk]},
    )
    case = EvalCase.objects.get()
    assert case.expect == {"topic": "mpasi-kapan-mulai"} and case.text == "kapan mulai mpasi"
    out = tmp_path / "reviewed.jsonl"
    call_command("chatbot_eval_export", out=out)
    [line] = out.read_text().splitlines()
    data = json.loads(line)
    assert data["id"].startswith("log-") and data["kind"] == "clean"
    assert set(data) >= {"id", "kind", "text", "expect"}
    response = client.post(
        "/admin/messaging/evalcase/", {"action": "export", "_selected_action": [case.pk]}
    )
    assert json.loads(response.content.decode().splitlines()[0])["text"] == "kapan mulai mpasi"
