"""Permenkes 2/2020 nutritional-status categories on top of WHO z-scores.

The cut-offs follow DOMAIN.md section 1.1 literally ("Boundary handling for code"):

* ``z < -3`` is the lowest band; ``-3 <= z < -2`` the middle-low band, so z = -3.00 is
  *Pendek*, not *Sangat pendek*;
* ``-2 <= z <= +1`` is normal for BB/U, BB/PB-BB/TB and IMT/U (z = -2.00 is normal), and
  ``-2 <= z <= +3`` for PB/U-TB/U;
* the bands above normal are closed on the right: ``1 < z <= 2``, ``2 < z <= 3``, ``z > 3``.

Inputs and age rule (team decision, ADR 0002):

* ``z`` is WHO's reported z-score, *already rounded* to 2 decimals; nothing here rounds it.
* ``age_months`` is the unrounded age, days / 30.4375.
* ``0 <= age < 60``: the 0-60 month tables for all four indices.
* ``60 <= age < 217``: only IMT/U, with the 5-18 year table; BB/U, PB/U-TB/U and BB/PB-BB/TB
  give no category.
* missing age (NaN), negative age or ``age >= 217``: no category, except BB/PB-BB/TB with a
  *missing* age, which WHO computes without age and which is classified with the 0-60 table.
* A NaN z-score, or a z-score flagged implausible by WHO's rules, gives no category.

Codes: :func:`classify` returns ``int8`` positions into ``CATEGORY_ORDER[index]`` and -1 for
"no category". Within an index the positions increase with z, so codes can be compared
(``code <= 1`` on PB/U-TB/U means stunted).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "CATEGORY_ORDER",
    "IMTU_5_18_END_MONTHS",
    "NO_CATEGORY",
    "UNDER_FIVE_END_MONTHS",
    "Category",
    "Index",
    "Severity",
    "classify",
    "classify_one",
    "is_stunted",
    "labels",
]

Int8Array = npt.NDArray[np.int8]
ObjectArray = npt.NDArray[np.object_]

#: Code meaning "no category" in the arrays returned by :func:`classify`.
NO_CATEGORY: Final = -1
#: The 0-60 month tables apply while the unrounded age is below this (WHO 2006 standard).
UNDER_FIVE_END_MONTHS: Final = 60.0
#: The IMT/U 5-18 year table applies below this age (team decision, ADR 0002; DOMAIN.md 1.1
#: gives the range as about 61-216 months).
IMTU_5_18_END_MONTHS: Final = 217.0


class Index(StrEnum):
    """The four anthropometric indices of Permenkes 2/2020."""

    BBU = "bbu"
    """BB/U, weight-for-age."""
    TBU = "tbu"
    """PB/U or TB/U, length/height-for-age."""
    BBTB = "bbtb"
    """BB/PB or BB/TB, weight-for-length/height."""
    IMTU = "imtu"
    """IMT/U, BMI-for-age."""


class Severity(IntEnum):
    """How much attention a category asks for; higher is worse."""

    NONE = 0
    """Normal, or (for *Tinggi*) usually not a problem."""
    RISK = 1
    """At risk: confirm with another index."""
    MODERATE = 2
    SEVERE = 3


class Category(StrEnum):
    """A Permenkes 2/2020 category; the value is a stable code, :attr:`label` the PMK text."""

    # BB/U, 0-60 months
    SEVERELY_UNDERWEIGHT = "severely_underweight"
    UNDERWEIGHT = "underweight"
    NORMAL_WEIGHT = "normal_weight"
    RISK_OVERWEIGHT = "risk_overweight"
    # PB/U or TB/U, 0-60 months
    SEVERELY_STUNTED = "severely_stunted"
    STUNTED = "stunted"
    NORMAL_HEIGHT = "normal_height"
    TALL = "tall"
    # BB/PB-BB/TB and IMT/U, 0-60 months (NORMAL, OVERWEIGHT, OBESE also IMT/U 5-18 years)
    SEVERELY_WASTED = "severely_wasted"
    WASTED = "wasted"
    NORMAL = "normal"
    POSSIBLE_RISK_OVERWEIGHT = "possible_risk_overweight"
    OVERWEIGHT = "overweight"
    OBESE = "obese"
    # IMT/U, 5-18 years
    SEVERELY_THIN = "severely_thin"
    THIN = "thin"

    @property
    def label(self) -> str:
        """The Indonesian label exactly as Permenkes 2/2020 prints it (DOMAIN.md 1.1)."""
        return _INFO[self].label

    @property
    def severity(self) -> Severity:
        """How much attention the category asks for."""
        return _INFO[self].severity

    @property
    def is_problem(self) -> bool:
        """True when the category needs attention (any severity above NONE).

        *Tinggi* (tall) is not a problem: the PMK notes very tall children are usually fine
        and only suspected endocrine disorders need referral (DOMAIN.md 1.1, footnote 2).
        """
        return _INFO[self].severity is not Severity.NONE


@dataclass(frozen=True, slots=True)
class _Info:
    label: str
    severity: Severity


# The one table of labels (DOMAIN.md 1.1; Permenkes 2/2020 Lampiran) and severities.
_INFO: Final[Mapping[Category, _Info]] = MappingProxyType(
    {
        Category.SEVERELY_UNDERWEIGHT: _Info("Berat badan sangat kurang", Severity.SEVERE),
        Category.UNDERWEIGHT: _Info("Berat badan kurang", Severity.MODERATE),
        Category.NORMAL_WEIGHT: _Info("Berat badan normal", Severity.NONE),
        Category.RISK_OVERWEIGHT: _Info("Risiko berat badan lebih", Severity.RISK),
        Category.SEVERELY_STUNTED: _Info("Sangat pendek", Severity.SEVERE),
        Category.STUNTED: _Info("Pendek", Severity.MODERATE),
        Category.NORMAL_HEIGHT: _Info("Normal", Severity.NONE),
        Category.TALL: _Info("Tinggi", Severity.NONE),
        Category.SEVERELY_WASTED: _Info("Gizi buruk", Severity.SEVERE),
        Category.WASTED: _Info("Gizi kurang", Severity.MODERATE),
        Category.NORMAL: _Info("Gizi baik", Severity.NONE),
        Category.POSSIBLE_RISK_OVERWEIGHT: _Info("Berisiko gizi lebih", Severity.RISK),
        Category.OVERWEIGHT: _Info("Gizi lebih", Severity.MODERATE),
        Category.OBESE: _Info("Obesitas", Severity.SEVERE),
        Category.SEVERELY_THIN: _Info("Gizi buruk", Severity.SEVERE),
        Category.THIN: _Info("Gizi kurang", Severity.MODERATE),
    }
)

_C = Category

#: The categories of each index in increasing z order; :func:`classify` returns positions in
#: these tuples. IMT/U interleaves its two tables (0-60 months: severely wasted, wasted,
#: normal, possible risk, overweight, obese; 5-18 years: severely thin, thin, normal,
#: overweight, obese) so that codes rise with z under either table.
CATEGORY_ORDER: Final[Mapping[Index, tuple[Category, ...]]] = MappingProxyType(
    {
        Index.BBU: (_C.SEVERELY_UNDERWEIGHT, _C.UNDERWEIGHT, _C.NORMAL_WEIGHT, _C.RISK_OVERWEIGHT),
        Index.TBU: (_C.SEVERELY_STUNTED, _C.STUNTED, _C.NORMAL_HEIGHT, _C.TALL),
        Index.BBTB: (
            _C.SEVERELY_WASTED,
            _C.WASTED,
            _C.NORMAL,
            _C.POSSIBLE_RISK_OVERWEIGHT,
            _C.OVERWEIGHT,
            _C.OBESE,
        ),
        Index.IMTU: (
            _C.SEVERELY_WASTED,
            _C.SEVERELY_THIN,
            _C.WASTED,
            _C.THIN,
            _C.NORMAL,
            _C.POSSIBLE_RISK_OVERWEIGHT,
            _C.OVERWEIGHT,
            _C.OBESE,
        ),
    }
)


@dataclass(frozen=True, slots=True)
class _Table:
    """One cut-off table: band = #(z >= low cut-offs) + #(z > high cut-offs)."""

    low: tuple[float, ...]
    """Cut-offs a z-score reaches *at* the value (-3 <= z < -2 is the band above -3)."""
    high: tuple[float, ...]
    """Cut-offs a z-score passes only *above* the value (1 < z <= 2 is the band above 1)."""
    categories: tuple[Category, ...]
    """One category per band, lowest first."""


