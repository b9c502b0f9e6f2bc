"""What the chatbot engine needs from the platform, as small Protocols (ARCHITECTURE.md).

The engine never imports Django. The platform implements these interfaces over its
registry (a directory of services, a verified person's children, the bapak asuh visit plan),
its consent records, its handoff queue and its conversation log; :mod:`tumbuh.chatbot.fakes`
implements them in memory for tests and the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

__all__ = [
    "AreaServices",
    "ChatUser",
    "ChildSummary",
    "ConsentRegistry",
    "ConversationLog",
    "DueVisit",
    "HandoffQueue",
    "HandoffRequest",
    "HandoffStatus",
    "IdentityVerifier",
    "KecamatanDirectory",
    "LeadRequest",
    "LeadSink",
    "LogRecord",
    "MeasurementSummary",
    "PersonalData",
    "Purpose",
    "Role",
    "Service",
    "ServiceDirectory",
    "Turn",
]


class Role(StrEnum):
    """Who the person behind a verified phone number is, for the chatbot."""

    PARENT = "parent"
    BAPAK_ASUH = "bapak_asuh"


@dataclass(frozen=True, slots=True)
class ChatUser:
    """A person whose phone number was verified (one-time code, or the WhatsApp number)."""

    person_id: str
    """The platform's opaque identifier; never shown to anyone."""
    role: Role = Role.PARENT
    display_name: str = ""


# ------------------------------------------------------------------ services


@dataclass(frozen=True, slots=True)
class Service:
    """A posyandu or puskesmas as the city's directory holds it (never invented by the bot)."""

    kind: str
    """"posyandu" or "puskesmas"."""
    name: str
    address: str = ""
    schedule: str = ""
    """Free text from the directory, e.g. "Selasa minggu ke-2, 08.00-11.00"."""
    phone: str = ""
    hours: str = ""
    """Opening hours as the directory holds them, e.g. "Senin-Jumat 07.30-14.00"."""
    area: str = ""
    """Where it is (kelurahan or kecamatan), when listed outside its kelurahan."""


@dataclass(frozen=True, slots=True)
class AreaServices:
    kelurahan: str
    kecamatan: str
    posyandu: tuple[Service, ...] = ()
    puskesmas: tuple[Service, ...] = ()
    note: str = ""
    """Shown under the list, e.g. that a list is incomplete or only an example."""


@runtime_checkable
class ServiceDirectory(Protocol):
    """The city's directory of posyandu and puskesmas, by kelurahan."""

    def kelurahan_names(self) -> Sequence[str]:
        """Every kelurahan name the directory knows (used to spot them in messages)."""
        ...

    def services_for(self, kelurahan: str) -> AreaServices | None:
        """Services for one kelurahan (name as returned by :meth:`kelurahan_names`)."""
        ...


@runtime_checkable
class KecamatanDirectory(Protocol):
    """Optional: the directory by kecamatan ("puskesmas di kecamatan Bogor Utara apa saja")."""

    def kecamatan_names(self) -> Sequence[str]: ...

    def services_in_kecamatan(self, kecamatan: str) -> AreaServices | None:
        """Every puskesmas (and posyandu, if listed) of a kecamatan; ``kelurahan`` is ""."""
        ...


# ------------------------------------------------------------------ personal data


@dataclass(frozen=True, slots=True)
class MeasurementSummary:
    date: dt.date
    age_months: float
    weight_kg: float | None
    lenhei_cm: float | None
    tbu_label: str = ""
    """Permenkes label of length/height-for-age, as the registry computed it."""
    bbtb_label: str = ""
    bbu_label: str = ""


@dataclass(frozen=True, slots=True)
class ChildSummary:
    """What a verified parent may see about their own child."""

    child_ref: str
    """Opaque reference; never shown."""
    name: str
    """First name or nickname, as the parent knows it."""
    sex: int
    birth_date: dt.date
    posyandu: str = ""
    latest: MeasurementSummary | None = None
    previous: MeasurementSummary | None = None
    weight_trend: str = ""
    """"N" (naik), "T" (tidak naik) or "" (unknown), per the KMS rule (DOMAIN.md 1.3)."""
    next_posyandu: dt.date | None = None


@dataclass(frozen=True, slots=True)
class DueVisit:
    """A bapak asuh visit that is due (every 14 days), pseudonymised as the family agreed."""

    child_label: str
    kelurahan: str
    due: dt.date
    last_visit: dt.date | None = None

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


