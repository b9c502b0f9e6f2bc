"""Helpers for the cases tests: stored measurements with chosen z-scores (written directly,
the growth engine is tested elsewhere), dates relative to a given day."""

from __future__ import annotations

import datetime as dt

from tumbuh.registry.models import Child, Measurement, Source


def stored_measurement(
    child: Child,
    measured_on: dt.date,
    zlen: float | None,
    *,
    trend: str = "N",
    two_t: bool = False,
    flen: bool = False,
) -> Measurement:
    """A measurement row as the registry stores it, with ``zlen`` chosen by the test; becomes
    the child's latest when it is the newest."""
    m = Measurement.objects.create(
        child=child,
        measured_on=measured_on,
        age_days=(measured_on - child.person.birth_date).days,
        weight_kg=9.0,
        length_cm=75.0,
        position="l",
        source=Source.FORM,
        zlen=zlen,
        flen=flen,
        is_stunted=zlen is not None and zlen < -2 and not flen,
        trend=trend,
        two_t=two_t,
        standard="WHO 2006",
        engine="test",
        tables="test",
    )
    latest = child.measurements.order_by("-measured_on").first()
    Child.objects.filter(pk=child.pk).update(latest_measurement=latest)
    child.refresh_from_db()
    return m


def monthly(child: Child, last: dt.date, *zs: float, trend: str = "N") -> None:
    """One stored measurement a month (30 days apart) ending on ``last``."""
    for i, z in enumerate(zs):
        stored_measurement(child, last - dt.timedelta(days=30 * (len(zs) - 1 - i)), z, trend=trend)
