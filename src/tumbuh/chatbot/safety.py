"""Safety rules, checked before any other understanding (ADR 0022).

Danger signs (convulsions, difficult breathing, not drinking, bloody diarrhoea, high fever,
lethargy, bleeding in pregnancy...) are caught by explicit rules, never by retrieval:
CHATBOT.md measured that embeddings do not separate emergencies. The rules live in
``data/safety.toml`` so a health worker can read and extend them; this module compiles them
and applies them to the normalised and the raw text of a message.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Final

__all__ = ["SafetyHit", "SafetyKind", "SafetyRule", "SafetyRules", "default_rules"]


class SafetyKind(StrEnum):
    DANGER = "danger"
    INJECTION = "injection"
    PRIVACY = "privacy"
    IDENTIFIER = "identifier"
    MEDICINE = "medicine"
    DIAGNOSIS = "diagnosis"


#: Which hit wins when a message trips several rules.
PRIORITY: Final = (
    SafetyKind.DANGER,
    SafetyKind.PRIVACY,
    SafetyKind.INJECTION,
    SafetyKind.IDENTIFIER,
    SafetyKind.MEDICINE,
    SafetyKind.DIAGNOSIS,
)
_GROUPS: Final = frozenset({"child", "pregnancy", "any", "mental", "safeguarding"})
_NEGATION = re.compile(
    r"(?:\b(?:tidak|tak|bukan|belum|tanpa|gak|ga|nggak|enggak|ndak|no|not|never|without|"
    r"sudah tidak|udah gak)\s+(?:\w+\s+)?)$"
)


@dataclass(frozen=True, slots=True)
class SafetyRule:
    id: str
    kind: SafetyKind
    group: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    context: tuple[re.Pattern[str], ...] = ()
    unless_context: tuple[re.Pattern[str], ...] = ()
    negatable: bool = True

    def _match(self, text: str) -> str | None:
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                if (
                    self.kind is SafetyKind.DANGER
                    and self.negatable
                    and _NEGATION.search(text[max(0, m.start() - 24) : m.start()])
                ):
                    continue
                return m.group(0)
        return None

    def check(self, texts: Sequence[str], context: str) -> str | None:
        if any(u.search(t) for u in self.unless for t in texts):
            return None
        if self.context:
            scope = (*texts, context)
            if not any(c.search(t) for c in self.context for t in scope):
                return None
        if self.unless_context and any(
            c.search(t) for c in self.unless_context for t in (*texts, context)
        ):
            return None
        for text in texts:
            found = self._match(text)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class SafetyHit:
    rule: str
    kind: SafetyKind
    group: str
    matched: str


def _compile(values: object, where: str) -> tuple[re.Pattern[str], ...]:
    """The patterns of one list joined into a single alternation (one scan per text)."""
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where}: must be a list of regular expressions")
    try:
        for v in values:
            re.compile(v)
        if not values:
            return ()
        return (re.compile("|".join(f"(?:{v})" for v in values), re.IGNORECASE),)
    except re.error as exc:
        raise ValueError(f"{where}: bad regular expression: {exc}") from exc


def _rule(data: Mapping[str, object], origin: str) -> SafetyRule:
    rid = data.get("id")
    if not isinstance(rid, str) or not rid:
        raise ValueError(f"{origin}: every [[rule]] needs an id")
    where = f"{origin}: rule {rid!r}"
    try:
        kind = SafetyKind(str(data.get("kind")))
    except ValueError:
        raise ValueError(f"{where}: unknown kind {data.get('kind')!r}") from None
    group = str(data.get("group", "any"))
    if kind is SafetyKind.DANGER and group not in _GROUPS:
        raise ValueError(f"{where}: group must be one of {sorted(_GROUPS)}")
    patterns = _compile(data.get("patterns"), f"{where}: patterns")
    if not patterns:
        raise ValueError(f"{where}: needs at least one pattern")
    return SafetyRule(
        id=rid,
        kind=kind,
        group=group,
        patterns=patterns,
        unless=_compile(data.get("unless"), f"{where}: unless"),
        context=_compile(data.get("context"), f"{where}: context"),
        unless_context=_compile(data.get("unless_context"), f"{where}: unless_context"),
        negatable=bool(data.get("negatable", True)),
    )


class SafetyRules:
    def __init__(
        self,
        rules: Sequence[SafetyRule],
        *,
        general: Sequence[re.Pattern[str]] = (),
        now: Sequence[re.Pattern[str]] = (),
    ) -> None:
        self.rules = tuple(rules)
        self.general = tuple(general)
        self.now = tuple(now)

    @classmethod
    def from_toml(cls, raw: bytes, origin: str = "safety.toml") -> SafetyRules:
        data = tomllib.loads(raw.decode("utf-8"))
        items = data.get("rule", [])
        if not isinstance(items, list):
            raise ValueError(f"{origin}: [[rule]] must be an array of tables")
        topic = data.get("topic_question", {})
        if not isinstance(topic, dict):
            raise ValueError(f"{origin}: [topic_question] must be a table")
        return cls(
            [_rule(item, origin) for item in items],
            general=_compile(topic.get("general"), f"{origin}: topic_question.general"),
            now=_compile(topic.get("now"), f"{origin}: topic_question.now"),
        )

    def is_topic_question(self, texts: Sequence[str]) -> bool:
        """A general question about a danger topic ("berapa tablet tambah darah...",
        "apa saja tanda bahaya kehamilan"), with nothing saying it is happening now."""
        if not self.general:
            return False
        if any(p.search(t) for p in self.now for t in texts):
            return False
        return any(p.search(t) for p in self.general for t in texts)

    def check(self, texts: Sequence[str], context: str = "") -> list[SafetyHit]:
        """Every rule that matches, most important first (see ``PRIORITY``)."""
        hits = []
        for rule in self.rules:
            found = rule.check(texts, context)
            if found is not None:
                hits.append(SafetyHit(rule.id, rule.kind, rule.group, found))
        hits.sort(key=lambda h: PRIORITY.index(h.kind))
        return hits


@cache
def default_rules() -> SafetyRules:
    path = resources.files("tumbuh.chatbot") / "data" / "safety.toml"
    return SafetyRules.from_toml(path.read_bytes())
