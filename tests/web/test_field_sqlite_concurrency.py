"""Issue 12 item 1: 50 concurrent writers on the embedded SQLite default, 0 errors.

The load runs in a subprocess (benchmarks/concurrency_bench.py) on its own *file* database
with the real settings, since the test database is in memory and one connection per thread
against a file is what a server does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tumbuh.config.sqlite import sqlite_options

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_options_take_the_write_lock_at_begin_and_wait_for_it() -> None:
    options = sqlite_options(30)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 30
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout=30000" in options["init_command"]


def _bench(*args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "concurrency_bench.py"), "--json", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


@pytest.mark.slow
def test_fifty_concurrent_writers_see_no_error() -> None:
    figures = _bench("--writers", "50", "--per-writer", "2")
    assert figures["attempted"] == 100
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["stored"] == 100


@pytest.mark.slow
def test_fifty_concurrent_api_clients_see_no_error() -> None:
    figures = _bench("--writers", "50", "--per-writer", "1", "--mode", "http")
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["stored"] == figures["attempted"] == 50


@pytest.mark.slow
def test_writers_beside_an_import_see_no_error_and_the_import_finishes() -> None:
    figures = _bench("--writers", "20", "--per-writer", "2", "--with-import", "4000")
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["stored"] == figures["attempted"] == 40
    assert figures["import"]["status"] == "done", figures["import"]
    assert figures["import"]["measurements"] == 4000


@pytest.mark.slow
def test_fifty_concurrent_chat_conversations_see_no_error() -> None:
    figures = _bench("--writers", "50", "--per-writer", "2", "--mode", "chat")
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["ok"] == 100


def test_writer_turn_is_a_no_op_inside_an_open_transaction(db) -> None:
    import threading

    from django.db import transaction

    from tumbuh.config import sqlite

    def free_for_another_thread() -> bool:
        got: list[bool] = []

        def probe() -> None:
            got.append(sqlite._WRITER.acquire(blocking=False))
            if got[0]:
                sqlite._WRITER.release()

        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
        return got[0]

    # pytest-django's test transaction is open: the lock is not taken (no deadlock with a
    # thread waiting for SQLite's write lock that this transaction holds).
    with transaction.atomic(), sqlite.writer_turn():
        assert free_for_another_thread()
    with sqlite._WRITER:
        assert not free_for_another_thread()  # the probe itself can fail
