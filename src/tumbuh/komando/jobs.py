"""Background refresh of the aggregates (huey; ADR 0050 and 0080).

Every five minutes the kelurahan marked dirty are recomputed (and months never computed are
filled in); every night the last 13 months
are rebuilt in full (catching imports of older weighings and anything a receiver missed).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tumbuh.komando.services import (
    stats_refresh_dirty,
    stats_refresh_missing,
    stats_refresh_month,
)

NIGHTLY_MONTHS = 13


def months_back(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the ``count`` months up to and including ``today``'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [dt.date((index - k) // 12, (index - k) % 12 + 1, 1) for k in reversed(range(count))]


@db_periodic_task(crontab(minute="*/5"))
def komando_refresh_dirty() -> int:
    """The kelurahan marked dirty; and any of the last 13 months not computed yet (a fresh
    install or the demo data show their figures within five minutes)."""
    stats_refresh_missing()
    return stats_refresh_dirty()


@db_periodic_task(crontab(minute="30", hour="2"))
def komando_refresh_nightly() -> int:
    today = timezone.localdate()
    return sum(
        stats_refresh_month(month=m, today=today) for m in months_back(today, NIGHTLY_MONTHS)
    )
