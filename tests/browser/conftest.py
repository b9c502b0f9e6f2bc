"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser (no ``playwright install``): the tests use ``/usr/bin/chromium``
and are skipped, with the reason, when it or the ``playwright`` package is missing, except
under ``make test-browser`` (``TUMBUH_BROWSER_REQUIRED=1``), which fails instead. CI installs
Chromium with apt (``.ci/run``) and runs ``make test-browser``.

The live server needs a transactional database, which is emptied after every test, so each
test builds its small town again (``support.build_town``, about 0.3 s). Every test saves a
screenshot of its last page under ``var/screenshots/`` (git-ignored), pass or fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    SCREENSHOTS,
    Town,
    build_town,
    missing_browser,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = missing_browser()
    if not reason or not any(item.get_closest_marker("browser") for item in items):
        return
    if os.environ.get("TUMBUH_BROWSER_REQUIRED") == "1":  # make test-browser (CI): no skipping
        raise pytest.UsageError(f"browser tests required but cannot run: {reason}")
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One Chromium per test module.

    Playwright's sync API keeps an asyncio event loop running in this thread, so Django's
    async-safety guard would refuse the ORM calls the tests make; as pytest-django's docs
    advise for Playwright, DJANGO_ALLOW_ASYNC_UNSAFE is set, here only while Playwright runs.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town(transactional_db: None) -> Town:
    return build_town()


@pytest.fixture
def open_page(
    chromium: Any, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """``open_page(viewport=PHONE)``: a page in a fresh browser context (Indonesian, no
    cookies) whose relative URLs go to the live server. The last page opened is saved as
    ``var/screenshots/<test name>.png`` when the test ends."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(viewport: dict[str, int] = DESKTOP) -> Any:
        context = chromium.new_context(
            base_url=live_server.url, viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    try:
        if pages:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            pages[-1].screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()
