"""Fixtures for the chatbot engine: a bot wired to the in-memory fakes, no network."""

from __future__ import annotations

import datetime as dt

import pytest

from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.fakes import (
    DemoDirectory,
    MemoryConsentRegistry,
    MemoryConversationLog,
    MemoryHandoffQueue,
    MemoryPersonalData,
    MemoryVerifier,
    demo_personal_data,
)
from tumbuh.chatbot.messages import Messages, default_messages

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def demo() -> tuple[MemoryPersonalData, MemoryVerifier]:
    return demo_personal_data(TODAY)


@pytest.fixture
def handoff() -> MemoryHandoffQueue:
    return MemoryHandoffQueue()


@pytest.fixture
def consent() -> MemoryConsentRegistry:
    return MemoryConsentRegistry()


@pytest.fixture
def log() -> MemoryConversationLog:
    return MemoryConversationLog()


@pytest.fixture
def bot(
    demo: tuple[MemoryPersonalData, MemoryVerifier],
    handoff: MemoryHandoffQueue,
    consent: MemoryConsentRegistry,
    log: MemoryConversationLog,
) -> Bot:
    personal, verifier = demo
    return Bot(
        directory=DemoDirectory(),
        personal=personal,
        verifier=verifier,
        handoff=handoff,
        consent=consent,
        log=log,
        clock=lambda: dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC),
    )


@pytest.fixture
def messages() -> Messages:
    return default_messages()
