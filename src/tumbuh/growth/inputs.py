"""Read the input columns of ``zscores``: names case-insensitive, values as people type them.

Numbers may be NumPy arrays, sequences of numbers, or text ("9,5" and "9.5" both mean 9.5).
Categorical columns (sex, measure, oedema) and dates are parsed once per distinct value, so a
million rows cost about as much as their few distinct spellings. A value that cannot be read
becomes missing and is recorded as a problem (row, column, value, reason); it never raises.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from tumbuh.growth.reasons import Problem

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]
Column = npt.NDArray[Any] | pl.Series

DAYS_PER_MONTH = 30.4375

#: Input column names (WHO anthro's, lower case) that ``zscores`` reads.
NUMERIC_COLUMNS = (
    "age_days",
    "age_months",
    "weight",
    "lenhei",
    "headc",
    "armc",
    "triskin",
    "subskin",
)
INPUT_COLUMNS = ("sex", *NUMERIC_COLUMNS, "birth_date", "visit_date", "measure", "oedema")

SEX_MALE = 1
SEX_FEMALE = 2
MEASURE_LYING = 1
MEASURE_STANDING = 2

_SEX_WORDS = {
    SEX_MALE: ("1", "1.0", "m", "male", "l", "lk", "laki", "laki-laki", "laki laki", "lakilaki"),
    SEX_FEMALE: ("2", "2.0", "f", "female", "p", "pr", "perempuan", "wanita"),
}
_MEASURE_WORDS = {
    MEASURE_LYING: ("l", "lying", "recumbent", "berbaring", "telentang", "pb"),
    MEASURE_STANDING: ("h", "standing", "berdiri", "tb"),
}
_OEDEMA_WORDS = {
    True: ("y", "ya", "yes", "1", "1.0", "true"),
    False: ("n", "no", "tidak", "2", "2.0", "false"),
}


def _lookup(words: Mapping[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {word: key for key, spellings in words.items() for word in spellings}


_SEX_LOOKUP = _lookup(_SEX_WORDS)
_MEASURE_LOOKUP = _lookup(_MEASURE_WORDS)
_OEDEMA_LOOKUP = _lookup(_OEDEMA_WORDS)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One input value that could not be used: 0-based row, column name as given, reason."""

    row: int
    column: str
    value: str
    problem: Problem

    @property
    def message(self) -> str:
        return self.problem.message


@dataclass(slots=True)
class ProblemLog:
    """Problems collected per column as row arrays (cheap even for a million bad rows)."""

    batches: list[tuple[str, Problem, npt.NDArray[np.intp], npt.NDArray[np.object_]]] = field(
        default_factory=list
    )

    def add(self, column: str, problem: Problem, mask: BoolArray, raw: Any) -> None:
        rows = np.flatnonzero(mask)
        if rows.size:
            values = np.asarray([_display(v) for v in np.asarray(raw, dtype=object)[rows]])
            self.batches.append((column, problem, rows, values.astype(object)))

    def __len__(self) -> int:
        return sum(int(rows.size) for _, _, rows, _ in self.batches)

    def problems(self) -> list[InputProblem]:
        """All problems ordered by row, then by column order of discovery."""
        items = [
            InputProblem(int(row), column, str(value), problem)
            for column, problem, rows, values in self.batches
            for row, value in zip(rows, values, strict=True)
        ]
        items.sort(key=lambda p: p.row)
        return items

    def rows(self) -> npt.NDArray[np.intp]:
        """The distinct rows that have at least one problem."""
        if not self.batches:
            return np.zeros(0, dtype=np.intp)
        return np.unique(np.concatenate([rows for _, _, rows, _ in self.batches]))


