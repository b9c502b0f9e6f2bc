"""Issue 10 in the engine (no Django): partial growth checks, impossible values, greetings in
kind, danger words as topics, knowledge questions, local services, and the visit lead."""

from __future__ import annotations

import datetime as dt

import pytest

from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.fakes import (
    DemoDirectory,
    MemoryConsentRegistry,
    MemoryLeadSink,
    demo_personal_data,
)
from tumbuh.chatbot.interfaces import Purpose, Service
from tumbuh.chatbot.smalltalk import is_thanks, split_greeting
from tumbuh.chatbot.understand import Intent
from tumbuh.growth import Indicator, assess


@pytest.fixture
def sink() -> MemoryLeadSink:
    return MemoryLeadSink()


@pytest.fixture
def consent() -> MemoryConsentRegistry:
    return MemoryConsentRegistry()


@pytest.fixture
def lbot(sink: MemoryLeadSink, consent: MemoryConsentRegistry) -> Bot:
    personal, verifier = demo_personal_data()
    details = {
        "Tegal Gundil": Service(
            kind="puskesmas",
            name="Puskesmas Tegal Gundil",
            hours="Senin-Kamis 07.30-14.00 (contoh)",
            phone="(0251) 000 0000 (contoh)",
        )
    }
    return Bot(
        directory=DemoDirectory(details=details),
        personal=personal,
        verifier=verifier,
        consent=consent,
        leads=sink,
        clock=lambda: dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC),
    )


def category(indicator: Indicator, **values: float | int) -> str:
    result = assess(measure="l" if values["age_months"] < 24 else "h", **values)  # type: ignore[arg-type]
    cat = result[indicator].category
    assert cat is not None
    return cat.value


# ------------------------------------------------------------------ growth from what they know


def test_length_age_and_sex_give_tbu_at_once_and_say_what_weight_adds(lbot: Bot) -> None:
    first = lbot.reply("g", "anak sy umur 18 bln tingginya 74 cm normal gak?")
    assert first.growth_outcome == "missing" and first.missing == ("sex",)
    assert "berat" not in first.text.lower()  # only the sex is asked
    done = lbot.reply("g", "perempuan")
    expected = category(Indicator.LENGTH_HEIGHT_FOR_AGE, sex=2, age_months=18, lenhei=74)
    assert dict(done.categories) == {"tbu": expected}
    assert done.missing == ("weight",) and "berat badannya" in done.text
    full = lbot.reply("g", "beratnya 9 kg")  # the weight completes the same check
    assert set(dict(full.categories)) == {"tbu", "bbtb", "bbu"}


def test_weight_age_and_sex_give_bbu(lbot: Bot) -> None:
    reply = lbot.reply("w", "anak cewe 3 thn bb 11 kg kurang gak")
    expected = category(Indicator.WEIGHT_FOR_AGE, sex=2, age_months=36, weight=11)
    assert dict(reply.categories) == {"bbu": expected} and reply.missing == ("lenhei",)


def test_english_partial_check(lbot: Bot) -> None:
    reply = lbot.reply("e", "my son is 2 years old and 82 cm")
    expected = category(Indicator.LENGTH_HEIGHT_FOR_AGE, sex=1, age_months=24, lenhei=82)
    assert reply.growth_outcome == "result" and dict(reply.categories) == {"tbu": expected}


@pytest.mark.parametrize(
    "text",
    [
        "anak sy 2 thn tingginya 150 cm normal ga",  # no sex given: still named first
        "bayi cewe 6 bln berat 70 kg",
        "anak laki 3 thn tb 9 cm",
        "my son is 2 years old and 180 cm",
    ],
)
def test_impossible_values_are_named_as_mistyped_never_asked_or_scored(
    lbot: Bot, text: str
) -> None:
    reply = lbot.reply("i", text)
    assert reply.growth_outcome == "implausible" and not reply.categories
    assert "salah ketik" in reply.text and "Mohon kirim jenis" not in reply.text


