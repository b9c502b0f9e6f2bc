"""Database implementations of the engine's stores: conversation state, consent, the
conversation log and the handoff queue (:mod:`tumbuh.chatbot.interfaces`)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction

from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.chatbot import interfaces as bot
from tumbuh.chatbot.state import ConversationState as EngineState
from tumbuh.messaging.models import (
    ChatConsent,
    ConversationState,
    HandoffMessage,
    HandoffRequest,
    HandoffStatus,
    LoggedMessage,
)
from tumbuh.messaging.scrub import scrub, scrub_text
from tumbuh.wilayah.models import Level, Region

__all__ = [
    "DatabaseConsentRegistry",
    "DatabaseConversationLog",
    "DatabaseHandoffQueue",
    "DatabaseStateStore",
    "active_handoff",
]


class DatabaseStateStore:
    """One row per conversation. Work on one conversation is serialised by a lock inside the
    process and, on PostgreSQL, by ``SELECT ... FOR UPDATE`` across processes (SQLite has one
    writer anyway)."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, conversation_id: str) -> threading.Lock:
        with self._guard:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(conversation_id, threading.Lock())

    @contextmanager
    def locked(self, conversation_id: str) -> Iterator[EngineState]:
        with self._lock(conversation_id):
            if connection.vendor == "sqlite":
                yield self._load(conversation_id, for_update=False)
                return
            with transaction.atomic():
                yield self._load(conversation_id, for_update=True)

    def _load(self, conversation_id: str, *, for_update: bool) -> EngineState:
        qs = ConversationState.objects.filter(conversation_id=conversation_id)
        if for_update:
            qs = qs.select_for_update()
        row = qs.only("data").first()
        if row is None or not row.data:
            return EngineState(conversation_id=conversation_id)
        try:
            return EngineState.from_dict(row.data)
        except (TypeError, ValueError, KeyError):
            # A state written by an older engine: start the conversation afresh.
            return EngineState(conversation_id=conversation_id)

    def save(self, state: EngineState) -> None:
        data = scrub(state.to_dict())  # no NIK or KK kept (issue 11, finding 10)
        updated = ConversationState.objects.filter(conversation_id=state.conversation_id).update(
            data=data, channel=state.channel
        )
        if not updated:
            try:
                with transaction.atomic():
                    ConversationState.objects.create(
                        conversation_id=state.conversation_id, channel=state.channel, data=data
                    )
            except IntegrityError:  # created meanwhile by another process
                ConversationState.objects.filter(conversation_id=state.conversation_id).update(
                    data=data, channel=state.channel
                )

    def delete(self, conversation_id: str) -> None:
        ConversationState.objects.filter(conversation_id=conversation_id).delete()

    def get(self, conversation_id: str) -> EngineState | None:
        row = ConversationState.objects.filter(conversation_id=conversation_id).first()
        return EngineState.from_dict(row.data) if row and row.data else None


class DatabaseConsentRegistry:
    """Consent per subject and purpose; the latest answer counts, every answer is kept."""

    def has(self, subject: str, purpose: bot.Purpose) -> bool:
        latest = (
            ChatConsent.objects.filter(subject=subject, purpose=purpose.value)
            .order_by("-id")
            .values_list("granted", flat=True)
            .first()
        )
        return bool(latest)

    def record(
        self, subject: str, purpose: bot.Purpose, granted: bool, *, channel: str, wording: str
    ) -> None:
        ChatConsent.objects.create(
            subject=subject,
            purpose=purpose.value,
            granted=granted,
            channel=channel,
            wording=wording[:2000],
        )

    def withdraw_all(self, subject: str) -> None:
        for purpose in bot.Purpose:
            if self.has(subject, purpose):
                self.record(subject, purpose, False, channel="", wording="withdraw")
        if subject.startswith("conversation:"):
            from tumbuh.messaging.leads import withdraw_leads

            # "conversation:<channel>:<conversation id>"; the id may itself hold colons.
            withdraw_leads(subject.split(":", 2)[2])


