"""Each intent, answered through Bot.reply."""

from __future__ import annotations

import pytest

from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.understand import Intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("halo", Intent.GREETING),
        ("Assalamualaikum kak", Intent.GREETING),
        ("makasih ya bu", Intent.THANKS),
        ("menu", Intent.MENU),
        ("apa itu stunting", Intent.QUESTION),
        ("anak laki2 1 thn 8 bln tinggi 78 cm bb 9,5 kg", Intent.GROWTH_CHECK),
        ("apakah anak saya stunting?", Intent.GROWTH_CHECK),
        ("data anak saya", Intent.VERIFY),
        ("jadwal kunjungan saya", Intent.VERIFY),
        ("posyandu terdekat di mana?", Intent.WHERE_TO_GO),
        ("saya ingin membantu anak stunting", Intent.HOW_TO_HELP),
        ("mau bicara dengan petugas", Intent.HANDOFF),
        ("tarik persetujuan", Intent.WITHDRAW_CONSENT),
        ("lirik lagu dangdut terbaru", Intent.OUT_OF_SCOPE),
        ("cara daftar cpns", Intent.OUT_OF_SCOPE),
    ],
)
def test_intent(bot: Bot, text: str, intent: Intent) -> None:
    got = bot.reply("c", text).intent
    if intent is Intent.OUT_OF_SCOPE:
        assert got in (Intent.OUT_OF_SCOPE, Intent.UNSURE)  # never an answer
    else:
        assert got is intent


def test_question_answer_has_source_and_review_date(bot: Bot) -> None:
    reply = bot.reply("c", "kapan bayi mulai mpasi?")
    assert reply.topics == ("mpasi-kapan-mulai",)
    assert "Sumber:" in reply.text and "Ditinjau 22-11-2026" in reply.text
    assert "Bicara dengan petugas" in reply.quick_replies


def test_not_sure_offers_closest_topics_and_a_human_then_a_number_answers(bot: Bot) -> None:
    with bot.store.locked("u") as state:
        reply = bot.unsure(state, bot.retriever.search("asi perah kantor", k=3), 0.3)
        bot.store.save(state)
    assert reply.intent is Intent.UNSURE
    assert "1. " in reply.text and "petugas" in reply.text
    assert len(reply.topics) == 3 and "Bicara dengan petugas" in reply.quick_replies
    follow = bot.reply("u", "2")
    assert follow.intent is Intent.QUESTION and follow.topics == reply.topics[1:2]


def test_english_question_is_answered_in_indonesian_with_a_note(bot: Bot) -> None:
    reply = bot.reply("c", "What is exclusive breastfeeding?")
    assert reply.topics == ("asi-eksklusif",)
    assert reply.text.startswith("(I answer in Bahasa Indonesia")


def test_where_to_go_asks_for_kelurahan_then_lists_directory_services(bot: Bot) -> None:
    assert "kelurahan" in bot.reply("w", "posyandu terdekat di mana?").text.lower()
    reply = bot.reply("w", "Tegal lega")
    assert reply.intent is Intent.WHERE_TO_GO
    assert "Kecamatan Bogor Tengah" in reply.text
    assert "Puskesmas Sempur" in reply.text


def test_how_to_help_answers_the_partner_entry(bot: Bot) -> None:
    reply = bot.reply("p", "perusahaan kami mau bantu anak stunting, caranya?")
    assert reply.topics == ("cara-membantu-mitra",)


def test_empty_message(bot: Bot) -> None:
    assert bot.reply("e", "   ").text


def test_a_question_that_also_names_the_kelurahan_is_answered_and_the_place_kept(
    bot: Bot,
) -> None:
    plain = bot.reply("p1", "anak saya susah makan", channel="web")
    with_place = bot.reply(
        "p2", "anak saya susah makan, tinggal di kelurahan Sempur", channel="web"
    )
    assert with_place.intent is Intent.QUESTION
    assert with_place.topics == plain.topics and plain.topics
    follow_up = bot.reply("p2", "posyandu dimana", channel="web")
    assert "Sempur" in follow_up.text
