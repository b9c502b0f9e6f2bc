"""The same job code on a real Redis queue (ADR 0050): what a city's workers run at scale.

Needs Redis on 127.0.0.1:6379 (CI starts it; ``TUMBUH_REDIS_REQUIRED=1`` there turns a missing
server into a failure). Uses database 15 and a queue name of its own, and empties both after."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

from tests.cases.conftest import TODAY
from tests.cases.test_core_jobs import _case_with_task
from tumbuh.cases.jobs import escalate_overdue_tasks
from tumbuh.cases.models import TaskUpdateKind

redis = pytest.importorskip("redis")
huey_api = pytest.importorskip("huey")

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_huey():  # type: ignore[no-untyped-def]
    client = redis.Redis.from_url(URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("TUMBUH_REDIS_REQUIRED"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    queue = huey_api.PriorityRedisHuey(name=f"tumbuh-test-{uuid.uuid4().hex}", url=URL)
    yield queue
    queue.flush()


def test_an_escalation_queued_in_redis_runs_once_in_a_worker(cw, redis_huey):
    @redis_huey.task()
    def escalate(day: str) -> int:
        return escalate_overdue_tasks(today=dt.date.fromisoformat(day))

    due = TODAY + dt.timedelta(days=10)
    _case, task = _case_with_task(cw, due)
    late = (due + dt.timedelta(days=1)).isoformat()
    first, second = escalate(late), escalate(late)  # queued twice, as two workers might
    assert redis_huey.pending_count() == 2
    ran = [redis_huey.execute(redis_huey.dequeue()) for _ in range(2)]
    assert redis_huey.pending_count() == 0
    # The first run takes the reminder-less step to the OPD head; the second changes nothing.
    assert ran == [1, 0]
    assert first.get() == 1 and second.get() == 0
    assert task.updates.filter(kind=TaskUpdateKind.ESCALATED_HEAD).count() == 1
