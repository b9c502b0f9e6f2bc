"""Weight trend (N/T, KMS style) and plausibility checks over one child's series of visits.

Growth trend (DOMAIN.md 1.3 and 2.6). Posyandu weigh every month and judge each weighing
against the previous month's:

* **B** (*baru*): the child's first weighing. Every weighing in the calendar month of the first
  weighing is B, since there is nothing earlier to judge it against.
* **N** (*naik*): the gain since the previous month's weighing is at least the KBM
  (*kenaikan berat badan minimal*) for the child's age in completed months at this weighing.
* **T** (*tidak naik*): the gain is below the KBM, including no gain and a loss.
* **O**: no weighing in the previous calendar month, so N/T cannot be judged.
* **2T**: a T whose reference weighing (the previous month's) was also T; the Buku KIA says
  such a child must be referred to the puskesmas.

"Previous month" is the calendar month, not 30 days: a weighing on 31 January and one on
1 February are consecutive months, one on 1 January and one on 28 February are not. When a
month has several weighings, each is judged against the *latest* weighing of the previous
calendar month, never against another weighing of its own month; the latest weighing of a
month is the one the next month is judged against (and the one a 2T chain follows).

Age in completed months (*umur bulan penuh*) is counted by the calendar: whole months from
the birth date, minus one when the visit's day of the month is before the birth's. A child born
on 31 January is 0 months old on 29 February and 1 month old on 1 March; there is no clamping to
the end of short months. The unrounded WHO age (days / 30.4375) is for z-scores, not for KBM.

Plausibility: see the thresholds below and :func:`plausibility`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType
from typing import Final

__all__ = [
    "DAYS_PER_MONTH",
    "LENGTH_DECREASE_TOLERANCE_CM",
    "LENGTH_GAIN_MAX_CM_PER_MONTH",
    "VELOCITY_MIN_INTERVAL_DAYS",
    "WEIGHT_DROP_MAX_PERCENT",
    "WEIGHT_DROP_WINDOW_DAYS",
    "WEIGHT_GAIN_MAX_KG_PER_MONTH",
    "PlausibilityCode",
    "PlausibilityWarning",
    "TrendPoint",
    "TrendStatus",
    "Visit",
    "completed_months",
    "kbm_grams",
    "plausibility",
    "weight_trend",
]

# --- KBM ---------------------------------------------------------------------------------------

# KBM (kenaikan berat badan minimal), grams per month, by completed months of age at the current
# weighing. Source: Buku KIA (Kesehatan Ibu dan Anak), Kemenkes RI, revised print of 6 May 2023,
# growth-monitoring page (DOMAIN.md 1.3): 1 mo 800, 2 mo 900, 3 mo 800, 4 mo 600, 5 mo 500,
# 6 mo 400, 7-11 mo 300. The 1-month row also covers a weighing at 0 completed months. The 200 g
# for 12 months and older comes from public code tables (DOMAIN.md 1.3, check S1).
_KBM_UNDER_ONE_YEAR_G: Final = (800, 800, 900, 800, 600, 500, 400, 300, 300, 300, 300, 300)
_KBM_FROM_ONE_YEAR_G: Final = 200


def kbm_grams(age_completed_months: int) -> int:
    """KBM in grams for a weighing at ``age_completed_months`` (Buku KIA 2023)."""
    if age_completed_months < 0:
        raise ValueError(f"age in completed months must be >= 0, got {age_completed_months}")
    if age_completed_months < len(_KBM_UNDER_ONE_YEAR_G):
        return _KBM_UNDER_ONE_YEAR_G[age_completed_months]
    return _KBM_FROM_ONE_YEAR_G


def completed_months(birth_date: dt.date, on: dt.date) -> int:
    """Whole calendar months from ``birth_date`` to ``on`` (*umur bulan penuh*).

    Raises ``ValueError`` when ``on`` is before the birth date.
    """
    if on < birth_date:
        raise ValueError(f"date {on.isoformat()} is before the birth date {birth_date.isoformat()}")
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    if on.day < birth_date.day:
        months -= 1
    return months


# --- Input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visit:
    """One visit (posyandu weighing, home visit...) with what was measured.

    ``length_height_cm`` is the *adjusted* length/height: after WHO's 0.7 cm position correction
    (standing before 24 months +0.7, lying from 24 months -0.7), so the switch from lying to
    standing at 24 months does not look like a drop.
    """

    date: dt.date
    weight_kg: float | None = None
    length_height_cm: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.date, dt.datetime) or not isinstance(self.date, dt.date):
            raise TypeError(f"visit date must be a datetime.date, got {self.date!r}")
        for name, value in (
            ("weight_kg", self.weight_kg),
            ("length_height_cm", self.length_height_cm),
        ):
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number or None, got {value!r}")


def _sorted_visits(visits: Iterable[Visit]) -> list[Visit]:
    """Visits in date order; two visits on one date are ambiguous and rejected."""
    ordered = sorted(visits, key=lambda v: v.date)
    for earlier, later in pairwise(ordered):
        if earlier.date == later.date:
            raise ValueError(f"two visits on the same date {later.date.isoformat()}")
    return ordered


def _grams(weight_kg: float) -> int:
    return round(weight_kg * 1000)


def _hundredths_cm(length_cm: float) -> int:
    return round(length_cm * 100)


def _month_key(date: dt.date) -> int:
    return date.year * 12 + date.month - 1


# --- Trend -------------------------------------------------------------------------------------


class TrendStatus(StrEnum):
    """The KMS growth-trend code of one weighing (SKDN letters)."""

    B = "B"
    """*Baru*: first weighing (every weighing in the month of the first one)."""
    N = "N"
    """*Naik*: gain >= KBM since the previous month's weighing."""
    T = "T"
    """*Tidak naik*: gain < KBM, no gain or a loss."""
    O = "O"
    """Not weighed in the previous calendar month; N/T cannot be judged."""

    @property
    def label(self) -> str:
        """The Indonesian label."""
        return _TREND_LABELS[self]


