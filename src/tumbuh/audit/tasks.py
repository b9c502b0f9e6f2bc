"""Scheduled jobs of the audit app (found by huey's Django integration)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tumbuh.audit.retention import purge


@db_periodic_task(crontab(hour="2", minute="30"))
def retention_purge() -> None:
    """Daily at 02:30 UTC (settings.HUEY "utc"): :func:`tumbuh.audit.retention.purge`."""
    purge()