def test_knowledge_question_about_short_children_is_not_the_growth_form(lbot: Bot) -> None:
    reply = lbot.reply("k", "apakah anak pendek pasti stunting?")
    assert reply.intent is Intent.QUESTION
    assert reply.topics[:1] == ("stunting-bukan-sekadar-pendek",)


# ------------------------------------------------------------------ greetings in kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("assalamualaikum, mau tanya bu", "Wa'alaikumsalam"),
        ("Assalamu'alaikum wr wb", "Wa'alaikumsalam"),
        ("pagi kak", "Selamat pagi"),
        ("met malam bu bidan", "Selamat malam"),
        ("punten", "Mangga"),
    ],
)
def test_greetings_are_answered_in_kind_with_the_menu(lbot: Bot, text: str, kind: str) -> None:
    reply = lbot.reply("h", text)
    assert reply.intent is Intent.GREETING and reply.text.startswith(kind)
    assert "Yang bisa saya bantu" in reply.text and "di luar kemampuan" not in reply.text


def test_a_greeting_before_a_question_answers_both(lbot: Bot) -> None:
    reply = lbot.reply("h2", "assalamualaikum bu, asi eksklusif itu sampai umur berapa")
    assert reply.text.startswith("Wa'alaikumsalam") and reply.intent is Intent.QUESTION


def test_smalltalk_rules() -> None:
    assert split_greeting("pagi kak") is not None
    greeting = split_greeting("halo kak, mpasi mulai kapan")
    assert greeting is not None and greeting.rest == "mpasi mulai kapan"
    assert split_greeting("anak saya pagi ini demam") is None
    assert is_thanks("makasih ya bu") and is_thanks("terima kasih bu bidan sangat membantu")
    assert not is_thanks("terima kasih, tapi anak saya masih demam")


# ------------------------------------------------------------------ danger words as topics


@pytest.mark.parametrize(
    "text",
    [
        "ibu hamil harus minum tablet tambah darah berapa banyak",
        "apa saja tanda bahaya kehamilan yang harus diwaspadai",
        "how many iron tablets should a pregnant woman take",
    ],
)
def test_ordinary_questions_naming_danger_words_get_the_answer(lbot: Bot, text: str) -> None:
    reply = lbot.reply("t", text)
    assert not reply.urgent and reply.intent is Intent.QUESTION


def test_a_general_question_that_trips_a_danger_rule_gets_the_answer_and_the_note(
    lbot: Bot,
) -> None:
    reply = lbot.reply("t2", "perdarahan saat hamil termasuk tanda bahaya ya")
    assert "perdarahan-hamil" in reply.safety  # the rule matched...
    assert not reply.urgent and reply.topics[:1] == ("tanda-bahaya-kehamilan",)  # ...as a topic
    assert "sedang terjadi sekarang" in reply.text  # and what to do if it is happening now


@pytest.mark.parametrize(
    "text",
    [
        "istri saya hamil 7 bulan keluar darah banyak dari tadi",
        "tanda bahaya ya ini? anak saya kejang sekarang",
        "bumil 8 bulan pendarahan sekarang",
        # asked like a topic question, but about a case: still urgent
        "bayi kejang apa itu bahaya",
        "bayi 2 bulan demam tinggi apakah termasuk tanda bahaya",
        "hamil 8 bulan keluar flek termasuk tanda bahaya?",
        "kalau bayi napasnya cepat dan dada tertarik itu termasuk bahaya?",
    ],
)
def test_danger_now_stays_urgent_even_with_topic_words(lbot: Bot, text: str) -> None:
    reply = lbot.reply("d", text)
    assert reply.urgent and reply.intent is Intent.DANGER


# ------------------------------------------------------------------ local services


