"""SQLite as the embedded default under concurrent writers (docs/decisions/0051).

Several kader weighing at once, a chat webhook and an import all write to one file. SQLite
serialises writers; what made them fail with ``database is locked`` was not the lock itself
but how it was taken:

* **Deferred transactions** (Python's default ``BEGIN``) start as readers and upgrade to a
  writer at the first ``INSERT``. When two such transactions both hold a read snapshot and
  both want to write, SQLite answers ``SQLITE_BUSY`` to one of them *at once*, without
  waiting: the busy timeout cannot help, because waiting could deadlock.
  ``transaction_mode: IMMEDIATE`` (Django 5.1+) makes every ``transaction.atomic`` block take
  the write lock at ``BEGIN``, where SQLite does wait (the busy timeout) and then proceeds.
* **WAL** (write-ahead log): readers never block the writer nor the writer the readers, so
  pages keep answering while someone writes. ``synchronous=NORMAL`` is safe with WAL (a
  power cut can lose the last commits, never corrupt the file) and makes commits cheap.
* **A busy timeout** long enough for a queue of writers: each weighing holds the lock for a
  few milliseconds, so 50 writers wait at most a fraction of a second.

Writes must stay short: services do their reading and computing inside one short
``atomic`` block, and imports commit in chunks (``imports.services``), so no request waits
behind one writer for minutes. PostgreSQL remains the answer at city scale.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

#: Pragmas run on every new connection (Django splits on ``;`` and runs each).
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    # Bounded growth of the -wal file between checkpoints (pages of 4 KiB: about 4 MiB).
    "PRAGMA wal_autocheckpoint=1000",
)


def sqlite_options(busy_timeout_s: int) -> dict[str, Any]:
    """``DATABASES[...]["OPTIONS"]`` for a file SQLite database shared by several writers."""
    return {
        "timeout": busy_timeout_s,
        "transaction_mode": "IMMEDIATE",
        "init_command": "; ".join(PRAGMAS) + f"; PRAGMA busy_timeout={busy_timeout_s * 1000}",
    }


_WRITER = threading.RLock()


@contextmanager
def writer_turn() -> Iterator[None]:
    """Take turns for SQLite's one writer inside this process (threads of one gunicorn worker,
    or the benchmark's threads): waiting on a lock is first come, first served, where SQLite's
    busy handler polls with growing sleeps and lets an unlucky writer wait seconds. Other
    processes still queue on the busy timeout. Nothing on PostgreSQL (row locks), and nothing
    inside a transaction that is already open: it holds SQLite's write lock already (BEGIN
    IMMEDIATE), and waiting here could deadlock with a thread that waits for that lock."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _WRITER:
        yield


__all__ = ["PRAGMAS", "sqlite_options", "writer_turn"]
