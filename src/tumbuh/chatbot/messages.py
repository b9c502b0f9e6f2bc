"""Reply templates, loaded from ``data/messages/<lang>.toml`` (never inline strings in code)."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

__all__ = ["Messages", "default_messages"]


class Messages:
    """Templates by key; ``text(key, **values)`` formats one and fails loudly on a typo."""

    def __init__(self, texts: Mapping[str, str], quick: Mapping[str, object]) -> None:
        self._texts = MappingProxyType({k: v.strip("\n") for k, v in texts.items()})
        self._quick = MappingProxyType(dict(quick))

    @classmethod
    def from_toml(cls, raw: bytes, origin: str = "messages") -> Messages:
        data = tomllib.loads(raw.decode("utf-8"))
        texts = data.get("text", {})
        quick = data.get("quick", {})
        if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
            raise ValueError(f"{origin}: [text] must map keys to strings")
        if not isinstance(quick, dict):
            raise ValueError(f"{origin}: [quick] must be a table")
        return cls(texts, quick)

    def keys(self) -> frozenset[str]:
        return frozenset(self._texts)

    def placeholders(self, key: str) -> frozenset[str]:
        return frozenset(
            name for _, name, _, _ in string.Formatter().parse(self._texts[key]) if name
        )

    def text(self, key: str, **values: object) -> str:
        try:
            template = self._texts[key]
        except KeyError:
            raise KeyError(f"no chatbot message {key!r}") from None
        return template.format(**values) if values else template

    def quick(self, key: str) -> tuple[str, ...]:
        value = self._quick.get(key, ())
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list):
            return tuple(str(v) for v in value)
        return ()


@cache
def default_messages(lang: str = "id") -> Messages:
    path = resources.files("tumbuh.chatbot") / "data" / "messages" / f"{lang}.toml"
    return Messages.from_toml(path.read_bytes(), origin=f"{lang}.toml")
