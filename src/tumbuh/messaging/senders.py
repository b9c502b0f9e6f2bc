"""Outbound sends: one ``Sender`` interface; httpx with timeouts in production, an in-memory
outbox in tests (``MESSAGING_SENDER``). Sends run after the database transaction commits and,
unless ``MESSAGING_SEND_IN_BACKGROUND=0``, in a small thread pool so a webhook answers fast."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import httpx
from django.db import transaction
from django.utils.module_loading import import_string

from tumbuh.messaging.conf import setting, setting_bool, setting_int

__all__ = ["HttpSender", "MemorySender", "Sender", "dispatch", "get_sender"]

log = logging.getLogger(__name__)


class Sender(Protocol):
    def send(self, channel: str, payload: dict[str, Any]) -> None: ...


class HttpSender:
    """WhatsApp Cloud API ``/messages`` and Telegram ``sendMessage`` over httpx."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        timeout = httpx.Timeout(setting_int("SEND_TIMEOUT_SECONDS"), connect=5.0)
        self._client = client or httpx.Client(timeout=timeout)

    def send(self, channel: str, payload: dict[str, Any]) -> None:
        if channel == "whatsapp":
            url = (
                f"https://graph.facebook.com/{setting('WHATSAPP_API_VERSION')}/"
                f"{setting('WHATSAPP_PHONE_NUMBER_ID')}/messages"
            )
            headers = {"Authorization": f"Bearer {setting('WHATSAPP_TOKEN')}"}
        elif channel == "telegram":
            url = f"https://api.telegram.org/bot{setting('TELEGRAM_BOT_TOKEN')}/sendMessage"
            headers = {}
        else:
            raise ValueError(f"no HTTP send for channel {channel!r}")
        response = self._client.post(url, json=payload, headers=headers)
        if response.status_code >= 400:
            log.error(
                "kirim %s gagal: HTTP %s %s", channel, response.status_code, response.text[:300]
            )


class MemorySender:
    """Tests and development: every send is appended to ``MemorySender.outbox``."""

    outbox: list[tuple[str, dict[str, Any]]] = []
    _lock = threading.Lock()

    def send(self, channel: str, payload: dict[str, Any]) -> None:
        with self._lock:
            MemorySender.outbox.append((channel, payload))


_sender: tuple[str, Sender] | None = None
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def get_sender() -> Sender:
    global _sender
    path = setting("MESSAGING_SENDER")
    if _sender is None or _sender[0] != path:
        _sender = (path, import_string(path)())
    return _sender[1]


def _send_all(channel: str, payloads: Sequence[dict[str, Any]]) -> None:
    sender = get_sender()
    for payload in payloads:
        try:
            sender.send(channel, payload)
        except (httpx.HTTPError, ValueError) as exc:
            log.error("kirim %s gagal: %s", channel, exc)


def dispatch(channel: str, payloads: Sequence[dict[str, Any]]) -> None:
    """Send after the current transaction commits (at once outside one)."""
    if not payloads:
        return
    items = list(payloads)

    def run() -> None:
        global _pool
        if not setting_bool("MESSAGING_SEND_IN_BACKGROUND"):
            _send_all(channel, items)
            return
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tumbuh-send")
        _pool.submit(_send_all, channel, items)

    transaction.on_commit(run)
