"""Identity numbers out of what the chatbot keeps (issue 11, finding 10).

A citizen who types a NIK or KK number is told it is not needed and will not be used; it
must then not stay in the conversation state, the conversation log or a handoff transcript
either. Sixteen digits (spaces, dots or dashes between them allowed) become a placeholder
before anything is stored."""

from __future__ import annotations

import re
from typing import Any

#: 16 digits, optionally grouped ("3271 0350 0325 0001", "3271.0350.0325.0001").
IDENTITY_NUMBER = re.compile(r"(?<!\d)(?:\d[ .\-]?){15}\d(?!\d)")
PLACEHOLDER = "[nomor identitas dihapus]"


def scrub_text(text: str) -> str:
    return IDENTITY_NUMBER.sub(PLACEHOLDER, text)


def scrub(value: Any) -> Any:
    """``value`` (text, or lists and dicts of them, as JSON holds) with identity numbers
    replaced."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value
