"""Growth check from free text: slots over several turns, plausibility, plain words, urgency."""

from __future__ import annotations

from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.understand import Intent


def test_one_message_gives_the_permenkes_category_in_plain_words(bot: Bot) -> None:
    reply = bot.reply("g", "anak laki2 1 thn 8 bln tinggi 78 cm bb 9,5 kg")
    assert reply.intent is Intent.GROWTH_CHECK
    assert dict(reply.categories) == {
        "tbu": "stunted",
        "bbtb": "normal",
        "bbu": "normal_weight",
    }
    assert "Pendek" in reply.text and "tanda stunting" in reply.text
    assert "puskesmas" in reply.text  # next step
    assert "bukan diagnosis" in reply.text
    assert "dianggap diukur berbaring" in reply.text
    assert not reply.urgent


def test_missing_slots_are_asked_over_several_turns(bot: Bot) -> None:
    first = bot.reply("m", "cek gizi anak saya dong")
    assert first.growth_outcome == "missing"
    assert "jenis kelamin" in first.text and "berat" in first.text
    second = bot.reply("m", "perempuan, 18 bulan")
    assert second.growth_outcome == "missing" and "jenis kelamin" not in second.text
    third = bot.reply("m", "berat 9 kg")  # BB/U at once, and what the length would add
    assert third.growth_outcome == "result" and set(dict(third.categories)) == {"bbu"}
    assert third.missing == ("lenhei",) and "panjang/tinggi" in third.text
    last = bot.reply("m", "74")  # a bare number fills the one remaining slot
    assert last.growth_outcome == "result"
    assert dict(last.categories)["tbu"] == "stunted"


def test_ambiguous_age_is_asked(bot: Bot) -> None:
    reply = bot.reply("a", "anak perempuan umur 2, tinggi 80 cm, berat 10 kg")
    assert reply.growth_outcome == "age_unit"
    done = bot.reply("a", "2 tahun")
    assert done.growth_outcome == "result"


def test_implausible_values_are_questioned_never_classified(bot: Bot) -> None:
    for text in (
        "anak laki 2 tahun tinggi 18 cm berat 12 kg",
        "bayi perempuan 5 bulan berat 60 kg panjang 62 cm",
        "anak laki-laki 1 tahun panjang 74 cm berat 25 kg",
    ):
        reply = bot.reply(text, text)
        assert reply.growth_outcome == "implausible", text
        assert not reply.categories
        assert "tidak biasa" in reply.text and "Pendek" not in reply.text
    # The doubtful value is forgotten; the corrected one completes the check.
    bot.reply("fix", "anak laki 2 tahun tinggi 18 cm berat 12 kg")
    assert bot.reply("fix", "tinggi 86 cm").growth_outcome == "result"


def test_severe_result_always_carries_the_urgent_referral(bot: Bot) -> None:
    wasted = bot.reply("s1", "anak perempuan 10 bulan panjang 70 cm berat 5,8 kg")
    assert dict(wasted.categories)["bbtb"] == "severely_wasted"
    assert wasted.urgent and "SEGERA" in wasted.text and "Gizi buruk" in wasted.text
    short = bot.reply("s2", "balita laki-laki 4 tahun tinggi 90 cm berat 12 kg")
    assert dict(short.categories)["tbu"] == "severely_stunted"
    assert short.urgent and "SEGERA" in short.text


def test_over_five_is_referred_not_classified(bot: Bot) -> None:
    reply = bot.reply("o", "anak laki 6 tahun tinggi 105 cm berat 16 kg")
    assert reply.growth_outcome == "too_old" and not reply.categories


def test_kelurahan_brings_the_directory_services(bot: Bot) -> None:
    reply = bot.reply("k", "anak laki2 20 bln tb 77 bb 9 kg, kami di kelurahan Cibuluh")
    assert reply.growth_outcome == "result"
    assert "Kelurahan Cibuluh" in reply.text and "Puskesmas" in reply.text


def test_standing_measure_is_used_when_said(bot: Bot) -> None:
    reply = bot.reply("h", "laki-laki, 27 bulan, 83 cm, 11 kg, diukur berdiri")
    assert "diukur berdiri" in reply.text
    assert dict(reply.categories)["tbu"] == "stunted"


def test_a_question_in_the_middle_leaves_the_slot_filling(bot: Bot) -> None:
    bot.reply("q", "apakah anak saya pendek?")
    reply = bot.reply("q", "apa itu asi eksklusif dan berapa lama?")
    assert reply.intent is Intent.QUESTION
