"""Settings from the environment, the SECRET_KEY check, and the engines staying free of Django."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tumbuh.config.settings import env_bool, env_list
from tumbuh.dashboard.checks import secret_key_is_set


def test_env_bool(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", default=False)
    monkeypatch.setenv("X_FLAG", "0")
    assert not env_bool("X_FLAG", default=True)
    monkeypatch.setenv("X_FLAG", "")
    assert env_bool("X_FLAG", default=True)
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ValueError, match="X_FLAG"):
        env_bool("X_FLAG", default=False)


def test_env_list(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.delenv("X_LIST")
    assert env_list("X_LIST", ["x"]) == ["x"]


def test_missing_secret_key_is_an_error_without_debug(settings):
    settings.SECRET_KEY = settings.INSECURE_DEV_SECRET_KEY
    settings.DEBUG = False
    assert [e.id for e in secret_key_is_set()] == ["tumbuh.E001"]
    settings.DEBUG = True
    assert secret_key_is_set() == []
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-long-random-value"
    assert secret_key_is_set() == []


def test_database_url_selects_the_database():
    code = (
        "import os; os.environ['DATABASE_URL']='postgres://u@db.example:5432/tumbuh';"
        "from tumbuh.config import settings as s; d=s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["django.db.backends.postgresql", "tumbuh", "db.example"]


def test_growth_engine_does_not_import_django():
    code = (
        "import sys, tumbuh.growth, tumbuh.growth.charts, tumbuh.growth.trend;"
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
