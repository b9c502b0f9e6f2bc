"""Handling what people write, on any channel: deduplicate, remember the contact, deliver
held answers, run the bot, send the reply (after commit)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tumbuh.chatbot.channels.base import Inbound
from tumbuh.chatbot.engine import Reply
from tumbuh.messaging.bot import get_bot
from tumbuh.messaging.channels import ChannelType
from tumbuh.messaging.models import Contact, ProcessedMessage
from tumbuh.messaging.senders import dispatch

__all__ = [
    "Handled",
    "first_time",
    "handle_payload",
    "handle_text",
    "parse_payload",
    "touch_contact",
]


@dataclass
class Handled:
    reply: Reply | None
    delivered: list[str] = field(default_factory=list)
    """Officers' answers that were waiting and go out now."""


_SQLITE_WRITER = threading.Lock()


@contextmanager
def _sqlite_writer() -> Iterator[None]:
    """SQLite has one writer; a transaction that reads first and writes later fails at once
    ("database is locked") when another thread committed in between. In one process, take
    turns; PostgreSQL needs nothing of the kind (row locks)."""
    if connection.vendor != "sqlite":
        yield
        return
    with _SQLITE_WRITER:
        yield


def first_time(channel: str, message_id: str) -> bool:
    """Record a delivery; False when it was processed before (a replay)."""
    if not message_id:
        return True
    try:
        with transaction.atomic():
            ProcessedMessage.objects.create(channel=channel, message_id=message_id[:190])
    except IntegrityError:
        return False
    return True


def touch_contact(conversation_id: str, channel: str, address: str, now: dt.datetime) -> Contact:
    contact, created = Contact.objects.get_or_create(
        conversation_id=conversation_id,
        defaults={"channel": channel, "address": address, "last_inbound_at": now},
    )
    if not created:
        contact.last_inbound_at = now
        contact.address = address or contact.address
        contact.save(update_fields=["last_inbound_at", "address"])
    return contact


def handle_text(kind: ChannelType, inbound: Inbound, *, now: dt.datetime | None = None) -> Handled:
    """One message, in one transaction (a crash rolls the dedupe row back with it, so the
    channel's retry is processed)."""
    now = now or timezone.now()
    with _sqlite_writer(), transaction.atomic():
        if not first_time(kind.name, inbound.message_id):
            return Handled(None)
        contact = touch_contact(inbound.conversation_id, kind.name, inbound.sender, now)
        held = kind.take_pending(contact)
        adapter = kind.adapter
        if held and adapter is not None:
            dispatch(kind.name, [kind.text_payload(contact, text) for text in held])
        reply = get_bot().reply(
            inbound.conversation_id,
            inbound.text,
            channel=kind.name,
            user=inbound.user,
            sender_phone=inbound.sender if kind.name == "whatsapp" else None,
        )
        if adapter is not None:
            dispatch(kind.name, [out.payload for out in adapter.render(inbound, reply)])
        return Handled(reply, held)


def parse_payload(kind: ChannelType, data: Any) -> list[Inbound]:
    """The messages in a webhook payload (statuses give none); ValueError for a payload in a
    shape the channel never sends."""
    adapter = kind.adapter
    assert adapter is not None
    try:
        return list(adapter.parse(data))
    except (AttributeError, TypeError, KeyError) as exc:
        raise ValueError(f"unexpected {kind.name} payload: {exc}") from exc


def handle_payload(kind: ChannelType, data: Any) -> int:
    """Every message in a webhook payload; returns how many were processed (not replays)."""
    done = 0
    for inbound in parse_payload(kind, data):
        if handle_text(kind, inbound).reply is not None:
            done += 1
    return done