_TREND_LABELS: Final[Mapping[TrendStatus, str]] = MappingProxyType(
    {
        TrendStatus.B: "Baru",
        TrendStatus.N: "Naik",
        TrendStatus.T: "Tidak naik",
        TrendStatus.O: "Tidak ditimbang bulan lalu",
    }
)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The trend at one weighing."""

    date: dt.date
    weight_kg: float
    age_months: int
    """Age in completed months at this weighing."""
    gain_g: int | None
    """Gain in grams since ``previous_date`` (negative for a loss); None for B and O."""
    kbm_g: int
    """KBM for ``age_months``; the bar for N when the weighing is judged."""
    status: TrendStatus
    two_t: bool
    """True for a T following a T at the previous month's weighing (2T: refer)."""
    previous_date: dt.date | None
    """The weighing this one was judged against (latest of the previous month), if any."""


def weight_trend(birth_date: dt.date, visits: Iterable[Visit]) -> list[TrendPoint]:
    """One :class:`TrendPoint` per visit with a weight, in date order.

    Visits without a weight are skipped. Raises ``ValueError`` for two visits on one date and
    for a weighing before the birth date (run :func:`plausibility` to report such data).
    """
    weighings = [(v.date, v.weight_kg) for v in _sorted_visits(visits) if v.weight_kg is not None]
    points: list[TrendPoint] = []
    latest_by_month: dict[int, TrendPoint] = {}
    first_month = _month_key(weighings[0][0]) if weighings else 0
    for date, weight_kg in weighings:
        month = _month_key(date)
        age = completed_months(birth_date, date)
        kbm = kbm_grams(age)
        reference = latest_by_month.get(month - 1)
        gain: int | None = None
        two_t = False
        if month == first_month:
            status = TrendStatus.B
        elif reference is None:
            status = TrendStatus.O
        else:
            gain = _grams(weight_kg) - _grams(reference.weight_kg)
            status = TrendStatus.N if gain >= kbm else TrendStatus.T
            two_t = status is TrendStatus.T and reference.status is TrendStatus.T
        point = TrendPoint(
            date=date,
            weight_kg=weight_kg,
            age_months=age,
            gain_g=gain,
            kbm_g=kbm,
            status=status,
            two_t=two_t,
            previous_date=reference.date if reference is not None else None,
        )
        latest_by_month[month] = point
        points.append(point)
    return points


# --- Plausibility --------------------------------------------------------------------------------

