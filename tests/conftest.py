"""Whole-suite settings: background tasks run in the calling process (huey's immediate mode,
with in-memory storage), so a test sees a job's effect at once and needs no consumer."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _tasks_immediate():  # type: ignore[no-untyped-def]
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _plain_http_and_one_factor(settings):  # type: ignore[no-untyped-def]
    """The suite runs with DEBUG off (as production) but over plain http and without the
    second factor; tests/security turns both back on where it tests them."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0  # a browser would remember it and refuse plain http
    settings.TWO_FACTOR_REQUIRED = False
