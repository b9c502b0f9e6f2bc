"""In-memory implementations of :mod:`tumbuh.chatbot.interfaces` for tests and the terminal.

None of them holds real data: the demo directory names only kelurahan, kecamatan and a
third-party puskesmas list (no addresses, no schedules), and the demo family is invented.
"""

from __future__ import annotations

import datetime as dt
import hmac
import itertools
import threading
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Final

from tumbuh.chatbot.interfaces import (
    AreaServices,
    ChatUser,
    ChildSummary,
    DueVisit,
    HandoffRequest,
    HandoffStatus,
    LeadRequest,
    LogRecord,
    MeasurementSummary,
    Purpose,
    Role,
    Service,
)

__all__ = [
    "DemoDirectory",
    "MemoryConsentRegistry",
    "MemoryConversationLog",
    "MemoryHandoffQueue",
    "MemoryLeadSink",
    "MemoryPersonalData",
    "MemoryVerifier",
    "demo_personal_data",
]


class DemoDirectory:
    """Kelurahan -> kecamatan -> puskesmas names (DOMAIN.md 3.2-3.3), demo posyandu.

    Every fact beyond the names comes from ``directory.toml`` (or the arguments) and is
    marked as an example; nothing here is the city's verified directory.
    """

    def __init__(
        self,
        kelurahan: Mapping[str, str] | None = None,
        puskesmas: Mapping[str, Sequence[str]] | None = None,
        posyandu: Mapping[str, Sequence[Service]] | None = None,
        details: Mapping[str, Service] | None = None,
    ) -> None:
        data: dict[str, Any] = {}
        if kelurahan is None or puskesmas is None or posyandu is None:
            path = resources.files("tumbuh.chatbot") / "data" / "demo" / "directory.toml"
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        kelurahan = kelurahan if kelurahan is not None else data["kelurahan"]
        puskesmas = puskesmas if puskesmas is not None else data["kecamatan"]
        if posyandu is None:
            posyandu = {
                kel: [Service(kind="posyandu", **item) for item in items]
                for kel, items in data.get("posyandu", {}).items()
            }
        self._kelurahan = dict(kelurahan)
        self._puskesmas = {k: tuple(v) for k, v in puskesmas.items()}
        self._posyandu = {k: tuple(v) for k, v in posyandu.items()}
        self._details = dict(details or {})

    def kelurahan_names(self) -> Sequence[str]:
        return tuple(self._kelurahan)

    def kecamatan_names(self) -> Sequence[str]:
        return tuple(self._puskesmas)

    def _puskesmas_of(self, kecamatan: str) -> tuple[Service, ...]:
        return tuple(
            self._details.get(name)
            or Service(kind="puskesmas", name=f"Puskesmas {name}", area=f"Kecamatan {kecamatan}")
            for name in self._puskesmas.get(kecamatan, ())
        )

    def services_for(self, kelurahan: str) -> AreaServices | None:
        kecamatan = self._kelurahan.get(kelurahan)
        if kecamatan is None:
            return None
        return AreaServices(
            kelurahan=kelurahan,
            kecamatan=kecamatan,
            posyandu=self._posyandu.get(kelurahan, ()),
            puskesmas=self._puskesmas_of(kecamatan),
            note=DEMO_NOTE,
        )

    def services_in_kecamatan(self, kecamatan: str) -> AreaServices | None:
        if kecamatan not in self._puskesmas:
            return None
        return AreaServices(
            kelurahan="",
            kecamatan=kecamatan,
            puskesmas=self._puskesmas_of(kecamatan),
            note=DEMO_NOTE,
        )


DEMO_NOTE: Final = (
    "Data contoh (demo), bukan direktori resmi kota: puskesmas di kecamatan Anda belum tentu "
    "yang melayani kelurahan Anda, dan posyandu contoh tidak nyata. Tanyakan jadwal posyandu "
    "kepada kader atau RW."
)


@dataclass
class MemoryPersonalData:
    children: dict[str, list[ChildSummary]] = field(default_factory=dict)
    visits: dict[str, list[DueVisit]] = field(default_factory=dict)

    def children_of(self, person_id: str) -> Sequence[ChildSummary]:
        return tuple(self.children.get(person_id, ()))

    def due_visits(self, person_id: str, today: dt.date) -> Sequence[DueVisit]:
        return tuple(v for v in self.visits.get(person_id, ()) if v.due <= today + dt.timedelta(7))


class MemoryVerifier:
    """Phone -> user; the "sent" code is fixed per phone (tests read it from ``codes``)."""

    def __init__(self, users: Mapping[str, ChatUser], code: str = "123456") -> None:
        self._users = {_digits(k): v for k, v in users.items()}
        self.codes: dict[str, str] = {}
        self._code = code
        self.sent: list[str] = []

    def start(self, phone: str) -> bool:
        key = _digits(phone)
        if key not in self._users:
            return False
        self.codes[key] = self._code
        self.sent.append(key)
        return True

    def check(self, phone: str, code: str) -> ChatUser | None:
        key = _digits(phone)
        expected = self.codes.get(key)
        if expected is None or not hmac.compare_digest(expected, code.strip()):
            return None
        del self.codes[key]
        return self._users[key]


