"""Finding 11 of issue 11: a Content-Security-Policy that allows only this server (and the
pages keep to it: no inline script, style or event handler in any template), HSTS and the
other headers when DEBUG is off, and ``manage.py check --deploy`` clean with production
settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "src" / "tumbuh").glob("**/templates/**/*.html"))
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "uji-" + "k" * 60,
    "ALLOWED_HOSTS": "tumbuh.bogorkota.go.id",
    "SECURE_SSL_REDIRECT": "1",
}


def test_pages_send_a_self_only_policy(world, client_for):
    for url in ("/akun/masuk/", "/chat/", "/anak/", "/api/v1/docs"):
        response = client_for("tpps").get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


#: The marker a template carries when only WeasyPrint renders it (the rakor pack, certificates):
#: its inline <style> never reaches a browser, so the CSP does not apply.
PDF_ONLY = "{# pdf-only: rendered by WeasyPrint, never served as a page #}"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "src")))
def test_no_template_needs_unsafe_inline(template):
    text = template.read_text(encoding="utf-8")
    if PDF_ONLY in text:  # rendered by WeasyPrint into a PDF, never served to a browser
        assert "<script" not in text, "a PDF template runs no script"
        return
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"<style\b", text), "inline <style>"
    assert not re.search(r"\sstyle=\"", text), "style attribute"
    assert not re.search(r"\son[a-z]+=\"", text), "inline event handler"
    assert "javascript:" not in text


def _check_deploy(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env.update(PRODUCTION, **extra, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _check_deploy({"TUMBUH_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_and_secure_cookies_follow_debug_off(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.TWO_FACTOR_REQUIRED]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(PRODUCTION, TUMBUH_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"),
               DJANGO_SETTINGS_MODULE="tumbuh.config.settings")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60, check=True)  # fmt: skip
    assert out.stdout.strip() == "[31536000, true, true, true, true]"


def test_api_docs_load_nothing_from_a_cdn(world, client_for):
    text = client_for("tpps").get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in text
    assert "cdn." not in text and "django-ninja.dev" not in text
