"""WHO z-scores for many children at once, computed the way WHO's software computes them.

Under 60 months (unrounded age): R ``anthro`` 1.1.0 (WHO Child Growth Standards 2006).
From 60 months: R ``anthroplus`` 1.0.0 (WHO Growth Reference 2007) for height-, weight- and
BMI-for-age, which then fill ``zlen``, ``zwei`` and ``zbmi``. The rules are written down in
docs/growth-method.md; each is applied here once, vectorised over all rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

import tumbuh
from tumbuh.growth import categories
from tumbuh.growth.inputs import (
    MEASURE_LYING,
    MEASURE_STANDING,
    InputProblem,
    Inputs,
    read_inputs,
)
from tumbuh.growth.lms import zscore, zscore_linear, zscore_restricted
from tumbuh.growth.reasons import REASON_CODES, Problem, Reason
from tumbuh.growth.tables import LMSTable, Table, load, manifest

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ReasonArray = npt.NDArray[np.uint8]
IndexArray = npt.NDArray[np.intp]

#: Output columns, in the order of the CLI contract (ARCHITECTURE.md).
WHO_COLUMNS = (
    "clenhei",
    "cbmi",
    "zlen",
    "flen",
    "zwei",
    "fwei",
    "zwfl",
    "fwfl",
    "zbmi",
    "fbmi",
    "zhc",
    "fhc",
    "zac",
    "fac",
    "zts",
    "fts",
    "zss",
    "fss",
)
Z_COLUMNS = ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss")
CATEGORY_COLUMNS = ("cat_bbu", "cat_tbu", "cat_bbtb", "cat_imtu")
REASON_COLUMNS = tuple(f"reason_{z}" for z in Z_COLUMNS)
EXTRA_COLUMNS = ("c9mo",)
OUTPUT_COLUMNS = WHO_COLUMNS + CATEGORY_COLUMNS + REASON_COLUMNS + EXTRA_COLUMNS

#: Category column -> (Permenkes index, z-score column, flag column)
CATEGORY_SOURCES = {
    "cat_bbu": (categories.Index.BBU, "zwei", "fwei"),
    "cat_tbu": (categories.Index.TBU, "zlen", "flen"),
    "cat_bbtb": (categories.Index.BBTB, "zwfl", "fwfl"),
    "cat_imtu": (categories.Index.IMTU, "zbmi", "fbmi"),
}

#: Flag limits on the rounded z-score: (low, high); flagged when z < low or z > high.
FLAG_LIMITS = {"zlen": (-6.0, 6.0), "zwei": (-6.0, 5.0)}
DEFAULT_FLAG_LIMITS = (-5.0, 5.0)

LAST_DAY_2006 = 1856
UNDER_FIVE_MONTHS = 60.0
LENGTH_TABLE_BELOW_DAYS = 731
LENGTH_OR_HEIGHT_CM = 87.0
POSITION_ADJUSTMENT_CM = 0.7
STANDING_MIN_MONTHS = 9.0
WFL_RANGE_CM = (45.0, 110.0)
WFH_RANGE_CM = (65.0, 120.0)
LAST_MONTH_2007 = {"zlen": 228.0, "zwei": 120.0, "zbmi": 228.0}
ENGINE = "tumbuh.growth"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a number came from: standards, method, table edition and engine version."""

    standard_under5: str
    standard_over5: str
    method: str
    tables: str
    engine: str

    def as_dict(self) -> dict[str, str]:
        return {
            "standard_under5": self.standard_under5,
            "standard_over5": self.standard_over5,
            "method": self.method,
            "tables": self.tables,
            "engine": self.engine,
        }


