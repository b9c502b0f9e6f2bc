"""One table of physical limits for a measurement, used by every path that stores one: the
weighing form and the API (through ``services.measurements.measurement_record``) and the
e-PPGBM import (``imports.validation``).

A value outside its limit cannot be real (a typing or unit error: 1160 g typed as kg, a
length in mm) and is refused with one Indonesian message that says what, which limit and how
to fix it. Inside the limits a value can still be implausible for this child (a WHO flag, a
weight drop): that is the growth engine's judgement, shown as a warning that needs an explicit
confirmation (``services.measurements``), never a limit here.

Rows are by age at the measurement: under five years the limits stay above WHO's +5 SD at
60 months (about 30 kg and 125 cm) with room for real outliers; from five to 19 years they are
broad physical limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

#: Five years in days: the under-five row applies below this age.
UNDER_FIVE_DAYS = 1826
#: The registry follows children until the end of the WHO 2007 reference (19 years).
MAX_AGE_DAYS = 6939


@dataclass(frozen=True, slots=True)
class Limit:
    """The range of one measured field in one age band."""

    field: str
    label: str
    unit: str
    places: Decimal
    low: Decimal
    high: Decimal


def _row(field: str, label: str, unit: str, places: str, low: str, high: str) -> Limit:
    return Limit(field, label, unit, Decimal(places), Decimal(low), Decimal(high))


#: (age band, limits): the first band whose upper age (days, exclusive) is above the age.
TABLE: tuple[tuple[int, tuple[Limit, ...]], ...] = (
    (
        UNDER_FIVE_DAYS,
        (
            _row("weight_kg", "Berat badan", "kg", "0.01", "0.3", "50"),
            _row("length_cm", "Panjang/tinggi badan", "cm", "0.1", "25", "150"),
            _row("head_circumference_cm", "Lingkar kepala", "cm", "0.1", "15", "60"),
            _row("arm_circumference_cm", "LiLA", "cm", "0.1", "5", "40"),
        ),
    ),
    (
        MAX_AGE_DAYS + 1,
        (
            _row("weight_kg", "Berat badan", "kg", "0.01", "0.3", "150"),
            _row("length_cm", "Panjang/tinggi badan", "cm", "0.1", "25", "220"),
            _row("head_circumference_cm", "Lingkar kepala", "cm", "0.1", "15", "70"),
            _row("arm_circumference_cm", "LiLA", "cm", "0.1", "5", "60"),
        ),
    ),
)
FIELDS = tuple(limit.field for limit in TABLE[0][1])
#: Decimal places stored (and used for the z-scores) per field.
PLACES: Mapping[str, Decimal] = MappingProxyType({lim.field: lim.places for lim in TABLE[0][1]})
LABELS: Mapping[str, str] = MappingProxyType({lim.field: lim.label for lim in TABLE[0][1]})


def limits_for(age_days: int | None) -> Mapping[str, Limit]:
    """The limits at ``age_days`` (``None``: age unknown, the broadest row)."""
    rows = TABLE[-1][1]
    if age_days is not None:
        rows = next((r for upper, r in TABLE if age_days < upper), TABLE[-1][1])
    return {limit.field: limit for limit in rows}


def id_number(number: Decimal) -> str:
    """A number as Indonesians write it: decimal comma."""
    return str(number).replace(".", ",")


def quantize(field: str, number: Decimal) -> Decimal:
    return number.quantize(PLACES[field], rounding=ROUND_HALF_UP)


def out_of_limits(field: str, number: Decimal, age_days: int | None) -> str | None:
    """The Indonesian refusal for ``number`` (as typed), or ``None``."""
    limit = limits_for(age_days)[field]
    if limit.low <= number <= limit.high:
        return None
    young = age_days is not None and age_days < UNDER_FIVE_DAYS
    band = " untuk anak di bawah 5 tahun" if young else ""
    return (
        f"{limit.label} {id_number(number)} {limit.unit} tidak mungkin{band}; isi antara "
        f"{id_number(limit.low)} dan {id_number(limit.high)} {limit.unit} "
        "(periksa satuan dan letak koma)."
    )


__all__ = [
    "FIELDS",
    "LABELS",
    "MAX_AGE_DAYS",
    "PLACES",
    "TABLE",
    "UNDER_FIVE_DAYS",
    "Limit",
    "id_number",
    "limits_for",
    "out_of_limits",
    "quantize",
]
