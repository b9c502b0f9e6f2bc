"""Issue 11, finding 11: the Content-Security-Policy (only this server; no inline script or
style) is kept by the pages as a real browser renders and runs them: no violation is reported
on any page a kader, the TPPS or a citizen opens (tests/messaging/test_browser_chat.py runs
the chat widget's script under the same policy)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.support import login

pytestmark = pytest.mark.browser

PAGES_TPPS = ["/", "/anak/", "/ibu/", "/akun/token-api/", "/anak/tautan/", "/api/v1/docs", "/chat/"]
PAGES_KADER = ["/", "/timbang/", "/anak/daftar/", "/impor/", "/antrian-chat/"]


def _watch(page: Any) -> list[str]:
    violations: list[str] = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations


def test_tpps_and_kader_pages_keep_the_policy(town, open_page):
    for user, pages in ((town.tpps, PAGES_TPPS), (town.kader, PAGES_KADER)):
        page = open_page()
        violations = _watch(page)
        login(page, user.username)
        for url in [*pages, f"/anak/{town.siti.pk}/"]:
            response = page.goto(url)
            assert response is not None and response.status < 500, url
            assert "default-src 'self'" in (response.headers.get("content-security-policy") or "")
            page.wait_for_load_state("networkidle")
        assert not violations, "\n".join(violations)