@cache
def provenance() -> Provenance:
    """The provenance every result of this engine carries."""
    info = manifest()
    tables = info["tables"]
    joined = "".join(str(tables[k]["sha256"]) for k in sorted(tables))
    digest = hashlib.sha256(joined.encode()).hexdigest()[:12]
    source = info["source"]
    return Provenance(
        standard_under5="WHO Child Growth Standards 2006",
        standard_over5="WHO Growth Reference 2007",
        method="as R anthro 1.1.0 (under 60 months) and R anthroplus 1.0.0 (60-228 months)",
        tables=f"{source['package']} {source['version']} (sha256:{digest})",
        engine=f"{ENGINE} {tumbuh.__version__}",
    )


class ZScoreResult(Mapping[str, npt.NDArray[Any]]):
    """Output columns as NumPy arrays (NaN where empty), plus input problems and provenance.

    Numeric columns are computed at once; the text columns (categories and reasons) are made
    on first access, so a caller that only wants z-scores does not pay for strings.
    """

    __slots__ = ("_columns", "_inputs", "_lazy", "provenance", "reason_codes")

    def __init__(
        self,
        columns: dict[str, npt.NDArray[Any]],
        lazy: dict[str, Callable[[], npt.NDArray[Any]]],
        reason_codes: dict[str, ReasonArray],
        inputs: Inputs,
    ) -> None:
        self._columns = columns
        self._lazy = lazy
        self._inputs = inputs
        self.reason_codes = reason_codes
        self.provenance = provenance()

    def __getitem__(self, key: str) -> npt.NDArray[Any]:
        if key not in self._columns:
            self._columns[key] = self._lazy[key]()
        return self._columns[key]

    def __iter__(self) -> Iterator[str]:
        return iter(OUTPUT_COLUMNS)

    def __len__(self) -> int:
        return len(OUTPUT_COLUMNS)

    @property
    def rows(self) -> int:
        return self._inputs.n

    @property
    def age_months(self) -> FloatArray:
        """Unrounded age in months per row (NaN where unknown)."""
        return self._inputs.age_months

    def problems(self) -> list[InputProblem]:
        """Every input value that was not used, with its 0-based row and its column."""
        return self._inputs.problems.problems()

    @property
    def problem_count(self) -> int:
        return len(self._inputs.problems)

    def problem_rows(self) -> IndexArray:
        """0-based rows with at least one input problem."""
        return self._inputs.problems.rows()


def round_half_up_days(days: FloatArray) -> FloatArray:
    """Whole days as anthro rounds them: a fraction of .5 or more goes up."""
    whole = np.floor(days)
    result: FloatArray = whole + ((days - whole) >= 0.5)
    return result


def round_like_r(z: FloatArray) -> FloatArray:
    """Round to 2 decimals, picking the nearer of the two candidates as R 4's round() does.

    Away from a tie NumPy's rounding gives the same nearer candidate, so only values whose
    hundredfold lies within a hair of .5 are decided explicitly (ties go to the even digit).
    """
    result: FloatArray = np.round(z, 2)
    scaled = z * 100.0
    low_digits = np.floor(scaled)
    near_tie = np.abs(scaled - low_digits - 0.5) < 1e-6
    if near_tie.any():
        x = z[near_tie]
        low_d = low_digits[near_tie]
        low = low_d / 100.0
        high = (low_d + 1.0) / 100.0
        down = x - low
        up = high - x
        even = np.fmod(low_d, 2.0) == 0.0
        result[near_tie] = np.where(
            down < up, low, np.where(down > up, high, np.where(even, low, high))
        )
    return result


def _first_reason(n: int, conditions: list[tuple[BoolArray | bool, Reason]]) -> ReasonArray:
    """For each row, the first condition that holds (``Reason.OK`` where none does)."""
    reason = np.zeros(n, dtype=np.uint8)
    for mask, code in reversed(conditions):
        if mask is False:
            continue
        reason[mask] = code
    return reason


def _merge(base: ReasonArray, own: ReasonArray, invalid: BoolArray) -> ReasonArray:
    """The shared reasons win over an indicator's own; an unreadable measurement wins over all."""
    reason = np.where(base > 0, base, own).astype(np.uint8)
    reason[invalid] = Reason.INVALID_VALUE
    return reason


