"""Daily jobs (huey ``db_periodic_task``): flag missed deliveries, send visit reminders.
Both are pure functions of ``today`` in the services and safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tumbuh.partners.services import flag_missed_deliveries, send_visit_reminders


@db_periodic_task(crontab(hour="6", minute="10"))
def daily_missed_deliveries() -> int:
    return flag_missed_deliveries(today=timezone.localdate())


@db_periodic_task(crontab(hour="7", minute="0"))
def daily_visit_reminders() -> int:
    return send_visit_reminders(today=timezone.localdate())