def _display(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


@dataclass(frozen=True, slots=True)
class Inputs:
    """Cleaned inputs, one entry per row; NaN (or 0 for codes) where missing."""

    n: int
    sex: IntArray
    age_days: FloatArray
    age_months: FloatArray
    weight: FloatArray
    lenhei: FloatArray
    headc: FloatArray
    armc: FloatArray
    triskin: FloatArray
    subskin: FloatArray
    measure: IntArray
    oedema: BoolArray
    invalid: dict[str, BoolArray]
    names: dict[str, str]
    absent: FloatArray
    problems: ProblemLog


def normalise_names(columns: Mapping[str, Any]) -> dict[str, str]:
    """Map our lower-case column names to the names the caller used (first one wins)."""
    names: dict[str, str] = {}
    for name in columns:
        key = str(name).strip().lower()
        if key in INPUT_COLUMNS and key not in names:
            names[key] = name
    return names


def _is_scalar(values: Any) -> bool:
    if callable(getattr(values, "to_numpy", None)):
        return False
    return isinstance(values, (str, bytes, dt.date)) or np.ndim(values) == 0


def _as_array(values: Any) -> Column:
    """A column as a NumPy array, or as a polars String series (parsed in polars, in bulk)."""
    if isinstance(values, pl.Series):
        return values if values.dtype == pl.String else values.to_numpy()
    to_numpy = getattr(values, "to_numpy", None)
    if callable(to_numpy):  # pandas and other frame libraries
        values = to_numpy()
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"a column must be one-dimensional, got shape {array.shape}")
    return array


def _text_series(column: Column) -> pl.Series | None:
    """The column as a polars String series when all its values are text or missing."""
    if isinstance(column, pl.Series):
        return column
    if column.dtype.kind == "U":
        return pl.Series(values=column, dtype=pl.String)
    if column.dtype.kind == "O":
        try:
            return pl.Series(values=column, dtype=pl.String, strict=True)
        except (TypeError, pl.exceptions.PolarsError):
            return None
    return None


#: A NumPy text column is peeled one distinct value at a time (one vectorised comparison per
#: value) when its first ``_PEEL_SAMPLE`` rows hold at most ``_PEEL_MAX`` distinct values, and
#: for at most ``_PEEL_MAX`` values; the rest of the column goes to polars.
_PEEL_MAX = 16
_PEEL_SAMPLE = 1024


def _peel(array: npt.NDArray[np.str_]) -> tuple[list[Any], npt.NDArray[np.intp]] | None:
    """Distinct values in order of first appearance and positions, for a fixed-width text array
    with few distinct values (sex, measure, oedema as files give them): O(n) per distinct value
    in C instead of converting every row. None when the column has many distinct values."""
    if len(set(array[:_PEEL_SAMPLE].tolist())) > _PEEL_MAX:
        return None
    n = array.shape[0]
    # One or two characters compare as one integer each (much faster than text comparison).
    keys: npt.NDArray[Any] = array
    if array.itemsize in (4, 8):
        keys = array.view(np.uint32 if array.itemsize == 4 else np.uint64)
    codes = np.zeros(n, dtype=np.uint8)  # 1 + position; 0 while not yet seen
    distinct: list[Any] = []
    start = 0
    while start < n:
        if len(distinct) == _PEEL_MAX:  # more spellings than the sample showed
            rest = np.flatnonzero(codes == 0)
            more, where = _factorize_text(array[rest])
            positions = codes.astype(np.intp) - 1
            positions[rest] = where + len(distinct)
            return distinct + more, positions
        distinct.append(str(array[start]))
        codes += (keys == keys[start]).view(np.uint8) * np.uint8(len(distinct))
        unseen = codes[start:] == 0
        first = int(np.argmax(unseen))
        start = start + first if unseen[first] else n
    return distinct, codes.astype(np.intp) - 1


def _factorize(column: Column) -> tuple[list[Any], npt.NDArray[np.intp]]:
    """The distinct values of a column and, per row, the position of its value among them.

    Categorical columns (sex, measure, oedema, dates) have few distinct spellings, so each
    spelling is then read once, in Python, with exactly the same rules whatever the size.
    """
    if isinstance(column, np.ndarray) and column.dtype.kind == "U":
        peeled = _peel(column)
        if peeled is not None:
            return peeled
    return _factorize_text(column)