# The thresholds below are the project's own, deliberately conservative choice: they only catch
# values no real child produces (typing or unit errors, a wrong child), never fast-but-real growth.
# Orientation, not derivation: the WHO Child Growth Standards, "Growth velocity based on weight,
# length and head circumference" (WHO 2009), tabulate 1-month increments from birth to 12 months;
# per the team's reading their +3 SD monthly increments stay under about 1.6 kg of weight and
# about 5.5 cm of length even in the first months (approximate figures, not re-read from the
# tables; no threshold here is a WHO number).

#: Length/height may go down by up to this much between two visits (measurement error: a
#: restless infant, a cadre's board); more is implausible. Compared on *adjusted* values.
LENGTH_DECREASE_TOLERANCE_CM: Final = 1.0
#: A weight drop of more than this percentage ...
WEIGHT_DROP_MAX_PERCENT: Final = 10
#: ... between two weighings at most this many days apart (about one month) is implausible.
WEIGHT_DROP_WINDOW_DAYS: Final = 45
#: Weight gain above this per month is implausible (cf. the ~1.6 kg/month +3 SD noted above).
WEIGHT_GAIN_MAX_KG_PER_MONTH: Final = 2.5
#: Length/height gain above this per month is implausible (cf. the ~5.5 cm/month noted above).
LENGTH_GAIN_MAX_CM_PER_MONTH: Final = 6.0
#: Velocities are per month of 30.4375 days (WHO's average month, as for age).
DAYS_PER_MONTH: Final = 30.4375
#: Intervals shorter than this count as this long when a gain is turned into a monthly rate.
#: Scaling a short interval up to a month multiplies measurement noise (scale resolution,
#: clothes, a feed, +/-0.5 cm on a length board) by up to 30; with the floor, a gain within
#: 14 days is compared, in absolute terms, with 14/30.4375 (46 %) of the monthly limit
#: (1.15 kg, 2.76 cm), which real growth cannot reach, while the rate stays continuous
#: in the interval (no jump at 14 days).
VELOCITY_MIN_INTERVAL_DAYS: Final = 14


class PlausibilityCode(StrEnum):
    """What looks wrong in a child's series."""

    BEFORE_BIRTH = "before_birth"
    LENGTH_DECREASE = "length_decrease"
    WEIGHT_DROP = "weight_drop"
    WEIGHT_GAIN_TOO_FAST = "weight_gain_too_fast"
    LENGTH_GAIN_TOO_FAST = "length_gain_too_fast"


_CODE_RANK: Final[Mapping[PlausibilityCode, int]] = MappingProxyType(
    {code: rank for rank, code in enumerate(PlausibilityCode)}
)


@dataclass(frozen=True, slots=True)
class PlausibilityWarning:
    """One implausible value or pair of values, with an Indonesian message for the cadre."""

    code: PlausibilityCode
    dates: tuple[dt.date, ...]
    """The visit dates involved, earlier first (one date for BEFORE_BIRTH)."""
    message: str


def _num(value: float) -> str:
    """A measurement the Indonesian way: decimal comma, 1 or 2 decimals (``8,85``, ``10,0``)."""
    text = f"{value:.2f}"
    if text.endswith("0"):
        text = text[:-1]
    return text.replace(".", ",")


def _between(first: dt.date, second: dt.date) -> str:
    return f"antara {first.isoformat()} dan {second.isoformat()}"


def _faster_than(gain_units: int, days: int, limit_units_per_month: float) -> bool:
    """gain / max(days, floor) * month > limit.

    Exact: the gain and the days are integers and 30.4375 (487/16) is a binary fraction.
    """
    return gain_units * DAYS_PER_MONTH > limit_units_per_month * max(
        days, VELOCITY_MIN_INTERVAL_DAYS
    )