def _digits(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


class MemoryConsentRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[tuple[str, Purpose], bool] = {}
        self.history: list[tuple[str, Purpose, bool, str, str]] = []

    def has(self, subject: str, purpose: Purpose) -> bool:
        with self._lock:
            return self._state.get((subject, purpose), False)

    def record(
        self, subject: str, purpose: Purpose, granted: bool, *, channel: str, wording: str
    ) -> None:
        with self._lock:
            self._state[(subject, purpose)] = granted
            self.history.append((subject, purpose, granted, channel, wording))

    def withdraw_all(self, subject: str) -> None:
        with self._lock:
            for key in [k for k in self._state if k[0] == subject]:
                self._state[key] = False
                self.history.append((subject, key[1], False, "", "withdraw"))


@dataclass
class _Ticket:
    id: str
    request: HandoffRequest
    status: HandoffStatus
    agent: str = ""
    messages: list[tuple[str, str]] = field(default_factory=list)


class MemoryLeadSink:
    """Leads in memory (tests, terminal): the kader's list is ``leads``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.leads: list[LeadRequest] = []

    def submit(self, lead: LeadRequest) -> str:
        with self._lock:
            self.leads.append(lead)
            return f"K{len(self.leads):05d}"


class MemoryHandoffQueue:
    """A queue the tests (and later the web UI) can claim, answer and release."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tickets: dict[str, _Ticket] = {}
        self._ids = itertools.count(1)
        self.outbox: list[tuple[str, str]] = []
        """(conversation_id, text) a person sent to the user; the channel delivers them."""

    def request(self, request: HandoffRequest) -> str:
        with self._lock:
            ticket = _Ticket(f"H{next(self._ids):05d}", request, HandoffStatus.WAITING)
            self._tickets[request.conversation_id] = ticket
            return ticket.id

    def status(self, conversation_id: str) -> HandoffStatus:
        with self._lock:
            ticket = self._tickets.get(conversation_id)
            return ticket.status if ticket else HandoffStatus.NONE

    def forward(self, conversation_id: str, text: str, at: dt.datetime) -> None:
        with self._lock:
            ticket = self._tickets.get(conversation_id)
            if ticket is not None:
                ticket.messages.append(("user", text))

    # What the kader's web screen does:
    def waiting(self, kelurahan: str | None = None) -> list[HandoffRequest]:
        with self._lock:
            return [
                t.request
                for t in self._tickets.values()
                if t.status is HandoffStatus.WAITING
                and (kelurahan is None or t.request.kelurahan == kelurahan)
            ]

    def claim(self, conversation_id: str, agent: str) -> None:
        with self._lock:
            ticket = self._tickets[conversation_id]
            ticket.status = HandoffStatus.HELD
            ticket.agent = agent

    def answer(self, conversation_id: str, text: str) -> None:
        with self._lock:
            self._tickets[conversation_id].messages.append(("agent", text))
            self.outbox.append((conversation_id, text))

    def release(self, conversation_id: str) -> None:
        with self._lock:
            self._tickets.pop(conversation_id, None)

    def messages(self, conversation_id: str) -> list[tuple[str, str]]:
        with self._lock:
            ticket = self._tickets.get(conversation_id)
            return list(ticket.messages) if ticket else []


class MemoryConversationLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.records: list[LogRecord] = []

    def record(self, record: LogRecord) -> None:
        with self._lock:
            self.records.append(record)

    def erase(self, conversation_id: str) -> None:
        with self._lock:
            self.records = [r for r in self.records if r.conversation_id != conversation_id]


DEMO_PARENT_PHONE = "081200000001"
DEMO_BAPAK_ASUH_PHONE = "081200000002"


def demo_personal_data(
    today: dt.date | None = None,
) -> tuple[MemoryPersonalData, MemoryVerifier]:
    """An invented family and bapak asuh for the terminal demo and the tests."""
    today = today or dt.date.today()
    parent = ChatUser(person_id="demo-parent-1", role=Role.PARENT, display_name="Ibu Demo")
    patron = ChatUser(person_id="demo-asuh-1", role=Role.BAPAK_ASUH, display_name="Bapak Demo")
    birth = today - dt.timedelta(days=int(20 * 30.4375))
    latest = MeasurementSummary(
        date=today - dt.timedelta(days=12),
        age_months=19.6,
        weight_kg=9.4,
        lenhei_cm=77.5,
        tbu_label="Pendek",
        bbtb_label="Gizi baik",
        bbu_label="Berat badan normal",
    )
    previous = MeasurementSummary(
        date=today - dt.timedelta(days=42),
        age_months=18.6,
        weight_kg=9.3,
        lenhei_cm=76.9,
        tbu_label="Pendek",
        bbtb_label="Gizi baik",
        bbu_label="Berat badan normal",
    )
    child = ChildSummary(
        child_ref="demo-child-1",
        name="Adit",
        sex=1,
        birth_date=birth,
        posyandu="Posyandu Contoh (data demo)",
        latest=latest,
        previous=previous,
        weight_trend="T",
        next_posyandu=today + dt.timedelta(days=9),
    )
    visits = [
        DueVisit(
            child_label="Anak A. (laki-laki, 20 bulan)",
            kelurahan="Tegallega",
            due=today - dt.timedelta(days=2),
            last_visit=today - dt.timedelta(days=16),
        ),
        DueVisit(
            child_label="Anak S. (perempuan, 14 bulan)",
            kelurahan="Tegallega",
            due=today + dt.timedelta(days=5),
            last_visit=today - dt.timedelta(days=9),
        ),
    ]
    data = MemoryPersonalData(
        children={parent.person_id: [child]}, visits={patron.person_id: visits}
    )
    verifier = MemoryVerifier({DEMO_PARENT_PHONE: parent, DEMO_BAPAK_ASUH_PHONE: patron})
    return data, verifier


def names(items: Iterable[Service]) -> list[str]:
    return [s.name for s in items]
