"""Issue 12 item 10: the queue's "Pesan terakhir" is the citizen's question, not the consent
reply ("ya") or the kelurahan name that came after it."""

from __future__ import annotations

import datetime as dt

from tumbuh.chatbot import interfaces as bot
from tumbuh.messaging.store import citizen_question

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def _request(*turns: tuple[str, str], kelurahan: str | None = "Sempur") -> bot.HandoffRequest:
    return bot.HandoffRequest(
        conversation_id="c1",
        channel="web",
        kelurahan=kelurahan,
        reason=turns[-1][1],
        transcript=tuple(bot.Turn(role=r, text=t, at=NOW) for r, t in turns),
    )


def test_the_question_wins_over_consent_and_kelurahan_replies() -> None:
    request = _request(
        ("user", "anak saya demam tinggi dan tidak mau makan, saya mau bicara dengan petugas"),
        ("bot", "Boleh kami teruskan ke petugas? (ya/tidak)"),
        ("user", "Ya"),
        ("bot", "Di kelurahan mana Anda tinggal?"),
        ("user", "sempur"),
    )
    assert citizen_question(request).startswith("anak saya demam tinggi")


def test_without_a_question_the_engines_reason_stays() -> None:
    assert citizen_question(_request(("user", "ya"), kelurahan=None)) == "ya"