def test_puskesmas_of_a_kecamatan_and_facts_only_from_the_directory(lbot: Bot) -> None:
    reply = lbot.reply("s1", "puskesmas di kec bogor utara apa aja")
    assert reply.intent is Intent.WHERE_TO_GO
    assert all(n in reply.text for n in ("Bogor Utara", "Tegal Gundil", "Warung Jambu"))
    known = lbot.reply("s2", "puskesmas tegal gundil buka jam brp, no telp nya?")
    assert "Senin-Kamis 07.30-14.00 (contoh)" in known.text and "(0251) 000 0000" in known.text
    unknown = lbot.reply("s3", "no telp puskesmas bogor timur berapa")
    assert "belum tercatat" in unknown.text
    assert not any(ch.isdigit() for ch in unknown.text.split("\n")[1])  # no number invented
    schedule = lbot.reply("s4", "jadwal posyandu di kelurahan sempur kapan ya")
    assert "Selasa minggu ke-2" in schedule.text and "demo" in schedule.text


# ------------------------------------------------------------------ the visit lead

WORRYING = "anak cewek 3 thn tb 85 cm"


def test_worrying_result_offers_a_visit_and_consent_creates_the_lead(
    lbot: Bot, sink: MemoryLeadSink, consent: MemoryConsentRegistry
) -> None:
    offer = lbot.reply("l1", WORRYING)
    assert offer.offer_visit and dict(offer.categories)["tbu"] in ("stunted", "severely_stunted")
    assert lbot.reply("l1", "ya").text.startswith("Nomor HP")
    assert "kelurahan apa" in lbot.reply("l1", "0812 3456 7890").text
    done = lbot.reply("l1", "saya di Sempur")
    assert done.intent is Intent.VISIT_LEAD and "K00001" in done.text
    [lead] = sink.leads
    assert lead.phone == "081234567890" and lead.kelurahan == "Sempur"
    assert lead.lenhei_cm == 85 and lead.sex == 2 and lead.reason == "stunted"
    assert consent.has(lead.consent_subject, Purpose.VISIT_LEAD)


def test_no_lead_without_consent(lbot: Bot, sink: MemoryLeadSink) -> None:
    lbot.reply("l2", WORRYING)
    reply = lbot.reply("l2", "tidak")
    assert "tidak ada yang diteruskan" in reply.text and sink.leads == []
    lbot.reply("l3", WORRYING)
    lbot.reply("l3", "ya")
    assert "dibatalkan" in lbot.reply("l3", "batal").text and sink.leads == []


def test_whatsapp_uses_the_sender_number_and_a_normal_result_offers_nothing(
    lbot: Bot, sink: MemoryLeadSink
) -> None:
    normal = lbot.reply("wa:1", "anak perempuan umur 2 tahun tinggi 86 cm berat 12 kg")
    assert not normal.offer_visit
    lbot.reply("wa:2", "saya tinggal di Sempur", channel="whatsapp", sender_phone="6281311112222")
    lbot.reply("wa:2", WORRYING, channel="whatsapp", sender_phone="6281311112222")
    done = lbot.reply("wa:2", "iya", channel="whatsapp", sender_phone="6281311112222")
    assert done.intent is Intent.VISIT_LEAD and "sudah diteruskan" in done.text
    assert [(x.phone, x.kelurahan, x.channel) for x in sink.leads] == [
        ("6281311112222", "Sempur", "whatsapp")
    ]


def test_a_weight_that_does_not_go_up_offers_a_visit(lbot: Bot) -> None:
    reply = lbot.reply("f", "berat badan anak saya tidak naik 2 bulan")
    assert reply.offer_visit and reply.topics[:1] == ("berat-tidak-naik",)


def test_without_a_lead_sink_nothing_is_offered() -> None:
    reply = Bot(embedder=False).reply("n", WORRYING)
    assert reply.growth_outcome == "result" and not reply.offer_visit


def test_would_be_partners_are_routed_to_the_sign_up_when_it_exists() -> None:
    text = "perusahaan kami ingin menjadi bapak asuh anak stunting"
    without = Bot(embedder=False).reply("p", text)
    assert without.intent is Intent.HOW_TO_HELP and "formulir" not in without.text
    signup = Bot(embedder=False, partner_signup_url="https://tumbuh.example/mitra/daftar/")
    reply = signup.reply("p", text)
    assert reply.text.startswith("Untuk mendaftar") and "/mitra/daftar/" in reply.text
