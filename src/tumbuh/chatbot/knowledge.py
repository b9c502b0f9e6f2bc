"""The curated knowledge base: entries written by the project from Kemenkes, WHO, BKKBN sources.

Entries live in TOML files (``data/knowledge/*.toml``, one file per topic group, an
``[[entry]]`` array in each). Every entry is validated on load; a problem names the file,
the entry and the field. The platform serves entries edited in its admin through the same
:class:`KnowledgeSource` protocol (ADR 0021): it hands plain mappings to
:func:`parse_entry`, so a database row and a file entry obey exactly the same rules, and a
change takes effect when :meth:`KnowledgeSource.version` changes, without a code release.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final, Protocol, runtime_checkable

__all__ = [
    "DEFAULT_KNOWLEDGE_DIR",
    "Entry",
    "FileKnowledgeSource",
    "KnowledgeError",
    "KnowledgeProblem",
    "KnowledgeSource",
    "MemoryKnowledgeSource",
    "Source",
    "default_source",
    "load_entries",
    "parse_entry",
]

DEFAULT_KNOWLEDGE_DIR: Final = "data/knowledge"

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENTRY_KEYS: Final = frozenset(
    {"id", "title", "questions", "answer", "sources", "reviewed", "tags", "related", "audience"}
)
_REQUIRED: Final = ("id", "title", "questions", "answer", "sources", "reviewed")
_SOURCE_KEYS: Final = frozenset({"organisation", "document", "year", "url", "note"})
_MAX_ANSWER_CHARS: Final = 1800  # well under WhatsApp's 4,096 with the footer and source line
_MIN_QUESTIONS: Final = 2


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entry's facts come from: organisation, document, year (and optionally a URL)."""

    organisation: str
    document: str
    year: int
    url: str = ""
    note: str = ""

    def cite(self) -> str:
        return f"{self.organisation}, {self.document} ({self.year})"


@dataclass(frozen=True, slots=True)
class Entry:
    """One curated answer."""

    id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    sources: tuple[Source, ...]
    reviewed: dt.date
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    origin: str = ""
    """Where the entry was loaded from (file name, or "db:<pk>" in the platform)."""


@dataclass(frozen=True, slots=True)
class KnowledgeProblem:
    origin: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.origin}: entry {self.entry!r}" if self.entry else self.origin
        return f"{where}: field {self.field!r}: {self.message}"


class KnowledgeError(ValueError):
    """The knowledge base is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[KnowledgeProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@runtime_checkable
class KnowledgeSource(Protocol):
    """Where the bot gets its entries: files here, the admin's database in the platform."""

    def version(self) -> str:
        """Changes whenever any entry changes (the bot rebuilds its index then)."""
        ...

    def entries(self) -> Sequence[Entry]:
        """All valid, published entries (raise :class:`KnowledgeError` when invalid)."""
        ...


