"""Counts for the landing page, always through the registry's scoping functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from tumbuh.accounts.models import User
from tumbuh.registry.models import ChildStatus, PregnancyOutcome
from tumbuh.registry.selectors import (
    children_visible_to,
    measurements_visible_to,
    pregnancies_visible_to,
)

UNDER_FIVE_DAYS = 1826


@dataclass(frozen=True, slots=True)
class AreaCounts:
    children: int
    under_five: int
    under_five_measured: int
    weighed_this_month: int
    stunted: int
    two_t: int
    pregnant: int
    kek: int
    anaemic: int
    month: dt.date

    @property
    def stunted_percent(self) -> float | None:
        """Stunted as a share of measured under-fives (as the weighing-month counts report it)."""
        if not self.under_five_measured:
            return None
        return 100 * self.stunted / self.under_five_measured


def area_counts(user: User, *, today: dt.date | None = None) -> AreaCounts:
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    children = children_visible_to(user).filter(status=ChildStatus.ACTIVE)
    under_five = children.filter(person__birth_date__gt=today - dt.timedelta(days=UNDER_FIVE_DAYS))
    latest = under_five.filter(latest_measurement__isnull=False)
    flags = latest.aggregate(
        n=Count("pk"),
        stunted=Count("pk", filter=Q(latest_measurement__is_stunted=True)),
        two_t=Count("pk", filter=Q(latest_measurement__two_t=True)),
    )
    weighed = (
        measurements_visible_to(user)
        .filter(measured_on__gte=month_start, measured_on__lte=today)
        .values("child_id")
        .distinct()
        .count()
    )
    pregnancies = pregnancies_visible_to(user).filter(outcome=PregnancyOutcome.ONGOING)
    preg = pregnancies.aggregate(
        n=Count("pk"),
        kek=Count("pk", filter=Q(is_kek=True)),
        anaemic=Count("pk", filter=Q(is_anaemic=True)),
    )
    return AreaCounts(
        children=children.count(),
        under_five=under_five.count(),
        under_five_measured=flags["n"],
        weighed_this_month=weighed,
        stunted=flags["stunted"],
        two_t=flags["two_t"],
        pregnant=preg["n"],
        kek=preg["kek"],
        anaemic=preg["anaemic"],
        month=month_start,
    )