def _weight_pair(
    first: tuple[dt.date, float], second: tuple[dt.date, float]
) -> list[PlausibilityWarning]:
    dates = (first[0], second[0])
    days = (second[0] - first[0]).days
    before, after = _grams(first[1]), _grams(second[1])
    change = f"dari {_num(first[1])} kg menjadi {_num(second[1])} kg"
    drop = before - after
    if days <= WEIGHT_DROP_WINDOW_DAYS and drop * 100 > WEIGHT_DROP_MAX_PERCENT * before:
        percent = f"{100 * drop / before:.1f}".replace(".", ",")
        message = (
            f"Berat badan turun {percent} % ({change}) dalam {days} hari, "
            f"{_between(*dates)}; periksa kembali penimbangan."
        )
        return [PlausibilityWarning(PlausibilityCode.WEIGHT_DROP, dates, message)]
    if _faster_than(-drop, days, WEIGHT_GAIN_MAX_KG_PER_MONTH * 1000):
        message = (
            f"Berat badan naik {_num(-drop / 1000)} kg ({change}) dalam {days} hari, "
            f"lebih dari {_num(WEIGHT_GAIN_MAX_KG_PER_MONTH)} kg per bulan, "
            f"{_between(*dates)}; periksa kembali penimbangan."
        )
        return [PlausibilityWarning(PlausibilityCode.WEIGHT_GAIN_TOO_FAST, dates, message)]
    return []


def _length_pair(
    first: tuple[dt.date, float], second: tuple[dt.date, float]
) -> list[PlausibilityWarning]:
    dates = (first[0], second[0])
    days = (second[0] - first[0]).days
    before, after = _hundredths_cm(first[1]), _hundredths_cm(second[1])
    change = f"dari {_num(first[1])} cm menjadi {_num(second[1])} cm"
    if before - after > round(LENGTH_DECREASE_TOLERANCE_CM * 100):
        message = (
            f"Panjang/tinggi badan turun {_num((before - after) / 100)} cm ({change}), "
            f"{_between(*dates)}; periksa kembali pengukuran."
        )
        return [PlausibilityWarning(PlausibilityCode.LENGTH_DECREASE, dates, message)]
    if _faster_than(after - before, days, LENGTH_GAIN_MAX_CM_PER_MONTH * 100):
        message = (
            f"Panjang/tinggi badan naik {_num((after - before) / 100)} cm ({change}) "
            f"dalam {days} hari, lebih dari {_num(LENGTH_GAIN_MAX_CM_PER_MONTH)} cm per bulan, "
            f"{_between(*dates)}; periksa kembali pengukuran."
        )
        return [PlausibilityWarning(PlausibilityCode.LENGTH_GAIN_TOO_FAST, dates, message)]
    return []


def plausibility(birth_date: dt.date, visits: Iterable[Visit]) -> list[PlausibilityWarning]:
    """Implausible values in a child's series, ordered by the last date involved.

    * BEFORE_BIRTH: a visit dated before the birth date.
    * LENGTH_DECREASE: adjusted length/height down by more than
      ``LENGTH_DECREASE_TOLERANCE_CM`` from the previous measured visit.
    * WEIGHT_DROP: weight down by more than ``WEIGHT_DROP_MAX_PERCENT`` % from the previous
      weighing, at most ``WEIGHT_DROP_WINDOW_DAYS`` days earlier (a larger loss over a longer
      interval can be real wasting and is left to the trend).
    * WEIGHT_GAIN_TOO_FAST / LENGTH_GAIN_TOO_FAST: gain since the previous weighing/measurement
      faster than the monthly limit, the interval floored at ``VELOCITY_MIN_INTERVAL_DAYS``.

    Pairs are consecutive visits that have the measurement (a visit without a weight does not
    break the weight series). Values are compared in whole grams and hundredths of a
    centimetre, so 10 % or 1.0 cm exactly is not flagged. Raises ``ValueError`` for two visits
    on one date.
    """
    ordered = _sorted_visits(visits)
    warnings = [
        PlausibilityWarning(
            PlausibilityCode.BEFORE_BIRTH,
            (v.date,),
            f"Tanggal kunjungan {v.date.isoformat()} sebelum tanggal lahir "
            f"{birth_date.isoformat()}; periksa tanggal lahir atau tanggal kunjungan.",
        )
        for v in ordered
        if v.date < birth_date
    ]
    weighed = [(v.date, v.weight_kg) for v in ordered if v.weight_kg is not None]
    for first, second in pairwise(weighed):
        warnings += _weight_pair(first, second)
    measured = [(v.date, v.length_height_cm) for v in ordered if v.length_height_cm is not None]
    for first, second in pairwise(measured):
        warnings += _length_pair(first, second)
    warnings.sort(key=lambda w: (w.dates[-1], _CODE_RANK[w.code]))
    return warnings