_LOW = (-3.0, -2.0)
_UNDER_FIVE: Final[Mapping[Index, _Table]] = MappingProxyType(
    {
        Index.BBU: _Table(_LOW, (1.0,), CATEGORY_ORDER[Index.BBU]),
        Index.TBU: _Table(_LOW, (3.0,), CATEGORY_ORDER[Index.TBU]),
        Index.BBTB: _Table(_LOW, (1.0, 2.0, 3.0), CATEGORY_ORDER[Index.BBTB]),
        Index.IMTU: _Table(_LOW, (1.0, 2.0, 3.0), CATEGORY_ORDER[Index.BBTB]),
    }
)
_IMTU_5_18: Final = _Table(
    _LOW, (1.0, 2.0), (_C.SEVERELY_THIN, _C.THIN, _C.NORMAL, _C.OVERWEIGHT, _C.OBESE)
)


def _band(table: _Table, z: npt.NDArray[np.float64]) -> Int8Array:
    """The band of each z (0 = lowest). NaN lands in band 0; callers mask it."""
    band = np.zeros(z.shape, dtype=np.int8)
    for cut in table.low:
        band += (z >= cut).view(np.int8)
    for cut in table.high:
        band += (z > cut).view(np.int8)
    return band


def _codes(index: Index, table: _Table, z: npt.NDArray[np.float64]) -> Int8Array:
    """Codes into ``CATEGORY_ORDER[index]`` for every z under ``table`` (no masking)."""
    order = CATEGORY_ORDER[index]
    lookup = np.array([order.index(c) for c in table.categories], dtype=np.int8)
    return lookup[_band(table, z)]


