"""Knowledge base: shipped entries, validation that names file and field, live reload."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.knowledge import (
    FileKnowledgeSource,
    KnowledgeError,
    default_source,
    parse_entry,
)
from tumbuh.chatbot.normalise import normalise_document

EVAL = Path(__file__).resolve().parents[2] / "eval" / "chatbot"

GOOD = """
[[entry]]
id = "contoh"
title = "Contoh"
questions = ["apa itu contoh", "contoh itu apa"]
answer = "Jawaban contoh."
reviewed = 2026-11-22
sources = [{ organisation = "Kementerian Kesehatan RI", document = "Buku KIA", year = 2023 }]
"""


def test_shipped_knowledge_base() -> None:
    entries = default_source().entries()
    assert len(entries) >= 70
    for e in entries:
        assert e.sources and all(s.organisation and s.document and s.year for s in e.sources)
        assert e.reviewed in (dt.date(2026, 11, 22), dt.date(2026, 12, 4)), e.id
        assert len(e.questions) >= 3, e.id


def test_validation_names_the_file_the_entry_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(
        GOOD.replace("reviewed = 2026-11-22", 'reviewed = "kemarin"').replace(
            "questions", "qustions"
        )
    )
    with pytest.raises(KnowledgeError) as err:
        FileKnowledgeSource(tmp_path).entries()
    text = str(err.value)
    assert "a.toml: entry 'contoh': field 'reviewed'" in text
    assert "field 'questions': is required" in text
    assert "field 'qustions': unknown key" in text


def test_duplicate_ids_and_unknown_related_entries(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(GOOD.replace("[[entry]]", '[[entry]]\nrelated = ["x"]'))
    with pytest.raises(KnowledgeError) as err:
        FileKnowledgeSource(tmp_path).entries()
    assert "b.toml: entry 'contoh': field 'id': duplicate of the entry in a.toml" in str(err.value)


def test_source_year_and_answer_length_are_checked() -> None:
    problems: list = []
    data = {
        "id": "x",
        "title": "X",
        "questions": ["a b", "c d"],
        "answer": "y" * 5000,
        "reviewed": "2026-11-22",
        "sources": [{"organisation": "WHO", "document": "Doc", "year": 1900}],
    }
    assert parse_entry(data, "db:1", problems) is None
    fields = {p.field for p in problems}
    assert fields == {"answer", "sources[0].year"}
    assert all(p.origin == "db:1" for p in problems)


def test_bad_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[[entry]\nid=")
    with pytest.raises(KnowledgeError, match=r"broken\.toml"):
        FileKnowledgeSource(tmp_path).entries()


def test_an_edited_entry_takes_effect_without_a_release(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD)
    bot = Bot(knowledge=FileKnowledgeSource(tmp_path), reload_seconds=0.0)
    assert bot.reply("r", "apa itu contoh").topics == ("contoh",)
    (tmp_path / "b.toml").write_text(
        GOOD.replace('id = "contoh"', 'id = "kelas-ibu-balita"')
        .replace("apa itu contoh", "apa itu kelas ibu balita")
        .replace("contoh itu apa", "kelas ibu balita untuk apa")
    )
    reply = bot.reply("r2", "kelas ibu balita itu apa")
    assert reply.topics == ("kelas-ibu-balita",)


def test_no_evaluation_question_is_a_copy_of_a_knowledge_base_variant() -> None:
    variants = {normalise_document(q) for e in default_source().entries() for q in e.questions}
    copies = []
    for path in EVAL.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            for text in case.get("turns") or [case["text"]]:
                if normalise_document(text) in variants:
                    copies.append((case["id"], text))
    assert copies == []
