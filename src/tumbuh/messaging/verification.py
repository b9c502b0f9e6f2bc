"""One-time codes for a phone number the registry knows (:class:`IdentityVerifier`).

Only an HMAC of each code is stored; a code expires after ``CODE_TTL``, allows
``MAX_ATTEMPTS`` tries and is used once; a number gets at most ``MAX_CODES_PER_HOUR`` codes.
Sending is pluggable (``OTP_SENDER``): the default logs the code in DEBUG only and never sends
an SMS; production configures a sender for its SMS or WhatsApp gateway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import threading
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from tumbuh.accounts.models import Role, User
from tumbuh.chatbot import interfaces as bot
from tumbuh.messaging.conf import setting
from tumbuh.messaging.models import OneTimeCode
from tumbuh.registry.models import Person

__all__ = [
    "CodeSender",
    "LoggingCodeSender",
    "MemoryCodeSender",
    "OtpVerifier",
    "normalise_phone",
    "user_for_phone",
]

log = logging.getLogger(__name__)

#: The one-time code of the synthetic DEMO people only (docs/chatbot.md: the demo parent
#: 081200000001 and bapak asuh 081200000002 verify with 123456); a real person always gets a
#: random code. ``OTP_DEMO_CODE = ""`` in the settings turns it off.
DEMO_CODE = "123456"
CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 3


class CodeSender(Protocol):
    def send(self, phone: str, code: str) -> None: ...


class LoggingCodeSender:
    """Development: the code goes to the log when DEBUG is on; nothing is ever sent."""

    def send(self, phone: str, code: str) -> None:
        if settings.DEBUG:
            log.warning("kode verifikasi untuk %s: %s (DEBUG, tidak dikirim)", phone, code)
        else:
            log.error("OTP_SENDER belum diatur: kode verifikasi untuk %s tidak terkirim", phone)


class MemoryCodeSender:
    """Tests: codes are kept in memory (``MemoryCodeSender.sent[phone]``)."""

    sent: dict[str, str] = {}
    _lock = threading.Lock()

    def send(self, phone: str, code: str) -> None:
        with self._lock:
            MemoryCodeSender.sent[phone] = code


def normalise_phone(phone: str) -> str:
    """Digits only, ``62...``/``+62...`` written as ``0...``."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def _digest(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"otp:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def user_for_phone(phone: str) -> bot.ChatUser | None:
    """The parent or bapak asuh a phone number belongs to; None when unknown or ambiguous."""
    phone = normalise_phone(phone)
    if len(phone) < 9:
        return None
    tail = phone[-9:]
    people = [
        p
        for p in Person.objects.filter(
            Q(phone__endswith=tail) | Q(family__phone__endswith=tail)
        ).filter(Q(mother__isnull=False) | Q(fathered__isnull=False))
        if normalise_phone(p.phone) == phone
        or (p.family is not None and normalise_phone(p.family.phone) == phone)
    ]
    own = {p.pk: p for p in people if normalise_phone(p.phone) == phone}
    chosen = own or {p.pk: p for p in people}
    if chosen:
        families = {p.family_id for p in chosen.values()}
        if len(chosen) > 1 and (len(families) > 1 or None in families):
            return None  # one number, several households: never guess
        # One person, or one family sharing a number: the mother first, then the lowest id.
        person = sorted(chosen.values(), key=lambda p: (not hasattr(p, "mother"), p.pk))[0]
        first = person.name.split()[0] if person.name else ""
        return bot.ChatUser(person_id=f"p{person.pk}", role=bot.Role.PARENT, display_name=first)
    patrons = [
        u
        for u in User.objects.filter(role=Role.PARTNER, is_active=True, phone__endswith=tail)
        if normalise_phone(u.phone) == phone
    ]
    if len(patrons) == 1:
        u = patrons[0]
        return bot.ChatUser(
            person_id=f"u{u.pk}", role=bot.Role.BAPAK_ASUH, display_name=u.get_full_name()
        )
    return None


def _is_demo(phone: str) -> bool:
    """Does ``phone`` belong to a synthetic DEMO person or user (never a real one)?"""
    chat_user = user_for_phone(phone)
    if chat_user is None:
        return False
    kind, pk = chat_user.person_id[0], int(chat_user.person_id[1:])
    if kind == "p":
        return Person.objects.filter(pk=pk, is_demo=True).exists()
    return User.objects.filter(pk=pk, is_demo=True).exists()


class OtpVerifier:
    def __init__(self, sender: CodeSender | None = None) -> None:
        self._sender = sender

    @property
    def sender(self) -> CodeSender:
        if self._sender is not None:
            return self._sender
        sender: CodeSender = import_string(setting("OTP_SENDER"))()
        return sender

    def start(self, phone: str) -> bool:
        phone = normalise_phone(phone)
        if user_for_phone(phone) is None:
            return False
        now = timezone.now()
        recent = OneTimeCode.objects.filter(
            phone=phone, created_at__gte=now - dt.timedelta(hours=1)
        ).count()
        if recent >= MAX_CODES_PER_HOUR:
            log.warning("verifikasi: batas kode per jam tercapai untuk %s", phone)
            return False
        demo_code = getattr(settings, "OTP_DEMO_CODE", DEMO_CODE)
        code = f"{secrets.randbelow(1_000_000):06d}"
        if demo_code and _is_demo(phone):
            code = demo_code
        with transaction.atomic():
            OneTimeCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
            OneTimeCode.objects.create(
                phone=phone, code_hash=_digest(phone, code), expires_at=now + CODE_TTL
            )
        self.sender.send(phone, code)
        return True

    def check(self, phone: str, code: str) -> bot.ChatUser | None:
        phone = normalise_phone(phone)
        code = code.strip()
        now = timezone.now()
        with transaction.atomic():
            row = (
                OneTimeCode.objects.select_for_update()
                .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
                .order_by("-id")
                .first()
            )
            if row is None:
                return None
            row.attempts += 1
            ok = bool(code) and hmac.compare_digest(row.code_hash, _digest(phone, code))
            if ok or row.attempts >= MAX_ATTEMPTS:
                row.used_at = now
            row.save(update_fields=["attempts", "used_at"])
        return user_for_phone(phone) if ok else None
