"""The fortnightly visit plan as rules on dates (no database): when the next visit is due,
whether it is due, overdue or missed, and the patron's adherence.

A patronage started on day S with a visit every N days (14) has windows [S + kN, S + (k+1)N).
The next visit is due N days after the last visit (or after S when there is none yet).

=============  ===============================================================
state          when (``today`` against the due date D)
=============  ===============================================================
scheduled      today < D - REMIND_DAYS
due            D - REMIND_DAYS <= today <= D  (the reminder goes out)
overdue        D < today <= D + N             (on the TPPS overdue list)
missed         today > D + N                  (a whole window passed without a visit)
=============  ===============================================================

Adherence: the share of the windows already over in which at least one visit was logged.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REMIND_DAYS = 2


class VisitState(enum.StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    VisitState.SCHEDULED: _("terjadwal"),
    VisitState.DUE: _("jatuh tempo"),
    VisitState.OVERDUE: _("terlambat"),
    VisitState.MISSED: _("terlewat"),
}


@dataclass(frozen=True, slots=True)
class VisitPlan:
    due_on: dt.date
    state: VisitState
    days_late: int
    windows_over: int
    windows_visited: int

    @property
    def adherence_percent(self) -> int | None:
        """Whole percent, None before the first window is over."""
        if self.windows_over == 0:
            return None
        return round(100 * self.windows_visited / self.windows_over)


def visit_plan(
    *,
    started_on: dt.date,
    every_days: int,
    visits: Iterable[dt.date],
    today: dt.date,
) -> VisitPlan:
    dates = sorted(d for d in visits if started_on <= d <= today)
    last = dates[-1] if dates else started_on
    due = last + dt.timedelta(days=every_days)
    if today < due - dt.timedelta(days=REMIND_DAYS):
        state = VisitState.SCHEDULED
    elif today <= due:
        state = VisitState.DUE
    elif today <= due + dt.timedelta(days=every_days):
        state = VisitState.OVERDUE
    else:
        state = VisitState.MISSED
    windows_over = max(0, (today - started_on).days // every_days)
    visited = {(d - started_on).days // every_days for d in dates}
    return VisitPlan(
        due_on=due,
        state=state,
        days_late=max(0, (today - due).days),
        windows_over=windows_over,
        windows_visited=len([w for w in visited if w < windows_over]),
    )
