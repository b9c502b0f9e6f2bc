"""Conversation state, one per conversation id, behind a small store interface.

The in-memory store is what the terminal and the tests use; the platform adds a database or
Redis store with the same two methods and the JSON form (:meth:`ConversationState.to_dict`).
A per-conversation lock keeps two messages of the same conversation from racing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from tumbuh.chatbot.interfaces import ChatUser, Role

__all__ = [
    "ConversationState",
    "GrowthSlots",
    "MemoryStateStore",
    "Pending",
    "StateStore",
]

MAX_TRANSCRIPT = 20
MAX_CONTEXT = 3


class Pending(StrEnum):
    """What the bot asked last and is waiting for."""

    NONE = "none"
    GROWTH = "growth"
    KELURAHAN = "kelurahan"
    HANDOFF_CONSENT = "handoff_consent"
    HANDOFF_KELURAHAN = "handoff_kelurahan"
    PHONE = "phone"
    CODE = "code"
    PERSONAL_CONSENT = "personal_consent"
    CHOICE = "choice"
    """The user may answer a numbered list of topics."""
    LEAD_CONSENT = "lead_consent"
    """Yes/no: may a kader visit (the phone, kelurahan and values go to the posyandu)?"""
    LEAD_PHONE = "lead_phone"
    LEAD_KELURAHAN = "lead_kelurahan"


@dataclass
class GrowthSlots:
    sex: int | None = None
    age_months: float | None = None
    weight_kg: float | None = None
    lenhei_cm: float | None = None
    measure: str | None = None
    age_without_unit: float | None = None

    def missing(self) -> list[str]:
        out = []
        if self.sex is None:
            out.append("sex")
        if self.age_months is None:
            out.append("age")
        if self.weight_kg is None:
            out.append("weight")
        if self.lenhei_cm is None:
            out.append("lenhei")
        return out

    def clear(self) -> None:
        self.sex = self.age_months = self.weight_kg = self.lenhei_cm = None
        self.measure = None
        self.age_without_unit = None


@dataclass
class ConversationState:
    conversation_id: str
    channel: str = ""
    created: str = ""
    updated: str = ""
    pending: Pending = Pending.NONE
    after_verify: str = ""
    """The intent to resume once the phone is verified and consent given."""
    growth: GrowthSlots = field(default_factory=GrowthSlots)
    kelurahan: str | None = None
    user: ChatUser | None = None
    phone: str | None = None
    code_attempts: int = 0
    last_topics: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str, str]] = field(default_factory=list)
    """(role, text, ISO time), the last ``MAX_TRANSCRIPT`` turns, for the handoff."""
    context: list[str] = field(default_factory=list)
    """The last ``MAX_CONTEXT`` normalised user messages (danger rules read it)."""
    turns: int = 0
    lead: dict[str, Any] = field(default_factory=dict)
    """The worrying growth check a kader visit was offered for (until it is sent or refused)."""
    sender_phone: str | None = None
    """The number a phone channel (WhatsApp) reports for the sender; never shown."""

    def add_turn(self, role: str, text: str, at: dt.datetime) -> None:
        self.transcript.append((role, text, at.isoformat()))
        del self.transcript[:-MAX_TRANSCRIPT]

    def add_context(self, text: str) -> None:
        self.context.append(text)
        del self.context[:-MAX_CONTEXT]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form for database or Redis stores."""
        data = asdict(self)
        data["pending"] = self.pending.value
        if self.user is not None:
            data["user"] = {
                "person_id": self.user.person_id,
                "role": self.user.role.value,
                "display_name": self.user.display_name,
            }
        data["transcript"] = [list(t) for t in self.transcript]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationState:
        values = dict(data)
        values["pending"] = Pending(values.get("pending", "none"))
        values["growth"] = GrowthSlots(**values.get("growth", {}))
        user = values.get("user")
        values["user"] = (
            ChatUser(
                person_id=str(user["person_id"]),
                role=Role(user.get("role", "parent")),
                display_name=str(user.get("display_name", "")),
            )
            if user
            else None
        )
        values["transcript"] = [tuple(t) for t in values.get("transcript", [])]
        return cls(**values)


@runtime_checkable
class StateStore(Protocol):
    def locked(self, conversation_id: str) -> Any:
        """A context manager that serialises work on one conversation; yields its state."""
        ...

    def save(self, state: ConversationState) -> None: ...

    def delete(self, conversation_id: str) -> None: ...


class MemoryStateStore:
    """Thread-safe, bounded (least recently used conversations are dropped)."""

    def __init__(self, max_conversations: int = 100_000) -> None:
        self._states: OrderedDict[str, ConversationState] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._max = max_conversations

    @contextmanager
    def locked(self, conversation_id: str) -> Iterator[ConversationState]:
        with self._guard:
            lock = self._locks.setdefault(conversation_id, threading.Lock())
        with lock:
            with self._guard:
                state = self._states.get(conversation_id)
                if state is None:
                    state = ConversationState(conversation_id=conversation_id)
            yield state

    def save(self, state: ConversationState) -> None:
        with self._guard:
            self._states[state.conversation_id] = state
            self._states.move_to_end(state.conversation_id)
            while len(self._states) > self._max:
                old, _ = self._states.popitem(last=False)
                self._locks.pop(old, None)

    def delete(self, conversation_id: str) -> None:
        with self._guard:
            self._states.pop(conversation_id, None)

    def get(self, conversation_id: str) -> ConversationState | None:
        with self._guard:
            return self._states.get(conversation_id)

    def __len__(self) -> int:
        return len(self._states)