def _factorize_text(column: Column) -> tuple[list[Any], npt.NDArray[np.intp]]:
    """``_factorize`` in polars (text) or through a dict (anything else)."""
    series = _text_series(column)
    if series is not None:
        filled = series.fill_null("")
        distinct: list[Any] = filled.unique(maintain_order=True).to_list()
        codes = filled.cast(pl.Enum(distinct)).to_physical().to_numpy().astype(np.intp)
        return distinct, codes
    index: dict[Any, int] = {}
    values = np.asarray(column).tolist()
    positions = np.fromiter(
        (index.setdefault(v, len(index)) for v in values), dtype=np.intp, count=len(values)
    )
    return list(index), positions


def _text_array(array: npt.NDArray[Any]) -> npt.NDArray[np.str_]:
    """Values as stripped lower-case text; None and NaN become ''."""
    if array.dtype.kind in "US":
        text = array.astype(str)
    else:
        obj = array.astype(object)
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in obj])
        text = obj.astype(str)
        text[missing] = ""
    return np.strings.lower(np.strings.strip(text))


def _bulk_numbers(series: pl.Series) -> FloatArray | None:
    """Every value read in polars, or None when any value needs the careful path below.

    The text is stripped; a decimal comma is read when there is no point. Polars accepts a
    subset of what the careful path accepts, with the same value; anything it rejects, and any
    infinity or NaN, sends the column down the careful path, which reports each bad value.
    """
    text = pl.col("x").str.strip_chars()
    frame = pl.DataFrame({"x": series}).select(
        pl.when(text.str.contains(".", literal=True))
        .then(text)
        .otherwise(text.str.replace_all(",", ".", literal=True))
        .cast(pl.Float64, strict=False)
        .alias("value"),
        (pl.col("x").is_null() | (text == "")).alias("empty"),
    )
    value = frame.get_column("value")
    if not (frame.get_column("empty") | value.is_finite().fill_null(False)).all():
        return None
    numbers: FloatArray = value.fill_null(math.nan).to_numpy()
    return numbers


def parse_number(column: Column, name: str, log: ProblemLog) -> tuple[FloatArray, BoolArray]:
    """Numbers from numbers or text; returns the values and a mask of unreadable entries."""
    series = _text_series(column)
    if series is not None:
        bulk = _bulk_numbers(series)
        if bulk is not None:
            return bulk, np.zeros(bulk.shape[0], dtype=bool)
    array = np.asarray(column)
    n = array.shape[0]
    if array.dtype.kind in "fiub":
        values = array.astype(np.float64)
        bad = np.isinf(values)
        if bad.any():
            log.add(name, Problem.NOT_FINITE, bad, array)
            values[bad] = np.nan
        return values, bad
    text = _text_array(array)
    empty = text == ""
    comma = np.strings.find(text, ",") >= 0
    if comma.any():
        text = np.where(
            comma & (np.strings.find(text, ".") < 0), np.strings.replace(text, ",", "."), text
        )
    text = np.where(empty, "nan", text)
    try:
        values = text.astype(np.float64)
    except ValueError:
        values = np.empty(n, dtype=np.float64)
        for i, item in enumerate(text):
            try:
                values[i] = float(item)
            except ValueError:
                values[i] = np.inf  # marked unreadable below
    named_nan = ~empty & np.isnan(values)
    unreadable = np.isinf(values) & ~np.isin(text, ("inf", "+inf", "-inf", "infinity", "-infinity"))
    not_finite = (np.isinf(values) & ~unreadable) | named_nan
    if unreadable.any():
        log.add(name, Problem.UNREADABLE_NUMBER, unreadable, array)
    if not_finite.any():
        log.add(name, Problem.NOT_FINITE, not_finite, array)
    bad = unreadable | not_finite
    values[bad] = np.nan
    return values, bad


