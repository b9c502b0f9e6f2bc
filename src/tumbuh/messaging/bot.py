"""The one :class:`~tumbuh.chatbot.engine.Bot` of this process, wired to the database.

Built on first use (the engine reads the kelurahan names once, when it is built);
:func:`reset_bot` drops it (tests, or after loading another city's wilayah).
"""

from __future__ import annotations

import threading

from django.urls import NoReverseMatch, reverse

from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.llm import OpenAICompatibleRephraser, from_env
from tumbuh.messaging.conf import setting
from tumbuh.messaging.directory import RegistryPersonalData, WilayahDirectory
from tumbuh.messaging.knowledge_db import DatabaseKnowledgeSource
from tumbuh.messaging.leads import DatabaseLeadSink
from tumbuh.messaging.store import (
    DatabaseConsentRegistry,
    DatabaseConversationLog,
    DatabaseHandoffQueue,
    DatabaseStateStore,
)
from tumbuh.messaging.verification import OtpVerifier

__all__ = ["get_bot", "make_bot", "reset_bot"]

_bot: Bot | None = None
_lock = threading.Lock()


def partner_signup_url() -> str:
    """The partner sign-up page, when the partners app provides one (issue 8): the setting
    ``CHATBOT_PARTNER_SIGNUP_URL`` (an absolute URL for WhatsApp), else the URL named
    ``partners:signup``, else "" (the bot then answers from the knowledge base only)."""
    configured = setting("CHATBOT_PARTNER_SIGNUP_URL")
    if configured:
        return configured
    try:
        return reverse("partners:signup")
    except NoReverseMatch:
        return ""


def make_bot() -> Bot:
    config = from_env()
    return Bot(
        knowledge=DatabaseKnowledgeSource(),
        store=DatabaseStateStore(),
        directory=WilayahDirectory(),
        personal=RegistryPersonalData(),
        verifier=OtpVerifier(),
        consent=DatabaseConsentRegistry(),
        handoff=DatabaseHandoffQueue(),
        log=DatabaseConversationLog(),
        leads=DatabaseLeadSink(),
        partner_signup_url=partner_signup_url(),
        rephraser=OpenAICompatibleRephraser(config) if config else None,
    )


def get_bot() -> Bot:
    global _bot
    if _bot is None:
        with _lock:
            if _bot is None:
                _bot = make_bot()
    return _bot


def reset_bot() -> None:
    global _bot
    with _lock:
        _bot = None
