"""Fixtures for the security tests (issue 11): the same small two-kecamatan world with one
user per role as tests/web (reused, not copied), and the import helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.test import Client

WEB = Path(__file__).resolve().parent.parent / "web"
if str(WEB) not in sys.path:
    sys.path.insert(0, str(WEB))  # tests/web's factories and importing helpers

_spec = importlib.util.spec_from_file_location("tumbuh_tests_web_conftest", WEB / "conftest.py")
assert _spec is not None and _spec.loader is not None
_web = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _web
_spec.loader.exec_module(_web)

World = _web.World
TODAY = _web.TODAY
django_db_setup = _web.django_db_setup
_fast_password_hashing = _web._fast_password_hashing
world = _web.world
client_for = _web.client_for


@pytest.fixture
def api_for(world):  # type: ignore[no-untyped-def]
    """A client that sends a fresh bearer token of one of the world's users."""
    from tumbuh.api.services import token_create

    def make(name: str) -> Client:
        user = world.users[name]
        _token, raw = token_create(actor=user, user=user, name="uji-keamanan")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_USER_AGENT="pytest-agent/1.0")

    return make
