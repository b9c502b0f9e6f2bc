"""The chatbot's knowledge base from the admin's table (:class:`KnowledgeSource`).

Rows obey the engine's own validation (``parse_entry``/``load_entries``). While no entry is
published the bot answers from the files shipped with the package; an invalid table never
takes the bot down: the last valid entries (or the files) stay in use and the problem is
logged. The bot re-reads :meth:`version` every few seconds, so an edit takes effect in every
web process without a release.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from django.db.models import Count, Max

from tumbuh.chatbot.knowledge import (
    Entry,
    KnowledgeError,
    KnowledgeSource,
    default_source,
    load_entries,
)
from tumbuh.messaging.models import KnowledgeEntry

__all__ = ["DatabaseKnowledgeSource", "entry_mapping", "seed_knowledge"]

log = logging.getLogger(__name__)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def entry_mapping(row: KnowledgeEntry) -> dict[str, object]:
    """A row as the mapping :func:`parse_entry` validates."""
    data: dict[str, object] = {
        "id": row.entry_id,
        "title": row.title,
        "questions": [q.strip() for q in row.questions.splitlines() if q.strip()],
        "answer": row.answer,
        "sources": row.sources,
        "reviewed": row.reviewed,
    }
    for name in ("tags", "related", "audience"):
        values = _split(getattr(row, name))
        if values:
            data[name] = values
    return data


class DatabaseKnowledgeSource:
    def __init__(self, fallback: KnowledgeSource | None = None) -> None:
        self._fallback = fallback or default_source()
        self._cached: tuple[str, Sequence[Entry]] | None = None

    def version(self) -> str:
        stats = KnowledgeEntry.objects.filter(published=True).aggregate(
            n=Count("id"), latest=Max("updated_at")
        )
        if not stats["n"]:
            return "file:" + self._fallback.version()
        total = KnowledgeEntry.objects.count()
        return f"db:{stats['n']}:{total}:{stats['latest'].isoformat()}"

    def entries(self) -> Sequence[Entry]:
        version = self.version()
        if self._cached is not None and self._cached[0] == version:
            return self._cached[1]
        if version.startswith("file:"):
            entries = self._fallback.entries()
        else:
            rows = KnowledgeEntry.objects.filter(published=True).order_by("entry_id")
            try:
                entries = load_entries((f"db:{r.pk}", entry_mapping(r)) for r in rows)
            except KnowledgeError as exc:
                log.error("pengetahuan chatbot di basis data tidak sah, dipakai yang lama: %s", exc)
                if self._cached is not None:
                    return self._cached[1]
                entries = self._fallback.entries()
        self._cached = (version, entries)
        return entries


def _source_dict(source: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for key in ("organisation", "document", "year", "url", "note"):
        value = getattr(source, key)
        if value not in ("", None):
            out[key] = value
    return out


def seed_knowledge(*, update: bool = False, entries: Sequence[Entry] | None = None) -> int:
    """Copy the shipped knowledge files into the table; returns how many rows were written.
    Existing rows are left alone unless ``update``."""
    written = 0
    for entry in entries if entries is not None else default_source().entries():
        values: Mapping[str, object] = {
            "title": entry.title,
            "questions": "\n".join(entry.questions),
            "answer": entry.answer,
            "sources": [_source_dict(s) for s in entry.sources],
            "reviewed": entry.reviewed,
            "tags": ", ".join(entry.tags),
            "related": ", ".join(entry.related),
            "audience": ", ".join(entry.audience),
        }
        if update:
            KnowledgeEntry.objects.update_or_create(entry_id=entry.id, defaults=dict(values))
            written += 1
        else:
            _, created = KnowledgeEntry.objects.get_or_create(
                entry_id=entry.id, defaults=dict(values)
            )
            written += created
    return written
