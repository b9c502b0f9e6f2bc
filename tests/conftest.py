"""Whole-suite settings: background tasks run in the calling process (huey's immediate mode,
with in-memory storage), so a test sees a job's effect at once and needs no consumer."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _tasks_immediate():  # type: ignore[no-untyped-def]
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