def _strings(
    value: object, origin: str, entry: str, name: str, problems: list[KnowledgeProblem]
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(KnowledgeProblem(origin, entry, name, "must be a list of non-empty texts"))
        return ()
    return tuple(v.strip() for v in value)


def _source(
    value: object, origin: str, entry: str, index: int, problems: list[KnowledgeProblem]
) -> Source | None:
    name = f"sources[{index}]"
    if not isinstance(value, Mapping):
        problems.append(KnowledgeProblem(origin, entry, name, "must be a table"))
        return None
    unknown = set(value) - _SOURCE_KEYS
    if unknown:
        problems.append(KnowledgeProblem(origin, entry, name, f"unknown keys {sorted(unknown)}"))
    ok = True
    for key in ("organisation", "document"):
        text = value.get(key)
        if not isinstance(text, str) or not text.strip():
            problems.append(KnowledgeProblem(origin, entry, f"{name}.{key}", "is required"))
            ok = False
    year = value.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
        problems.append(
            KnowledgeProblem(origin, entry, f"{name}.year", "must be a year (1990-2100)")
        )
        ok = False
    for key in ("url", "note"):
        if key in value and not isinstance(value[key], str):
            problems.append(KnowledgeProblem(origin, entry, f"{name}.{key}", "must be text"))
            ok = False
    if not ok:
        return None
    return Source(
        organisation=str(value["organisation"]).strip(),
        document=str(value["document"]).strip(),
        year=int(str(year)),
        url=str(value.get("url", "")),
        note=str(value.get("note", "")),
    )


def parse_entry(
    data: Mapping[str, object], origin: str, problems: list[KnowledgeProblem] | None = None
) -> Entry | None:
    """Validate one entry given as a mapping (a TOML table or a database row).

    With ``problems`` given, problems are appended there and None is returned for an invalid
    entry; without it, a :class:`KnowledgeError` is raised.
    """
    found: list[KnowledgeProblem] = [] if problems is None else problems
    start = len(found)
    raw_id = data.get("id")
    entry = raw_id if isinstance(raw_id, str) else ""
    for key in _REQUIRED:
        if key not in data:
            found.append(KnowledgeProblem(origin, entry, key, "is required"))
    unknown = set(data) - _ENTRY_KEYS
    if unknown:
        found.append(KnowledgeProblem(origin, entry, ", ".join(sorted(unknown)), "unknown key"))
    if "id" in data and (not isinstance(raw_id, str) or not _ID.match(raw_id)):
        found.append(
            KnowledgeProblem(origin, entry, "id", "must be lower-case words joined by '-'")
        )
    title = data.get("title")
    if "title" in data and (not isinstance(title, str) or not title.strip()):
        found.append(KnowledgeProblem(origin, entry, "title", "must be non-empty text"))
    questions: tuple[str, ...] = ()
    if "questions" in data:
        questions = _strings(data["questions"], origin, entry, "questions", found)
        if questions and len(questions) < _MIN_QUESTIONS:
            found.append(
                KnowledgeProblem(
                    origin, entry, "questions", f"needs at least {_MIN_QUESTIONS} variants"
                )
            )
    answer = data.get("answer")
    if "answer" in data:
        if not isinstance(answer, str) or not answer.strip():
            found.append(KnowledgeProblem(origin, entry, "answer", "must be non-empty text"))
        elif len(answer) > _MAX_ANSWER_CHARS:
            found.append(
                KnowledgeProblem(
                    origin,
                    entry,
                    "answer",
                    f"is {len(answer)} characters; keep it under {_MAX_ANSWER_CHARS}",
                )
            )
    sources: list[Source] = []
    if "sources" in data:
        raw_sources = data["sources"]
        if not isinstance(raw_sources, list) or not raw_sources:
            found.append(KnowledgeProblem(origin, entry, "sources", "needs at least one source"))
        else:
            for i, raw in enumerate(raw_sources):
                src = _source(raw, origin, entry, i, found)
                if src is not None:
                    sources.append(src)
    reviewed = data.get("reviewed")
    if "reviewed" in data:
        if isinstance(reviewed, str):
            try:
                reviewed = dt.date.fromisoformat(reviewed)
            except ValueError:
                reviewed = None
        if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
            found.append(KnowledgeProblem(origin, entry, "reviewed", "must be a date (YYYY-MM-DD)"))
            reviewed = None
    tags = _strings(data.get("tags", []), origin, entry, "tags", found)
    related = _strings(data.get("related", []), origin, entry, "related", found)
    audience = _strings(data.get("audience", []), origin, entry, "audience", found)
    if len(found) > start:
        if problems is None:
            raise KnowledgeError(found)
        return None
    assert isinstance(raw_id, str) and isinstance(title, str) and isinstance(answer, str)
    assert isinstance(reviewed, dt.date)
    return Entry(
        id=raw_id,
        title=title.strip(),
        questions=questions,
        answer=answer.strip(),
        sources=tuple(sources),
        reviewed=reviewed,
        tags=tags,
        related=related,
        audience=audience,
        origin=origin,
    )


def load_entries(records: Iterable[tuple[str, Mapping[str, object]]]) -> tuple[Entry, ...]:
    """Validate many ``(origin, mapping)`` records together: ids unique, related ids known."""
    problems: list[KnowledgeProblem] = []
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for origin, data in records:
        entry = parse_entry(data, origin, problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(
                KnowledgeProblem(
                    origin, entry.id, "id", f"duplicate of the entry in {seen[entry.id]}"
                )
            )
            continue
        seen[entry.id] = origin
        entries.append(entry)
    for entry in entries:
        for rid in entry.related:
            if rid not in seen:
                problems.append(
                    KnowledgeProblem(entry.origin, entry.id, "related", f"unknown entry {rid!r}")
                )
    if problems:
        raise KnowledgeError(problems)
    return tuple(entries)


def _file_records(name: str, raw: bytes) -> list[tuple[str, Mapping[str, object]]]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KnowledgeError(
            [KnowledgeProblem(name, "", "(file)", f"not valid TOML: {exc}")]
        ) from exc
    unknown = set(data) - {"entry"}
    if unknown:
        raise KnowledgeError(
            [KnowledgeProblem(name, "", ", ".join(sorted(unknown)), "unknown top-level key")]
        )
    items = data.get("entry", [])
    if not isinstance(items, list) or not items:
        raise KnowledgeError([KnowledgeProblem(name, "", "entry", "no [[entry]] tables")])
    return [(name, item) for item in items]


class FileKnowledgeSource:
    """Entries from ``*.toml`` files in one folder; reloaded when a file changes."""

    def __init__(self, directory: Path | Traversable) -> None:
        self._dir = directory
        self._cached: tuple[str, tuple[Entry, ...]] | None = None

    def _files(self) -> list[Traversable]:
        return sorted(
            (f for f in self._dir.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name
        )

    def version(self) -> str:
        digest = hashlib.sha256()
        for f in self._files():
            digest.update(f.name.encode())
            if isinstance(f, Path):
                st = f.stat()
                digest.update(f"{st.st_mtime_ns}:{st.st_size}".encode())
            else:  # pragma: no cover - zipped installs: hash the content
                digest.update(f.read_bytes())
        return digest.hexdigest()[:16]

    def entries(self) -> Sequence[Entry]:
        version = self.version()
        if self._cached is not None and self._cached[0] == version:
            return self._cached[1]
        records: list[tuple[str, Mapping[str, object]]] = []
        problems: list[KnowledgeProblem] = []
        for f in self._files():
            try:
                records.extend(_file_records(f.name, f.read_bytes()))
            except KnowledgeError as exc:
                problems.extend(exc.problems)
        if problems:
            raise KnowledgeError(problems)
        entries = load_entries(records)
        self._cached = (version, entries)
        return entries


class MemoryKnowledgeSource:
    """Entries held in memory (tests; the platform's admin preview)."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries = tuple(entries)
        self._version = 0

    def replace(self, entries: Iterable[Entry]) -> None:
        self._entries = tuple(entries)
        self._version += 1

    def version(self) -> str:
        return str(self._version)

    def entries(self) -> Sequence[Entry]:
        return self._entries


def default_source() -> FileKnowledgeSource:
    """The knowledge base shipped with the package."""
    base = resources.files("tumbuh.chatbot") / "data" / "knowledge"
    directory: Path | Traversable = Path(str(base)) if Path(str(base)).is_dir() else base
    return FileKnowledgeSource(directory)