def _spelling(value: Any) -> str:
    """A typed value as the lower-case, stripped word it is looked up by."""
    return _display(value).strip().lower()


def _parse_codes(
    column: Column, lookup: Mapping[str, Any], default: Any
) -> tuple[npt.NDArray[Any], BoolArray]:
    """Map spellings to codes; returns codes and a mask of unknown, non-empty spellings."""
    if isinstance(column, np.ndarray) and column.dtype.kind in "fiub":
        values = column.astype(np.float64)
        codes = np.full(values.shape[0], default)
        known = np.zeros(values.shape[0], dtype=bool)
        for number, code in _numeric_words(lookup).items():
            hit = values == number
            codes[hit] = code
            known |= hit
        return codes, ~known & ~np.isnan(values)
    distinct, positions = _factorize(column)
    words = [_spelling(v) for v in distinct]
    codes_of = np.array([lookup.get(w, default) for w in words] + [default])
    unknown_of = np.array([w != "" and w not in lookup for w in words] + [False])
    return codes_of[positions], unknown_of[positions]


def _numeric_words(lookup: Mapping[str, Any]) -> dict[float, Any]:
    """The spellings that are numbers (1, 2, 1.0...), once per distinct number."""
    numbers: dict[float, Any] = {}
    for word, code in lookup.items():
        try:
            numbers.setdefault(float(word), code)
        except ValueError:
            continue
    return numbers


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y")


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return _parse_date(value.astype("datetime64[D]").item())
    text = str(value).strip()
    if " " in text:  # "2024-01-31 00:00:00" from a spreadsheet
        text = text.split(" ", 1)[0]
    if "T" in text:
        text = text.split("T", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


_EPOCH = dt.date(1970, 1, 1)


def parse_dates(column: Column, name: str, log: ProblemLog) -> tuple[FloatArray, BoolArray]:
    """Dates as day numbers since 1970-01-01 (float, NaN where missing or unreadable)."""
    if isinstance(column, np.ndarray) and column.dtype.kind == "M":
        days = column.astype("datetime64[D]").astype(np.int64).astype(np.float64)
        days[np.isnat(column)] = np.nan
        return days, np.zeros(column.shape[0], dtype=bool)
    distinct, positions = _factorize(column)
    values = np.full(len(distinct) + 1, np.nan)
    unknown = np.zeros(len(distinct) + 1, dtype=bool)
    for j, value in enumerate(distinct):
        if _display(value).strip() == "":
            continue
        parsed = _parse_date(value)
        if parsed is None:
            unknown[j] = True
        else:
            values[j] = float((parsed - _EPOCH).days)
    bad = unknown[positions]
    if bad.any():
        log.add(name, Problem.UNREADABLE_DATE, bad, column)
    return values[positions], bad


def read_inputs(columns: Mapping[str, Any]) -> Inputs:
    """Clean every input column; unknown columns are ignored, missing ones are all-missing."""
    names = normalise_names(columns)
    scalars = {key for key, name in names.items() if _is_scalar(columns[name])}
    arrays = {key: _as_array(columns[names[key]]) for key in names if key not in scalars}
    lengths = {key: len(a) for key, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{names[k]}={v}" for k, v in lengths.items())
        raise ValueError(f"all columns must have the same length ({detail})")
    n = next(iter(lengths.values())) if lengths else 1
    for key in scalars:  # a single value applies to every row, as in WHO's anthro
        arrays[key] = np.full(n, columns[names[key]], dtype=object)
    log = ProblemLog()
    invalid: dict[str, BoolArray] = {}

    # Absent columns share one read-only all-NaN array and one all-False mask.
    absent = np.full(n, np.nan)
    absent.flags.writeable = False
    clean = np.zeros(n, dtype=bool)
    clean.flags.writeable = False

    def numbers(key: str) -> FloatArray:
        if key not in arrays:
            invalid[key] = clean
            return absent
        values, bad = parse_number(arrays[key], names[key], log)
        invalid[key] = bad
        return values

    sex = np.zeros(n, dtype=np.int8)
    invalid["sex"] = clean
    if "sex" in arrays:
        codes, unknown = _parse_codes(arrays["sex"], _SEX_LOOKUP, 0)
        sex = codes.astype(np.int8)
        log.add(names["sex"], Problem.UNKNOWN_SEX, unknown, arrays["sex"])
        invalid["sex"] = unknown
    measure = np.zeros(n, dtype=np.int8)
    if "measure" in arrays:
        codes, unknown = _parse_codes(arrays["measure"], _MEASURE_LOOKUP, 0)
        measure = codes.astype(np.int8)
        log.add(names["measure"], Problem.UNKNOWN_MEASURE, unknown, arrays["measure"])
    oedema = np.zeros(n, dtype=bool)
    if "oedema" in arrays:
        codes, unknown = _parse_codes(arrays["oedema"], _OEDEMA_LOOKUP, False)
        oedema = codes.astype(bool)
        log.add(names["oedema"], Problem.UNKNOWN_OEDEMA, unknown, arrays["oedema"])

    age_days = numbers("age_days")
    months_in = numbers("age_months")
    weight = numbers("weight")
    lenhei = numbers("lenhei")
    headc = numbers("headc")
    armc = numbers("armc")
    triskin = numbers("triskin")
    subskin = numbers("subskin")

    # Age: age_days where given, else age_months, else visit_date - birth_date.
    age_bad = invalid["age_days"] | invalid["age_months"]
    days_in = age_days
    age_months = age_days / DAYS_PER_MONTH
    use_months = np.isnan(age_days) & ~np.isnan(months_in)
    if use_months.any():
        age_months[use_months] = months_in[use_months]
        age_days = np.where(use_months, months_in * DAYS_PER_MONTH, age_days)
    if "birth_date" in arrays and "visit_date" in arrays:
        birth, bad_birth = parse_dates(arrays["birth_date"], names["birth_date"], log)
        visit, bad_visit = parse_dates(arrays["visit_date"], names["visit_date"], log)
        age_bad = age_bad | bad_birth | bad_visit
        from_dates = np.isnan(age_days) & ~np.isnan(birth) & ~np.isnan(visit)
        span = visit - birth
        age_days = np.where(from_dates, span, age_days)
        age_months = np.where(from_dates, span / DAYS_PER_MONTH, age_months)
        before = from_dates & (span < 0)
        log.add(names["visit_date"], Problem.VISIT_BEFORE_BIRTH, before, arrays["visit_date"])
    if "age_days" in arrays:
        log.add(names["age_days"], Problem.NEGATIVE_AGE, days_in < 0, arrays["age_days"])
    if "age_months" in arrays:
        log.add(
            names["age_months"],
            Problem.NEGATIVE_AGE,
            use_months & (months_in < 0),
            arrays["age_months"],
        )
    invalid["age"] = age_bad
    for key, values in (
        ("weight", weight),
        ("lenhei", lenhei),
        ("headc", headc),
        ("armc", armc),
        ("triskin", triskin),
        ("subskin", subskin),
    ):
        if key in arrays:
            log.add(names[key], Problem.NOT_POSITIVE, values <= 0, arrays[key])
    return Inputs(
        n=n,
        sex=sex,
        age_days=age_days,
        age_months=age_months,
        weight=weight,
        lenhei=lenhei,
        headc=headc,
        armc=armc,
        triskin=triskin,
        subskin=subskin,
        measure=measure,
        oedema=oedema,
        invalid=invalid,
        names=names,
        problems=log,
        absent=absent,
    )