def _flat_index(table: LMSTable, sex: npt.NDArray[np.int8], index: IndexArray) -> IndexArray:
    """Position in the flattened (sex, grid) table: girls' rows follow the boys'."""
    flat: IndexArray = np.where(sex == 2, index + table.size, index)
    return flat


def _take(table: LMSTable, flat: IndexArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    l_, m_, s_ = _flat_arrays(table.name)
    return l_.take(flat), m_.take(flat), s_.take(flat)


@cache
def _flat_arrays(name: Table) -> tuple[FloatArray, FloatArray, FloatArray]:
    table = load(name)
    return table.l.ravel(), table.m.ravel(), table.s.ravel()


def _interpolated(
    table: LMSTable,
    sex: npt.NDArray[np.int8],
    low: IndexArray,
    high: IndexArray,
    fraction: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """L, M, S between two grid rows, as anthro/anthroplus do (only where fraction > 0)."""
    l0, m0, s0 = _take(table, _flat_index(table, sex, low))
    l1, m1, s1 = _take(table, _flat_index(table, sex, high))
    step = fraction > 0
    return (
        np.where(step, l0 + fraction * (l1 - l0), l0),
        np.where(step, m0 + fraction * (m1 - m0), m0),
        np.where(step, s0 + fraction * (s1 - s0), s0),
    )


class _Engine:
    """One call's cleaned inputs and the quantities every indicator shares."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.n = n = inputs.n
        self.empty = np.full(n, np.nan)
        age_days = inputs.age_days
        self.has_age = has_age = ~np.isnan(age_days)
        self.negative_age = negative = age_days < 0
        self.day = round_half_up_days(np.where(negative, np.nan, age_days))
        self.months = months = inputs.age_months
        self.under5 = has_age & ~negative & (months < UNDER_FIVE_MONTHS)
        self.any_over5 = bool(np.any(has_age & ~negative & (months >= UNDER_FIVE_MONTHS)))

        # anthro 1.1.0: under 9 months measured standing is an implausible position; it is
        # treated as unknown (no adjustment) and flagged (c9mo).
        self.c9mo = c9mo = (
            (inputs.measure == MEASURE_STANDING) & ~negative & (months < STANDING_MIN_MONTHS)
        )
        if c9mo.any():
            inputs.problems.add(
                inputs.names.get("measure", "measure"),
                Problem.STANDING_UNDER_9_MONTHS,
                c9mo,
                np.full(n, "h", dtype=object),
            )
        self.measure = np.where(c9mo, 0, inputs.measure).astype(np.int8)
        self.clenhei = self._adjusted_lenhei()
        self.cbmi = self._bmi()

        shared_invalid = inputs.invalid["age"] | inputs.invalid["sex"]
        missing_sex = inputs.sex == 0
        self.base_by_age = _first_reason(
            n,
            [
                (shared_invalid, Reason.INVALID_VALUE),
                (missing_sex, Reason.MISSING_SEX),
                (~has_age, Reason.MISSING_AGE),
                (has_age & negative, Reason.NEGATIVE_AGE),
            ],
        )
        self.base_no_age = _first_reason(
            n,
            [
                (shared_invalid, Reason.INVALID_VALUE),
                (missing_sex, Reason.MISSING_SEX),
                (has_age & negative, Reason.NEGATIVE_AGE),
                (has_age & ~negative & ~self.under5, Reason.AGE_OUT_OF_RANGE),
            ],
        )

    def _adjusted_lenhei(self) -> FloatArray:
        lenhei = self.inputs.lenhei
        if np.isnan(lenhei).all():
            return lenhei
        standing_young = (self.day < LENGTH_TABLE_BELOW_DAYS) & (self.measure == MEASURE_STANDING)
        lying_old = (self.day >= LENGTH_TABLE_BELOW_DAYS) & (self.measure == MEASURE_LYING)
        adjusted: FloatArray = np.where(
            standing_young,
            lenhei + POSITION_ADJUSTMENT_CM,
            np.where(lying_old, lenhei - POSITION_ADJUSTMENT_CM, lenhei),
        )
        return adjusted

    def _bmi(self) -> FloatArray:
        weight = self.inputs.weight
        if np.isnan(weight).all() or np.isnan(self.clenhei).all():
            return np.full(self.n, np.nan)
        metres = np.where(self.clenhei > 0, self.clenhei, np.nan) / 100.0
        bmi: FloatArray = weight / (metres * metres)
        return bmi

    # -- per indicator ---------------------------------------------------------------------

    def measurement_reasons(self, *values: FloatArray) -> list[tuple[BoolArray | bool, Reason]]:
        missing = np.zeros(self.n, dtype=bool)
        not_positive = np.zeros(self.n, dtype=bool)
        for value in values:
            if value is self.inputs.absent:  # a column that was not given at all
                missing[:] = True
                continue
            missing |= np.isnan(value)
            not_positive |= value <= 0
        return [(missing, Reason.MISSING_MEASUREMENT), (not_positive, Reason.NOT_POSITIVE)]

    def by_day(
        self, name: Table, y: FloatArray, *, restricted: bool
    ) -> tuple[FloatArray, BoolArray]:
        """A 2006 indicator tabulated by day: valid from its first day while under 60 months."""
        table = load(name)
        ok_age = self.under5 & (self.day >= table.first) & (self.day <= LAST_DAY_2006)
        index = np.where(ok_age, self.day - table.first, 0.0).astype(np.intp)
        flat = _flat_index(table, self.inputs.sex, index)
        l_all, m_all, s_all = _flat_arrays(name)
        m = m_all.take(flat)
        s = s_all.take(flat)
        if restricted:
            z = zscore_restricted(y, l_all.take(flat), m, s)
        elif table.constant_l == 1.0:
            z = zscore_linear(y, m, s)
        else:  # pragma: no cover - every plain 2006 table has L = 1; kept for a future table
            z = zscore(y, l_all.take(flat), m, s)
        return z, ok_age

    def by_month_2007(
        self,
        name: Table,
        y: FloatArray,
        months: FloatArray,
        sex: npt.NDArray[np.int8],
        *,
        last_month: float,
        restricted: bool,
    ) -> FloatArray:
        """A 2007 indicator for rows aged 60 months to ``last_month``: L, M, S interpolated
        linearly between whole months, as anthroplus does."""
        table = load(name)
        low = np.trunc(months)
        low_index = (low - table.first).astype(np.intp)
        high_index = np.minimum(low_index + 1, table.size - 1)
        l, m, s = _interpolated(table, sex, low_index, high_index, months - low)
        return zscore_restricted(y, l, m, s) if restricted else zscore(y, l, m, s)

    def for_age(
        self,
        name: str,
        y: FloatArray,
        sources: tuple[FloatArray, ...],
        invalid: BoolArray,
        *,
        table_2006: Table,
        table_2007: Table | None,
        restricted: bool,
        oedema_blocks: bool,
    ) -> tuple[FloatArray, ReasonArray]:
        """An age-based indicator (2006 by day, and 2007 by month where it exists)."""
        nothing = bool(np.isnan(y).all())
        if nothing:
            z = self.empty
            ok_age = self.under5 & (self.day >= load(table_2006).first)
        else:
            z, ok_age = self.by_day(table_2006, y, restricted=restricted)
        if table_2007 is not None:
            last = LAST_MONTH_2007[name]
            ok_old = self.has_age & (self.months >= UNDER_FIVE_MONTHS) & (self.months <= last)
            if self.any_over5 and not nothing:
                rows = np.flatnonzero(ok_old)
                z = z.copy()
                z[rows] = self.by_month_2007(
                    table_2007, y[rows], self.months[rows], self.inputs.sex[rows],
                    last_month=last, restricted=restricted,
                )  # fmt: skip
            ok_age = ok_age | ok_old
        if all(source is self.inputs.absent for source in sources):  # column not given
            own = np.where(ok_age, Reason.MISSING_MEASUREMENT, Reason.AGE_OUT_OF_RANGE)
            return z, _merge(self.base_by_age, own.astype(np.uint8), invalid)
        own = _first_reason(
            self.n,
            [
                (~ok_age, Reason.AGE_OUT_OF_RANGE),
                *self.measurement_reasons(*sources),
                (oedema_blocks and self.inputs.oedema, Reason.OEDEMA),
            ],
        )
        return z, _merge(self.base_by_age, own, invalid)

    def weight_for_lenhei(self, invalid: BoolArray) -> tuple[FloatArray, ReasonArray]:
        """Weight-for-length below 731 days, for-height from 731 days (or by position/87 cm)."""
        inputs = self.inputs
        clenhei = self.clenhei
        weight = inputs.weight
        own_conditions = [
            *self.measurement_reasons(weight, clenhei),
            (inputs.oedema, Reason.OEDEMA),
        ]
        if np.isnan(weight).all() or np.isnan(clenhei).all():
            own = _first_reason(self.n, own_conditions)
            return self.empty, _merge(self.base_no_age, own, invalid)
        known = self.has_age & ~self.negative_age
        no_age = ~self.has_age
        unknown_position = self.measure == 0
        use_length = (known & (self.day < LENGTH_TABLE_BELOW_DAYS)) | (
            no_age
            & (
                (self.measure == MEASURE_LYING)
                | (unknown_position & (clenhei < LENGTH_OR_HEIGHT_CM))
            )
        )
        use_height = (known & (self.day >= LENGTH_TABLE_BELOW_DAYS)) | (
            no_age
            & (
                (self.measure == MEASURE_STANDING)
                | (unknown_position & (clenhei >= LENGTH_OR_HEIGHT_CM))
            )
        )
        in_length = use_length & (clenhei >= WFL_RANGE_CM[0]) & (clenhei <= WFL_RANGE_CM[1])
        in_height = use_height & (clenhei >= WFH_RANGE_CM[0]) & (clenhei <= WFH_RANGE_CM[1])
        # anthro: lower row trunc(x*10)/10, upper row trunc(x*10+1)/10, fraction (x-lower)/0.1
        scaled = np.where(np.isfinite(clenhei), clenhei, 0.0) * 10.0
        grid_low = np.trunc(scaled)
        grid_high = np.trunc(scaled + 1.0)
        fraction = (clenhei - grid_low / 10.0) / 0.1
        l = np.full(self.n, np.nan)
        m = np.full(self.n, np.nan)
        s = np.full(self.n, np.nan)
        for name, rows in ((Table.WFL, in_length), (Table.WFH, in_height)):
            table = load(name)
            low = (grid_low[rows] - table.first).astype(np.intp)
            high = np.minimum((grid_high[rows] - table.first).astype(np.intp), table.size - 1)
            l[rows], m[rows], s[rows] = _interpolated(
                table, inputs.sex[rows], low, high, fraction[rows]
            )
        z = zscore_restricted(weight, l, m, s)
        own = _first_reason(
            self.n, [*own_conditions, (~(in_length | in_height), Reason.OUT_OF_TABLE)]
        )
        return z, _merge(self.base_no_age, own, invalid)


def _finish(z: FloatArray, reason: ReasonArray) -> FloatArray:
    """Round as WHO reports, empty where a reason stands (and give one to any stray NaN)."""
    rounded = round_like_r(z)
    rounded[reason != Reason.OK] = np.nan
    stray = np.isnan(rounded) & (reason == Reason.OK)
    if stray.any():  # pragma: no cover - defensive: every NaN path above has its reason
        reason[stray] = Reason.MISSING_MEASUREMENT
    return rounded


def _flags(z: FloatArray, limits: tuple[float, float]) -> FloatArray:
    flags: FloatArray = ((z < limits[0]) | (z > limits[1])).astype(np.float64)
    flags[np.isnan(z)] = np.nan
    return flags


def compute(inputs: Inputs) -> ZScoreResult:
    """All z-scores, flags, categories and reasons for cleaned inputs."""
    engine = _Engine(inputs)
    invalid = inputs.invalid
    clenhei, cbmi, weight = engine.clenhei, engine.cbmi, inputs.weight
    bmi_invalid = invalid["weight"] | invalid["lenhei"]
    results: dict[str, tuple[FloatArray, ReasonArray]] = {
        "zlen": engine.for_age(
            "zlen", clenhei, (clenhei,), invalid["lenhei"],
            table_2006=Table.LHFA, table_2007=Table.HFA_2007,
            restricted=False, oedema_blocks=False,
        ),
        "zwei": engine.for_age(
            "zwei", weight, (weight,), invalid["weight"],
            table_2006=Table.WFA, table_2007=Table.WFA_2007,
            restricted=True, oedema_blocks=True,
        ),
        "zwfl": engine.weight_for_lenhei(bmi_invalid),
        "zbmi": engine.for_age(
            "zbmi", cbmi, (weight, clenhei), bmi_invalid,
            table_2006=Table.BFA, table_2007=Table.BFA_2007,
            restricted=True, oedema_blocks=True,
        ),
    }  # fmt: skip
    for name, table, value in (
        ("zhc", Table.HCFA, "headc"),
        ("zac", Table.ACFA, "armc"),
        ("zts", Table.TSFA, "triskin"),
        ("zss", Table.SSFA, "subskin"),
    ):
        y = getattr(inputs, value)
        results[name] = engine.for_age(
            name, y, (y,), invalid[value],
            table_2006=table, table_2007=None,
            restricted=name != "zhc", oedema_blocks=False,
        )  # fmt: skip

    columns: dict[str, npt.NDArray[Any]] = {"clenhei": clenhei.copy(), "cbmi": cbmi}
    reasons: dict[str, ReasonArray] = {}
    empty = engine.empty
    for name in Z_COLUMNS:
        z, reason = results[name]
        if z is empty:  # no measurement in any row: nothing to round or flag
            columns[name] = columns["f" + name[1:]] = empty
        else:
            rounded = _finish(z, reason)
            columns[name] = rounded
            columns["f" + name[1:]] = _flags(rounded, FLAG_LIMITS.get(name, DEFAULT_FLAG_LIMITS))
        reasons[name] = reason
    columns["c9mo"] = engine.c9mo.astype(np.float64)

    lazy: dict[str, Callable[[], npt.NDArray[Any]]] = {}
    for column, (index, z_name, f_name) in CATEGORY_SOURCES.items():
        lazy[column] = _category_column(index, columns[z_name], engine.months, columns[f_name])
    for name in Z_COLUMNS:
        lazy[f"reason_{name}"] = _reason_column(reasons[name])
    return ZScoreResult(columns, lazy, reasons, inputs)


def _category_column(
    index: categories.Index, z: FloatArray, months: FloatArray, flags: FloatArray
) -> Callable[[], npt.NDArray[Any]]:
    def make() -> npt.NDArray[Any]:
        return categories.labels(index, categories.classify(index, z, months, flags == 1.0))

    return make


def _reason_column(reason: ReasonArray) -> Callable[[], npt.NDArray[Any]]:
    def make() -> npt.NDArray[Any]:
        return REASON_CODES.take(reason)

    return make


def zscores(columns: Mapping[str, Any]) -> ZScoreResult:
    """WHO z-scores for every row of ``columns`` (the contract is in ARCHITECTURE.md).

    ``columns`` maps input names (case-insensitive: sex, age_days or age_months or
    birth_date + visit_date, weight, lenhei, measure, headc, armc, triskin, subskin, oedema)
    to sequences, NumPy arrays or DataFrame columns of equal length. The result maps every
    name in ``OUTPUT_COLUMNS`` to a NumPy array: z-scores rounded to 2 decimals as WHO
    reports them and flags 0/1, NaN where empty; categories and reason codes as text.
    """
    return compute(read_inputs(columns))