def classify(
    index: Index,
    z: npt.ArrayLike,
    age_months: npt.ArrayLike,
    flagged: npt.ArrayLike | None = None,
) -> Int8Array:
    """Permenkes 2/2020 category codes, vectorised.

    ``z`` (rounded to 2 decimals), ``age_months`` (unrounded; NaN when unknown) and
    ``flagged`` (true where WHO's flag rules mark the z-score implausible) broadcast together.
    Returns ``int8`` positions into ``CATEGORY_ORDER[index]``, ``NO_CATEGORY`` (-1) where no
    category applies. Pure NumPy: a handful of comparisons per element, no Python loop.
    """
    index = Index(index)
    z_arr = np.asarray(z, dtype=np.float64)
    age = np.asarray(age_months, dtype=np.float64)
    z_arr, age = np.broadcast_arrays(z_arr, age)

    with np.errstate(invalid="ignore"):
        under_five = (age >= 0.0) & (age < UNDER_FIVE_END_MONTHS)
        if index is Index.BBTB:
            under_five |= np.isnan(age)
        codes = np.where(under_five, _codes(index, _UNDER_FIVE[index], z_arr), NO_CATEGORY)
        if index is Index.IMTU:
            school_age = (age >= UNDER_FIVE_END_MONTHS) & (age < IMTU_5_18_END_MONTHS)
            codes = np.where(school_age, _codes(index, _IMTU_5_18, z_arr), codes)

    unusable = np.isnan(z_arr)
    if flagged is not None:
        unusable = unusable | np.asarray(flagged, dtype=np.bool_)
    return np.where(unusable, NO_CATEGORY, codes).astype(np.int8, copy=False)


def labels(index: Index, codes: npt.ArrayLike) -> ObjectArray:
    """The Indonesian label of each code from :func:`classify` ("" for ``NO_CATEGORY``).

    Raises ``TypeError`` for non-integer codes and ``ValueError`` for codes outside
    ``-1 .. len(CATEGORY_ORDER[index]) - 1``.
    """
    order = CATEGORY_ORDER[Index(index)]
    codes_arr = np.asarray(codes)
    if not np.issubdtype(codes_arr.dtype, np.integer):
        raise TypeError(f"category codes must be integers, got dtype {codes_arr.dtype}")
    if codes_arr.size and (codes_arr.min() < NO_CATEGORY or codes_arr.max() >= len(order)):
        raise ValueError(f"category codes for {index!s} must lie in -1..{len(order) - 1}")
    lookup = np.array(["", *(c.label for c in order)], dtype=np.object_)
    return np.asarray(lookup[codes_arr.astype(np.intp) + 1], dtype=np.object_)


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def classify_one(
    index: Index,
    z: float | None,
    age_months: float | None,
    flagged: bool = False,
) -> Category | None:
    """The category of one z-score, or None; same rules as :func:`classify` (None is NaN)."""
    index = Index(index)
    code = int(classify(index, _or_nan(z), _or_nan(age_months), flagged))
    return None if code == NO_CATEGORY else CATEGORY_ORDER[index][code]


def is_stunted(
    z_lhfa_rounded: float | None, age_months: float | None, flagged: bool = False
) -> bool:
    """Stunting: PB/U or TB/U below -2 SD (*pendek* or *sangat pendek*) before 60 months.

    Perpres 72/2021 Pasal 1 and Permenkes 2/2020 (DOMAIN.md 1.1). False when the z-score or
    the age is missing, the z-score is flagged, or the child is 60 months or older.
    """
    category = classify_one(Index.TBU, z_lhfa_rounded, age_months, flagged)
    return category in (Category.SEVERELY_STUNTED, Category.STUNTED)
