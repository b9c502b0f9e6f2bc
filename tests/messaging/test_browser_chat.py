"""The chat widget in Debian's Chromium (Playwright) against the live server, on a phone.

Same rules as tests/browser: /usr/bin/chromium, never a downloaded browser; skipped with the
reason when Chromium or Playwright is missing (failing instead under
``TUMBUH_BROWSER_REQUIRED=1``). Screenshot: ``var/screenshots/chat_widget.png``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, PHONE, SCREENSHOTS, missing_browser

_reason = missing_browser()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        bool(_reason) and os.environ.get("TUMBUH_BROWSER_REQUIRED") != "1", reason=_reason
    ),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()


def test_widget_answers_a_growth_check_on_a_phone(
    chromium: Any, live_server: Any, transactional_db: None
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    context.set_default_timeout(10_000)
    requests: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto("/chat/")
        page.get_by_label("Pesan").fill("anak laki2 1 thn 8 bln tinggi 78 cm bb 9,5 kg")
        page.get_by_role("button", name="Kirim").click()
        answer = page.locator("#chat-log li.bot").last
        answer.wait_for()
        page.wait_for_function(
            # a function, not an expression: the page's CSP (no 'unsafe-eval') refuses eval
            "() => document.querySelector('#chat-log').innerText.toLowerCase().includes('pendek')"
        )
        text = answer.inner_text().lower()
        assert "pendek" in text and "78" in page.locator("#chat-log").inner_text()
        assert page.locator("#chat-quick button").count() > 0
        width = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert width <= 0
        assert any(url.endswith("/api/v1/chat") for url in requests)
        assert all(url.startswith(live_server.url) for url in requests)  # no CDN
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "chat_widget.png"), full_page=True)
    finally:
        context.close()


def test_officer_answer_appears_without_writing_again(
    chromium: Any, live_server: Any, transactional_db: None
) -> None:
    """Issue 12 item 10: after the handoff the widget polls ``/chat/balasan/``; an officer's
    answer shows up in the log while the visitor types nothing more."""
    from tumbuh.accounts.models import User
    from tumbuh.messaging.models import HandoffRequest
    from tumbuh.messaging.services import handoff_answer

    admin = User.objects.create_superuser("admin_chat", password="x")
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    context.set_default_timeout(15_000)
    polls: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: polls.append(r.url) if "/chat/balasan/" in r.url else None)
        page.goto("/chat/")
        for text in ["saya mau bicara dengan petugas", "ya", "tidak tahu"]:
            count = page.locator("#chat-log li.user").count()
            page.get_by_label("Pesan").fill(text)
            page.get_by_role("button", name="Kirim").click()
            page.wait_for_function(
                "(n) => document.querySelectorAll('#chat-log li.user').length > n "
                "&& !document.querySelector('#chat-log li.note:last-child')?.textContent"
                ".startsWith('…')",
                arg=count,
            )
        handoff = HandoffRequest.objects.get(channel="web")
        sent_before = page.locator("#chat-log li.user").count()
        handoff_answer(actor=admin, handoff_id=handoff.pk, text="Halo, saya petugas TPPS.")
        agent = page.locator("#chat-log li.agent")
        agent.wait_for()
        assert agent.inner_text() == "Petugas: Halo, saya petugas TPPS."
        assert page.locator("#chat-log li.user").count() == sent_before  # nothing typed
        assert polls and all(url.startswith(live_server.url) for url in polls)
    finally:
        context.close()
