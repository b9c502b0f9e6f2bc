"""Mark areas dirty when the facts behind the indicators change (ADR 0080).

Receivers run inside the writer's transaction and only write ``DirtyArea`` rows; the periodic
job (``komando.jobs``) recomputes them. Measurements: the registry's ``measurements_changed``;
pregnancies: ``pregnancy_changed``; cases and tasks: their models' ``post_save`` (the cases
services are still being written, so the model signal is the one stable hook).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from tumbuh.cases.models import Case, Task
from tumbuh.komando.services import ORGANISATIONS, mark_dirty
from tumbuh.registry.models import Child, Pregnancy
from tumbuh.registry.signals import measurements_changed, pregnancy_changed


def _this_and_last_month() -> list[dt.date]:
    first = timezone.localdate().replace(day=1)
    return [first, (first - dt.timedelta(days=1)).replace(day=1)]


@receiver(measurements_changed)
def _measurements(sender: Any, child_ids: list[int], **kwargs: Any) -> None:
    codes = Child.objects.filter(pk__in=child_ids).values_list(
        "person__family__kelurahan__code", flat=True
    )
    mark_dirty(kelurahan_codes=[c for c in codes if c], months=_this_and_last_month())


@receiver(pregnancy_changed)
def _pregnancies(sender: Any, pregnancy_ids: list[int], **kwargs: Any) -> None:
    codes = Pregnancy.objects.filter(pk__in=pregnancy_ids).values_list(
        "mother__person__family__kelurahan__code", flat=True
    )
    mark_dirty(kelurahan_codes=[c for c in codes if c], months=_this_and_last_month())


@receiver(post_save, sender=Case)
def _case(sender: Any, instance: Case, **kwargs: Any) -> None:
    if instance.kelurahan_id:
        months = _this_and_last_month()
        months.append(timezone.localdate(instance.opened_at))
        mark_dirty(kelurahan_codes=[instance.kelurahan.code], months=months)


@receiver(post_save, sender=Task)
def _task(sender: Any, instance: Task, **kwargs: Any) -> None:
    mark_dirty(kelurahan_codes=[ORGANISATIONS], months=[*_this_and_last_month(), instance.due_date])