class DatabaseConversationLog:
    """The engine records here only when the person agreed (``Purpose.CONVERSATION_LOG``)."""

    def record(self, record: bot.LogRecord) -> None:
        LoggedMessage.objects.create(
            conversation_id=record.conversation_id,
            channel=record.channel,
            at=record.at,
            text=scrub_text(record.text),
            reply=scrub_text(record.reply),
            intent=record.intent,
            topics=list(record.topics),
            confidence=record.confidence,
        )

    def erase(self, conversation_id: str) -> None:
        LoggedMessage.objects.filter(conversation_id=conversation_id).delete()


def active_handoff(conversation_id: str) -> HandoffRequest | None:
    return (
        HandoffRequest.objects.filter(conversation_id=conversation_id)
        .exclude(status=HandoffStatus.CLOSED)
        .order_by("-id")
        .first()
    )


def kelurahan_named(name: str | None) -> Region | None:
    if not name:
        return None
    return Region.objects.filter(level=Level.VILLAGE, name__iexact=name).order_by("code").first()


#: Replies that answer the bot's own questions (consent, yes/no) and say nothing about why
#: the person asked for a human.
_SHORT_REPLIES = frozenset(
    {
        "ya", "iya", "iyaa", "y", "yes", "ok", "oke", "okey", "boleh", "setuju", "mau",
        "tidak", "tdk", "ga", "gak", "nggak", "enggak", "no", "bersedia", "lanjut", "benar",
        "betul",
    }
)  # fmt: skip


def citizen_question(request: bot.HandoffRequest) -> str:
    """What the officer should read first (the queue's "Pesan terakhir"): the person's latest
    message that is more than a yes/no or consent reply or the name of their kelurahan, so a
    consent "ya" never hides the question (issue 12 item 10)."""
    kelurahan = (request.kelurahan or "").strip().lower()
    for turn in reversed(request.transcript):
        if turn.role != "user":
            continue
        words = "".join(c if c.isalnum() or c.isspace() else " " for c in turn.text.lower())
        words_list = words.split()
        if not words_list or all(w in _SHORT_REPLIES for w in words_list):
            continue
        if " ".join(words_list) in (kelurahan, f"kelurahan {kelurahan}", f"kel {kelurahan}"):
            continue
        return turn.text
    return request.reason


class DatabaseHandoffQueue:
    """Open -> waiting (the bot still answers), claimed -> held (the bot stays quiet),
    closed -> none. Officers work the queue from the web (``messaging.services``)."""

    def request(self, request: bot.HandoffRequest) -> str:
        existing = active_handoff(request.conversation_id)
        if existing is not None:
            return existing.ticket
        transcript = [[t.role, scrub_text(t.text), t.at.isoformat()] for t in request.transcript]
        try:
            with transaction.atomic():
                handoff = HandoffRequest.objects.create(
                    conversation_id=request.conversation_id,
                    channel=request.channel,
                    kelurahan=kelurahan_named(request.kelurahan),
                    kelurahan_name=request.kelurahan or "",
                    reason=scrub_text(citizen_question(request))[:2000],
                    transcript=transcript,
                    person_id=request.person_id or "",
                )
                audit_record(
                    actor=None,
                    action=Action.CREATE,
                    object_type=object_type_of(HandoffRequest),
                    object_id=handoff.pk,
                    detail={"channel": request.channel, "via": "chatbot"},
                )
        except IntegrityError:  # queued meanwhile by another process
            again = active_handoff(request.conversation_id)
            assert again is not None
            return again.ticket
        return handoff.ticket

    def status(self, conversation_id: str) -> bot.HandoffStatus:
        status = (
            HandoffRequest.objects.filter(conversation_id=conversation_id)
            .exclude(status=HandoffStatus.CLOSED)
            .values_list("status", flat=True)
            .first()
        )
        if status == HandoffStatus.CLAIMED:
            return bot.HandoffStatus.HELD
        if status == HandoffStatus.OPEN:
            return bot.HandoffStatus.WAITING
        return bot.HandoffStatus.NONE

    def forward(self, conversation_id: str, text: str, at: dt.datetime) -> None:
        handoff = active_handoff(conversation_id)
        if handoff is not None:
            HandoffMessage.objects.create(
                handoff=handoff, author=HandoffMessage.Author.USER, text=scrub_text(text), at=at
            )