@runtime_checkable
class PersonalData(Protocol):
    """A verified person's own data, scoped by the platform (never anyone else's)."""

    def children_of(self, person_id: str) -> Sequence[ChildSummary]: ...

    def due_visits(self, person_id: str, today: dt.date) -> Sequence[DueVisit]: ...


@runtime_checkable
class IdentityVerifier(Protocol):
    """One-time codes sent to a phone number known to the registry."""

    def start(self, phone: str) -> bool:
        """Send a code; False when the number is not registered (say nothing more)."""
        ...

    def check(self, phone: str, code: str) -> ChatUser | None:
        """The verified user, or None when the code is wrong or expired."""
        ...


# ------------------------------------------------------------------ consent


class Purpose(StrEnum):
    PERSONAL_DATA = "personal_data"
    """Show the verified person's own child data in this conversation."""
    HANDOFF = "handoff"
    """Pass the conversation (and the kelurahan) to a kader or nutrition officer."""
    CONVERSATION_LOG = "conversation_log"
    """Keep the conversation to improve the service (review, new evaluation cases)."""
    VISIT_LEAD = "visit_lead"
    """Pass the phone number, kelurahan and growth values to the kader for a home visit."""


@runtime_checkable
class ConsentRegistry(Protocol):
    """Consent per subject (a verified person, or an anonymous conversation) and purpose."""

    def has(self, subject: str, purpose: Purpose) -> bool: ...

    def record(
        self, subject: str, purpose: Purpose, granted: bool, *, channel: str, wording: str
    ) -> None:
        """Record a yes or a no with the exact question the person answered."""
        ...

    def withdraw_all(self, subject: str) -> None: ...


# ------------------------------------------------------------------ handoff


class HandoffStatus(StrEnum):
    NONE = "none"
    WAITING = "waiting"
    """In the queue; the bot keeps answering and says a person will reply."""
    HELD = "held"
    """A kader or nutrition officer holds the conversation: the bot stays quiet."""


@dataclass(frozen=True, slots=True)
class Turn:
    role: str
    """"user" or "bot"."""
    text: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class HandoffRequest:
    conversation_id: str
    channel: str
    kelurahan: str | None
    reason: str
    transcript: tuple[Turn, ...] = field(default=())
    person_id: str | None = None


@runtime_checkable
class HandoffQueue(Protocol):
    """The queue a kader or nutrition officer of the user's area answers from the web."""

    def request(self, request: HandoffRequest) -> str:
        """Queue the conversation; returns a ticket id."""
        ...

    def status(self, conversation_id: str) -> HandoffStatus: ...

    def forward(self, conversation_id: str, text: str, at: dt.datetime) -> None:
        """A user message that arrived while waiting or held goes to the person."""
        ...


# ------------------------------------------------------------------ visit leads


@dataclass(frozen=True, slots=True)
class LeadRequest:
    """A worrying growth check the parent agreed to pass on: a kader should visit (issue 10).

    Only what the parent typed; the platform matches it against the registry by phone and
    birth date, and never tells the chat what it found.
    """

    conversation_id: str
    channel: str
    phone: str
    kelurahan: str
    reason: str
    """"stunted", "severely_wasted" or "falling" (weight not gaining, as the parent says)."""
    sex: int | None = None
    age_months: float | None = None
    weight_kg: float | None = None
    lenhei_cm: float | None = None
    categories: tuple[tuple[str, str], ...] = ()
    consent_wording: str = ""
    consent_subject: str = ""
    """The consent subject the "yes" was recorded under (``Purpose.VISIT_LEAD``)."""


@runtime_checkable
class LeadSink(Protocol):
    """Where leads go: the registry's list for the kelurahan's kader and puskesmas."""

    def submit(self, lead: LeadRequest) -> str:
        """Store the lead; returns its reference (shown to the parent, nothing else)."""
        ...


# ------------------------------------------------------------------ conversation log


@dataclass(frozen=True, slots=True)
class LogRecord:
    conversation_id: str
    channel: str
    at: dt.datetime
    text: str
    reply: str
    intent: str
    topics: tuple[str, ...]
    confidence: float


@runtime_checkable
class ConversationLog(Protocol):
    """Kept only with consent; administrators review it and turn it into evaluation cases."""

    def record(self, record: LogRecord) -> None: ...

    def erase(self, conversation_id: str) -> None: ...
