"""Inputs as people type them, and a reason for every empty z-score."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tumbuh.growth import Problem, Reason, zscores
from tumbuh.growth.inputs import ProblemLog, _bulk_numbers, parse_number
from tumbuh.growth.reasons import REASON_CODES
from tumbuh.growth.zscore import OUTPUT_COLUMNS


class FakeSeries:
    """Stands in for a pandas/polars column: anything with ``to_numpy``."""

    def __init__(self, values: list[object]) -> None:
        self.values = values

    def to_numpy(self) -> np.ndarray:
        return np.asarray(self.values, dtype=object)


@pytest.mark.parametrize(
    ("spelling", "code"),
    [(1, 1), (2, 2), (1.0, 1), ("1", 1), ("M", 1), ("male", 1), ("L", 1), ("Laki-laki", 1),
     (" laki laki ", 1), ("lk", 1), ("F", 2), ("p", 2), ("Perempuan", 2), ("PR", 2),
     ("female", 2), ("wanita", 2)],
)  # fmt: skip
def test_sex_spellings(spelling: object, code: int) -> None:
    table_median = 49.8842 if code == 1 else 49.1477
    result = zscores({"sex": [spelling], "age_days": [0], "lenhei": [table_median]})
    assert result["zlen"][0] == 0.0


@pytest.mark.parametrize("column_name", ["SEX", "Sex", " sex "])
def test_column_names_are_case_insensitive(column_name: str) -> None:
    result = zscores({column_name: [1], "AGE_DAYS": [0], "LenHei": [49.8842]})
    assert result["zlen"][0] == 0.0


def test_unknown_columns_are_ignored_and_first_spelling_wins() -> None:
    result = zscores({"sex": [1], "SEX": [2], "age_days": [0], "lenhei": [49.8842], "x": [9]})
    assert result["zlen"][0] == 0.0


@pytest.mark.parametrize(
    ("measure", "clenhei"),
    [("l", 80.0), ("L", 80.0), ("berbaring", 80.0), ("PB", 80.0), ("h", 80.7),
     ("Berdiri", 80.7), ("tb", 80.7), ("standing", 80.7), ("", 80.0), (None, 80.0)],
)  # fmt: skip
def test_measure_spellings(measure: object, clenhei: float) -> None:
    result = zscores({"sex": [1], "age_days": [400], "lenhei": [80.0], "measure": [measure]})
    assert result["clenhei"][0] == pytest.approx(clenhei)


@pytest.mark.parametrize(
    ("oedema", "empty"),
    [("y", True), ("Ya", True), ("1", True), (1, True), ("n", False), ("tidak", False),
     (2, False), ("", False), (None, False), (True, True), (False, False)],
)  # fmt: skip
def test_oedema_spellings(oedema: object, empty: bool) -> None:
    result = zscores({"sex": [1], "age_days": [400], "weight": [9.0], "oedema": [oedema]})
    assert bool(np.isnan(result["zwei"][0])) is empty
    assert (result["reason_zwei"][0] == "oedema") is empty


def test_text_numbers_with_comma_or_point() -> None:
    result = zscores(
        {"sex": ["1", "1", "1"], "age_days": ["400", "400", ""], "weight": ["9,5", "9.5", "9,5"]}
    )
    assert result["zwei"][0] == result["zwei"][1]
    assert np.isnan(result["zwei"][2])
    assert result["reason_zwei"][2] == "missing_age"
    assert result.problem_count == 0


def test_unreadable_values_are_reported_with_row_and_column() -> None:
    result = zscores(
        {
            "Sex": ["1", "x", "2", "1"],
            "age_days": ["400", "400", "abc", "400"],
            "Weight": ["9", "9", "9", "sembilan"],
            "measure": ["l", "z", "l", "l"],
            "oedema": ["n", "n", "maybe", "n"],
        }
    )
    problems = [(p.row, p.column, p.value, p.problem) for p in result.problems()]
    assert (1, "Sex", "x", Problem.UNKNOWN_SEX) in problems
    assert (1, "measure", "z", Problem.UNKNOWN_MEASURE) in problems
    assert (2, "age_days", "abc", Problem.UNREADABLE_NUMBER) in problems
    assert (2, "oedema", "maybe", Problem.UNKNOWN_OEDEMA) in problems
    assert (3, "Weight", "sembilan", Problem.UNREADABLE_NUMBER) in problems
    assert list(result.problem_rows()) == [1, 2, 3]
    assert list(result["reason_zwei"]) == ["", "invalid_value", "invalid_value", "invalid_value"]
    assert all(p.message for p in result.problems())


def test_not_positive_and_not_finite_values() -> None:
    result = zscores(
        {"sex": [1, 1, 1, 1], "age_days": [400] * 4, "weight": ["0", "-2", "inf", "nan"]}
    )
    assert list(result["reason_zwei"]) == [
        "measurement_not_positive",
        "measurement_not_positive",
        "invalid_value",
        "invalid_value",
    ]
    kinds = {p.problem for p in result.problems()}
    assert kinds == {Problem.NOT_POSITIVE, Problem.NOT_FINITE}


def test_numeric_infinity_is_invalid() -> None:
    result = zscores({"sex": [1, 1], "age_days": [400, 400], "weight": [np.inf, 9.0]})
    assert result["reason_zwei"][0] == "invalid_value"
    assert not np.isnan(result["zwei"][1])


@pytest.mark.parametrize(
    "birth",
    ["2024-01-31", "31/01/2024", "31-01-2024", "2024/01/31", "31.01.2024",
     dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 8, 0), "2024-01-31 00:00:00",
     "2024-01-31T00:00:00", np.datetime64("2024-01-31")],
)  # fmt: skip
def test_dates_in_the_formats_people_use(birth: object) -> None:
    result = zscores(
        {"sex": [1], "birth_date": [birth], "visit_date": ["2025-01-31"], "weight": [9.0]}
    )
    by_days = zscores({"sex": [1], "age_days": [366], "weight": [9.0]})
    assert result["zwei"][0] == by_days["zwei"][0]


def test_datetime64_columns() -> None:
    birth = np.array(["2024-01-31", "NaT"], dtype="datetime64[D]")
    visit = np.array(["2025-01-31", "2025-01-31"], dtype="datetime64[D]")
    result = zscores({"sex": [1, 1], "birth_date": birth, "visit_date": visit, "weight": [9, 9]})
    assert not np.isnan(result["zwei"][0])
    assert result["reason_zwei"][1] == "missing_age"


def test_bad_dates_and_visit_before_birth() -> None:
    result = zscores(
        {
            "sex": [1, 1, 1],
            "birth_date": ["2024-02-30", "2024-01-01", ""],
            "visit_date": ["2025-01-01", "2023-12-01", "2025-01-01"],
            "weight": [9, 9, 9],
        }
    )
    problems = {(p.row, p.problem) for p in result.problems()}
    assert (0, Problem.UNREADABLE_DATE) in problems
    assert (1, Problem.VISIT_BEFORE_BIRTH) in problems
    assert list(result["reason_zwei"]) == ["invalid_value", "negative_age", "missing_age"]


def test_age_days_wins_over_months_and_dates() -> None:
    result = zscores(
        {
            "sex": [1, 1, 1],
            "age_days": [400, None, None],
            "age_months": [99, 400 / 30.4375, None],
            "birth_date": ["2020-01-01", "2020-01-01", "2024-01-01"],
            "visit_date": ["2025-01-01", "2025-01-01", "2025-02-04"],
            "weight": [9, 9, 9],
        }
    )
    assert result["zwei"][0] == result["zwei"][1] == result["zwei"][2]


def test_negative_ages_are_reported() -> None:
    result = zscores({"sex": [1, 1], "age_days": [-1, None], "age_months": [None, -2], "weight": 9})
    assert list(result["reason_zwei"]) == ["negative_age", "negative_age"]
    assert [p.problem for p in result.problems()] == [Problem.NEGATIVE_AGE] * 2
    assert result["reason_zwfl"][0] == "negative_age"


def test_series_like_inputs_and_scalars_broadcast() -> None:
    result = zscores({"sex": FakeSeries([1, 2]), "age_days": 400, "weight": FakeSeries([9, 9])})
    assert result.rows == 2
    assert result["zwei"][0] != result["zwei"][1]


def test_columns_of_different_length_or_shape_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        zscores({"sex": [1, 2], "age_days": [1, 2, 3]})
    with pytest.raises(ValueError, match="one-dimensional"):
        zscores({"sex": [[1, 2]], "age_days": [[1, 2]]})


def test_empty_input_gives_empty_columns() -> None:
    result = zscores({"sex": [], "age_days": [], "weight": []})
    assert result.rows == 0
    assert all(result[name].shape == (0,) for name in OUTPUT_COLUMNS)


def test_result_is_a_mapping_of_every_output_column() -> None:
    result = zscores({"sex": [1], "age_days": [400], "weight": [9.0]})
    assert list(result) == list(OUTPUT_COLUMNS)
    assert len(result) == len(OUTPUT_COLUMNS)
    assert dict(result).keys() == set(OUTPUT_COLUMNS)
    assert result.provenance.engine.startswith("tumbuh.growth ")
    assert result.provenance.as_dict()["standard_under5"] == "WHO Child Growth Standards 2006"


# One row per reason: each reason code is produced where the rules say.
REASON_CASES = [
    ({"sex": 1, "age_days": 400, "weight": 9.0}, "zwei", Reason.OK),
    ({"sex": "?", "age_days": 400, "weight": 9.0}, "zwei", Reason.INVALID_VALUE),
    ({"sex": None, "age_days": 400, "weight": 9.0}, "zwei", Reason.MISSING_SEX),
    ({"sex": 1, "weight": 9.0}, "zwei", Reason.MISSING_AGE),
    ({"sex": 1, "age_days": -5, "weight": 9.0}, "zwei", Reason.NEGATIVE_AGE),
    ({"sex": 1, "age_days": 50, "armc": 9.0}, "zac", Reason.AGE_OUT_OF_RANGE),
    ({"sex": 1, "age_days": 400}, "zwei", Reason.MISSING_MEASUREMENT),
    ({"sex": 1, "age_days": 400, "weight": 0}, "zwei", Reason.NOT_POSITIVE),
    ({"sex": 1, "age_days": 400, "weight": 9.0, "oedema": "y"}, "zwei", Reason.OEDEMA),
    ({"sex": 1, "age_days": 400, "weight": 9.0, "lenhei": 40}, "zwfl", Reason.OUT_OF_TABLE),
    ({"sex": 1, "age_days": 400, "weight": 9.0, "lenhei": 0}, "zwfl", Reason.NOT_POSITIVE),
    ({"sex": 1, "age_days": 400, "weight": 9.0}, "zwfl", Reason.MISSING_MEASUREMENT),
    ({"sex": 1, "age_days": 400, "lenhei": 75}, "zbmi", Reason.MISSING_MEASUREMENT),
    ({"sex": 1, "age_days": 2000, "weight": 9.0, "lenhei": 100}, "zwfl", Reason.AGE_OUT_OF_RANGE),
    ({"sex": 1, "age_days": 2000, "headc": 50}, "zhc", Reason.AGE_OUT_OF_RANGE),
    ({"sex": 1, "age_days": 400, "weight": 9, "lenhei": "x"}, "zbmi", Reason.INVALID_VALUE),
]


@pytest.mark.parametrize(("columns", "column", "reason"), REASON_CASES)
def test_reason_codes(columns: dict[str, object], column: str, reason: Reason) -> None:
    result = zscores(columns)
    assert result.reason_codes[column][0] == reason
    assert result[f"reason_{column}"][0] == reason.code
    assert bool(np.isnan(result[column][0])) is (reason is not Reason.OK)
    assert bool(reason.message) is (reason is not Reason.OK)


def test_every_reason_and_problem_has_a_code_and_an_indonesian_message() -> None:
    assert list(REASON_CODES) == [r.code for r in Reason]
    assert len({r.code for r in Reason}) == len(Reason)
    for problem in Problem:
        assert problem.code == problem.name.lower()
        assert problem.message


def test_without_a_sex_column_nothing_age_based_is_computed_and_nothing_is_reported() -> None:
    result = zscores({"age_days": [400], "weight": [9.0]})
    assert result["reason_zwei"][0] == "missing_sex"
    assert result.problem_count == 0
    assert list(result.problem_rows()) == []


def test_problem_values_are_shown_as_typed() -> None:
    stamp = np.datetime64("2025-01-31")
    result = zscores(
        {
            "sex": [None, "?", 1],
            "birth_date": [stamp, "kemarin", None],
            "visit_date": ["2024-01-01", "x", "2025-01-01"],
        }
    )
    shown = {(p.row, p.column): p.value for p in result.problems()}
    assert shown[(1, "sex")] == "?"
    assert shown[(1, "birth_date")] == "kemarin"
    assert shown[(0, "visit_date")] == "2024-01-01"  # visit before birth, shown as typed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet="0123456789.,-+eE infa_ \t", max_size=8),
            st.floats(allow_nan=True, allow_infinity=True).map(str),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_bulk_number_path_reads_exactly_what_the_careful_path_reads(
    values: list[str | None],
) -> None:
    """Text read in polars gives the same numbers as the per-value path, or defers to it."""
    series = pl.Series("x", values, dtype=pl.String)
    bulk = _bulk_numbers(series)
    careful, _ = parse_number(np.asarray(values, dtype=object), "x", ProblemLog())
    if bulk is not None:
        np.testing.assert_array_equal(bulk, careful)
        log = ProblemLog()
        parse_number(np.asarray(values, dtype=object), "x", log)
        assert len(log) == 0  # the bulk path is only taken when nothing is wrong


def test_text_columns_give_the_same_result_as_lists_numpy_and_polars() -> None:
    columns = {
        "sex": ["L", "p", None, "x"],
        "birth_date": ["2024-01-31", "31/01/2024", "", "2024-02-30"],
        "visit_date": ["2025-01-31"] * 4,
        "weight": ["9,5", "9.5", "", "abc"],
        "measure": ["berbaring", "h", None, "?"],
    }
    as_lists = zscores(columns)
    as_numpy = zscores({k: np.asarray(v, dtype=object) for k, v in columns.items()})
    as_polars = zscores({k: pl.Series(k, v, dtype=pl.String) for k, v in columns.items()})
    for other in (as_numpy, as_polars):
        for name in ("zwei", "reason_zwei", "clenhei"):
            np.testing.assert_array_equal(as_lists[name], other[name])
        assert [(p.row, p.column, p.problem) for p in other.problems()] == [
            (p.row, p.column, p.problem) for p in as_lists.problems()
        ]


def test_non_text_series_and_mixed_object_columns() -> None:
    result = zscores(
        {
            "sex": pl.Series([1, 2]),
            "age_days": pl.Series([400.0, 400.0]),
            "weight": np.array([9.0, "9,5"], dtype=object),
            "oedema": np.array([False, "n"], dtype=object),
        }
    )
    assert not np.isnan(result["zwei"]).any()
