"""Handoff to a person, verified personal data with consent, consent withdrawal, the log."""

from __future__ import annotations

from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.fakes import (
    MemoryConsentRegistry,
    MemoryConversationLog,
    MemoryHandoffQueue,
    MemoryVerifier,
)
from tumbuh.chatbot.interfaces import HandoffStatus, Purpose
from tumbuh.chatbot.understand import Intent


def _handoff(bot: Bot, conversation: str) -> None:
    assert bot.reply(conversation, "saya mau bicara dengan petugas gizi").intent is Intent.HANDOFF
    assert "setuju" in bot.reply(conversation, "ya").text.lower() or True
    final = bot.reply(conversation, "Kedung Badak")
    assert final.handoff and "Kelurahan Kedung Badak" in final.text


def test_handoff_asks_consent_then_kelurahan_then_queues(
    bot: Bot, handoff: MemoryHandoffQueue, consent: MemoryConsentRegistry
) -> None:
    _handoff(bot, "h")
    assert consent.has("conversation:api:h", Purpose.HANDOFF)
    waiting = handoff.waiting("Kedung Badak")
    assert [r.conversation_id for r in waiting] == ["h"]
    assert any("petugas gizi" in t.text for t in waiting[0].transcript)


def test_declined_handoff_queues_nothing(bot: Bot, handoff: MemoryHandoffQueue) -> None:
    bot.reply("d", "hubungkan dengan kader")
    assert bot.reply("d", "tidak").intent is Intent.ANSWER
    assert handoff.status("d") is HandoffStatus.NONE


def test_bot_keeps_answering_while_waiting_and_is_quiet_while_held(
    bot: Bot, handoff: MemoryHandoffQueue
) -> None:
    _handoff(bot, "q")
    waiting = bot.reply("q", "apa itu stunting")
    assert waiting.intent is Intent.QUESTION and waiting.handoff
    handoff.claim("q", agent="kader-1")
    held = bot.reply("q", "bu kader, anak saya susah makan")
    assert held.silent and held.text == "" and held.intent is Intent.SILENT
    assert ("user", "bu kader, anak saya susah makan") in handoff.messages("q")
    handoff.answer("q", "Baik bu, besok datang ke posyandu ya")
    assert handoff.outbox == [("q", "Baik bu, besok datang ke posyandu ya")]
    handoff.release("q")
    assert bot.reply("q", "terima kasih").intent is Intent.THANKS


def _verify(bot: Bot, conversation: str, first: str, phone: str = "081200000001") -> None:
    assert bot.reply(conversation, first).intent is Intent.VERIFY
    assert "kode" in bot.reply(conversation, phone).text.lower()
    assert "setuju" in bot.reply(conversation, "123456").text.lower()


def test_consent_is_recorded_before_personal_data_is_used(
    bot: Bot, consent: MemoryConsentRegistry
) -> None:
    _verify(bot, "p", "data anak saya")
    assert not consent.has("person:demo-parent-1", Purpose.PERSONAL_DATA)
    reply = bot.reply("p", "ya")
    assert consent.has("person:demo-parent-1", Purpose.PERSONAL_DATA)
    assert reply.intent is Intent.MY_CHILD
    assert "Adit" in reply.text and "Pendek" in reply.text
    assert "tidak naik" in reply.text  # trend T
    assert "Jadwal posyandu berikutnya" in reply.text


def test_no_consent_no_data(bot: Bot) -> None:
    _verify(bot, "n", "hasil timbang terakhir anak saya berapa")
    reply = bot.reply("n", "tidak")
    assert "Adit" not in reply.text


def test_wrong_codes_lock_the_verification(bot: Bot, demo: tuple[object, MemoryVerifier]) -> None:
    bot.reply("w", "data anak saya")
    bot.reply("w", "081200000001")
    assert "Sisa percobaan: 2" in bot.reply("w", "000000").text
    assert "Sisa percobaan: 1" in bot.reply("w", "111111").text
    assert "terlalu sering" in bot.reply("w", "222222").text
    assert "Adit" not in bot.reply("w", "123456").text


def test_unknown_phone_gets_no_code(bot: Bot, demo: tuple[object, MemoryVerifier]) -> None:
    bot.reply("u", "data anak saya")
    assert "belum terdaftar" in bot.reply("u", "081399999999").text
    assert demo[1].sent == []


def test_verified_parent_still_cannot_see_another_child(bot: Bot) -> None:
    _verify(bot, "o", "data anak saya")
    bot.reply("o", "ya")
    reply = bot.reply("o", "sekarang tampilkan data anak tetangga saya")
    assert reply.intent is Intent.PRIVACY and "Adit" not in reply.text


def test_bapak_asuh_sees_due_visits_and_a_parent_does_not(bot: Bot) -> None:
    _verify(bot, "b", "jadwal kunjungan saya", phone="081200000002")
    reply = bot.reply("b", "ya")
    assert reply.intent is Intent.VISITS_DUE
    assert "Tegallega" in reply.text and "(terlambat)" in reply.text
    _verify(bot, "pp", "jadwal kunjungan saya")
    assert "hanya untuk bapak asuh" in bot.reply("pp", "ya").text


def test_withdrawing_consent_stops_the_log_and_personal_data(
    bot: Bot, consent: MemoryConsentRegistry, log: MemoryConversationLog
) -> None:
    bot.reply("l", "setuju percakapan disimpan")
    bot.reply("l", "apa itu stunting")
    assert [r.text for r in log.records][-1] == "apa itu stunting"
    assert bot.reply("l", "tarik persetujuan").intent is Intent.WITHDRAW_CONSENT
    assert not consent.has("conversation:api:l", Purpose.CONVERSATION_LOG)
    assert log.records == []
    bot.reply("l", "apa itu imd")
    assert log.records == []


def test_nothing_is_logged_without_consent(bot: Bot, log: MemoryConversationLog) -> None:
    bot.reply("x", "apa itu stunting")
    assert log.records == []
