"""Keep an existing demo alive: weighings up to the current month.

``make run`` seeds the demo once (``seed_demo --if-empty``); a laptop demo opened again a
month later would show an empty current month. :func:`demo_extend` adds the missing monthly
weighings of every demo under-five, from the month after its latest weighing to the current
month (this month's on or before today), continuing each child's own z-scores (its latest
length-for-age and weight-for-age plus a little noise), judged by the growth engine, with the
series (trend N/T, 2T, the latest measurement) recomputed and ``measurements_changed`` sent.
Non-demo children are never touched.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from django.db import transaction
from django.utils import timezone

from tumbuh.audit.context import SYSTEM
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record
from tumbuh.growth import zscores
from tumbuh.growth.lms import value_at
from tumbuh.growth.tables import Table, load
from tumbuh.registry.models import Child, Measurement, Position, Source
from tumbuh.registry.services.measurements import engine_fields_batch, refresh_series
from tumbuh.registry.signals import measurements_changed

UNDER_FIVE_DAYS = 1826
ATTENDANCE = 0.85


def _next_month(day: dt.date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _lms(table: Table, sex: int, age_days: int, z: float) -> float:
    return float(value_at(z, *load(table).row(sex, age_days)))


def demo_extend(*, today: dt.date | None = None, seed: int = 2026) -> int:
    """Add the missing monthly weighings of the demo children; returns how many."""
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed + today.toordinal())
    kids = list(
        Child.objects.filter(is_demo=True, latest_measurement__isnull=False)
        .exclude(latest_measurement__measured_on__gte=today.replace(day=1))
        .select_related("person", "latest_measurement")
    )
    rows: list[tuple[Child, dt.date, float, float]] = []
    for kid in kids:
        last = kid.latest_measurement
        assert last is not None
        birth = kid.person.birth_date
        z_len = last.zlen if last.zlen is not None else 0.0
        z_wt = last.zwei if last.zwei is not None else 0.0
        year, month = _next_month(last.measured_on)
        while (year, month) <= (today.year, today.month):
            day = min(last.measured_on.day, 28)
            if (year, month) == (today.year, today.month):
                day = min(day, today.day)
            date = dt.date(year, month, day)
            age = (date - birth).days
            if age >= UNDER_FIVE_DAYS:
                break
            # Whether the child came is fixed per child and month: running again is a no-op.
            if random.Random(f"{seed}-{kid.pk}-{year}-{month}").random() < ATTENDANCE:
                z_len += float(rng.normal(0, 0.05))
                z_wt += float(rng.normal(0, 0.08))
                length = round(_lms(Table.LHFA, kid.person.sex, age, z_len), 1)
                weight = round(_lms(Table.WFA, kid.person.sex, age, z_wt), 1)
                rows.append((kid, date, weight, length))
            year, month = _next_month(date)
    if not rows:
        return 0
    ages = [(d - k.person.birth_date).days for k, d, _w, _l in rows]
    position = [Position.LYING.value if a < 731 else Position.STANDING.value for a in ages]
    result = zscores(
        {
            "sex": np.array([k.person.sex for k, *_ in rows]),
            "birth_date": [k.person.birth_date for k, *_ in rows],
            "visit_date": [d for _k, d, *_ in rows],
            "weight": np.array([w for *_, w, _l in rows]),
            "lenhei": np.array([ln for *_, ln in rows]),
            "measure": np.array(position, dtype=object),
        }
    )
    verdicts = engine_fields_batch(result)
    objects = [
        Measurement(
            child=kid,
            measured_on=date,
            age_days=age,
            weight_kg=weight,
            length_cm=length,
            position=pos,
            posyandu_id=kid.posyandu_id,
            source=Source.DEMO,
            measured_by_name="Kader (demo)",
            **verdict,
        )
        for (kid, date, weight, length), age, pos, verdict in zip(
            rows, ages, position, verdicts, strict=True
        )
    ]
    touched = {kid.pk: kid for kid, *_ in rows}
    with transaction.atomic():
        Measurement.objects.bulk_create(objects, batch_size=2000)
        for kid in touched.values():
            refresh_series(kid)
        audit_record(
            actor=None,
            action=Action.IMPORT,
            object_type="registry.demo",
            object_id="extend",
            detail={"measurements": len(objects), "until": today.isoformat()},
        )
        measurements_changed.send(
            sender=Measurement,
            child_ids=sorted(touched),
            actor=None,
            context=SYSTEM,
            source=str(Source.DEMO),
        )
    return len(objects)


__all__ = ["demo_extend"]
