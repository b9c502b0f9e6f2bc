"""Permenkes 2/2020 categories: every cut-off, both IMT/U tables, the age rule, NaN and flags.

Expected values are read off the table in DOMAIN.md section 1.1 ("Boundary handling for code")
and the age rule of ADR 0002; z-scores are WHO's values rounded to 2 decimals.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tumbuh.growth.categories import (
    CATEGORY_ORDER,
    IMTU_5_18_END_MONTHS,
    NO_CATEGORY,
    UNDER_FIVE_END_MONTHS,
    Category,
    Index,
    Severity,
    classify,
    classify_one,
    is_stunted,
    labels,
)

C = Category
UNDER_FIVE = 30.0  # an age in months where the 0-60 month tables apply
SCHOOL_AGE = 120.0  # an age where only IMT/U applies, with the 5-18 year table

BOUNDARY_Z = (-3.01, -3.00, -2.01, -2.00, 1.00, 1.01, 2.00, 2.01, 3.00, 3.01)

# One row per z in BOUNDARY_Z, straight from the PMK table.
BOUNDARY_EXPECTED: dict[tuple[Index, float], tuple[Category, ...]] = {
    (Index.BBU, UNDER_FIVE): (
        C.SEVERELY_UNDERWEIGHT,  # -3.01 < -3
        C.UNDERWEIGHT,  # -3.00: -3 <= z < -2
        C.UNDERWEIGHT,  # -2.01
        C.NORMAL_WEIGHT,  # -2.00: -2 <= z <= +1
        C.NORMAL_WEIGHT,  # 1.00
        C.RISK_OVERWEIGHT,  # 1.01: > +1
        C.RISK_OVERWEIGHT,  # 2.00 (not +2 as some implementations have it)
        C.RISK_OVERWEIGHT,  # 2.01
        C.RISK_OVERWEIGHT,  # 3.00
        C.RISK_OVERWEIGHT,  # 3.01
    ),
    (Index.TBU, UNDER_FIVE): (
        C.SEVERELY_STUNTED,
        C.STUNTED,  # -3.00 is pendek, not sangat pendek
        C.STUNTED,
        C.NORMAL_HEIGHT,  # -2.00 is normal
        C.NORMAL_HEIGHT,
        C.NORMAL_HEIGHT,
        C.NORMAL_HEIGHT,
        C.NORMAL_HEIGHT,
        C.NORMAL_HEIGHT,  # 3.00: -2 <= z <= +3
        C.TALL,  # 3.01: > +3
    ),
    (Index.BBTB, UNDER_FIVE): (
        C.SEVERELY_WASTED,
        C.WASTED,
        C.WASTED,
        C.NORMAL,
        C.NORMAL,
        C.POSSIBLE_RISK_OVERWEIGHT,  # 1.01: > +1 to +2
        C.POSSIBLE_RISK_OVERWEIGHT,  # 2.00
        C.OVERWEIGHT,  # 2.01: > +2 to +3
        C.OVERWEIGHT,  # 3.00
        C.OBESE,  # 3.01: > +3
    ),
    (Index.IMTU, UNDER_FIVE): (
        C.SEVERELY_WASTED,
        C.WASTED,
        C.WASTED,
        C.NORMAL,
        C.NORMAL,
        C.POSSIBLE_RISK_OVERWEIGHT,
        C.POSSIBLE_RISK_OVERWEIGHT,
        C.OVERWEIGHT,
        C.OVERWEIGHT,
        C.OBESE,
    ),
    (Index.IMTU, SCHOOL_AGE): (
        C.SEVERELY_THIN,
        C.THIN,
        C.THIN,
        C.NORMAL,
        C.NORMAL,
        C.OVERWEIGHT,  # 1.01: > +1 to +2
        C.OVERWEIGHT,  # 2.00
        C.OBESE,  # 2.01: > +2
        C.OBESE,
        C.OBESE,
    ),
}

BOUNDARY_CASES = [
    pytest.param(index, age, z, expected, id=f"{index}-{age:g}mo-z{z:+.2f}")
    for (index, age), row in BOUNDARY_EXPECTED.items()
    for z, expected in zip(BOUNDARY_Z, row, strict=True)
]


@pytest.mark.parametrize(("index", "age", "z", "expected"), BOUNDARY_CASES)
def test_boundary_scalar(index: Index, age: float, z: float, expected: Category) -> None:
    assert classify_one(index, z, age) is expected


@pytest.mark.parametrize(("index", "age"), list(BOUNDARY_EXPECTED))
def test_boundary_vectorised_matches_table(index: Index, age: float) -> None:
    codes = classify(index, np.array(BOUNDARY_Z), age)
    got = [CATEGORY_ORDER[index][int(c)] for c in codes]
    assert got == list(BOUNDARY_EXPECTED[(index, age)])


# --- Age rule -------------------------------------------------------------------------------

AGES = (0.0, 59.99, 60.0, 216.99, 217.0, math.nan, -0.01)
AGE_EXPECTED: dict[Index, tuple[Category | None, ...]] = {
    # z = -2.50 (the middle-low band) at each age in AGES
    Index.BBU: (C.UNDERWEIGHT, C.UNDERWEIGHT, None, None, None, None, None),
    Index.TBU: (C.STUNTED, C.STUNTED, None, None, None, None, None),
    # BB/TB needs no age: a missing age uses the 0-60 table; a known age >= 60 gives none.
    Index.BBTB: (C.WASTED, C.WASTED, None, None, None, C.WASTED, None),
    Index.IMTU: (C.WASTED, C.WASTED, C.THIN, C.THIN, None, None, None),
}


@pytest.mark.parametrize(
    ("index", "age", "expected"),
    [
        pytest.param(index, age, expected, id=f"{index}-{age:g}mo")
        for index, row in AGE_EXPECTED.items()
        for age, expected in zip(AGES, row, strict=True)
    ],
)
def test_age_rule(index: Index, age: float, expected: Category | None) -> None:
    assert classify_one(index, -2.5, age) is expected
    code = int(classify(index, -2.5, age))
    assert code == (NO_CATEGORY if expected is None else CATEGORY_ORDER[index].index(expected))


def test_age_constants_are_the_adr_values() -> None:
    assert UNDER_FIVE_END_MONTHS == 60.0
    assert IMTU_5_18_END_MONTHS == 217.0


@pytest.mark.parametrize(
    ("z", "at_59_99", "at_60"),
    [
        # 59.99 months still belongs to the 0-60 table, 60.00 already to the 5-18 table.
        (1.5, C.POSSIBLE_RISK_OVERWEIGHT, C.OVERWEIGHT),
        (2.5, C.OVERWEIGHT, C.OBESE),
        (-3.5, C.SEVERELY_WASTED, C.SEVERELY_THIN),
        (0.0, C.NORMAL, C.NORMAL),
    ],
)
def test_imtu_table_switch_at_60_months(z: float, at_59_99: Category, at_60: Category) -> None:
    assert classify_one(Index.IMTU, z, 59.99) is at_59_99
    assert classify_one(Index.IMTU, z, 60.0) is at_60


def test_missing_age_as_none() -> None:
    assert classify_one(Index.BBTB, 3.5, None) is C.OBESE
    assert classify_one(Index.BBU, 0.0, None) is None
    assert classify_one(Index.IMTU, 0.0, None) is None


# --- NaN, missing and flagged z -------------------------------------------------------------


@pytest.mark.parametrize("index", list(Index))
def test_nan_or_missing_z_gives_no_category(index: Index) -> None:
    assert classify_one(index, None, UNDER_FIVE) is None
    assert classify_one(index, math.nan, UNDER_FIVE) is None
    assert int(classify(index, math.nan, math.nan)) == NO_CATEGORY


@pytest.mark.parametrize("index", list(Index))
def test_flagged_z_gives_no_category(index: Index) -> None:
    assert classify_one(index, 0.0, UNDER_FIVE, flagged=True) is None
    assert classify_one(index, 0.0, UNDER_FIVE, flagged=False) is not None


def test_flag_array_masks_only_flagged_rows() -> None:
    z = np.array([-3.5, -2.5, 0.0, 3.5])
    flags = np.array([False, True, False, True])
    codes = classify(Index.TBU, z, UNDER_FIVE, flags)
    assert codes.tolist() == [0, NO_CATEGORY, 2, NO_CATEGORY]
    # a scalar flag broadcasts over every row
    assert classify(Index.TBU, z, UNDER_FIVE, True).tolist() == [NO_CATEGORY] * 4
    assert classify(Index.TBU, z, UNDER_FIVE, [0, 0, 0, 0]).tolist() == [0, 1, 2, 3]


def test_result_is_int8_and_broadcasts() -> None:
    z = np.array([[-3.5, 0.0], [1.5, 3.5]])
    ages = np.array([30.0, 90.0])  # per column
    codes = classify(Index.IMTU, z, ages)
    assert codes.dtype == np.int8
    assert codes.shape == (2, 2)
    order = CATEGORY_ORDER[Index.IMTU]
    assert [order[int(c)] for c in codes.ravel()] == [
        C.SEVERELY_WASTED,
        C.NORMAL,
        C.POSSIBLE_RISK_OVERWEIGHT,
        C.OBESE,
    ]


def test_plain_lists_and_string_index_are_accepted() -> None:
    # Callers outside typed code (forms, CSV imports) pass the enum's string value.
    tbu, bbu = "tbu", "bbu"
    codes = classify(tbu, [-2.01, -2.0, None], [12.0, 12.0, 12.0])  # type: ignore[arg-type]
    assert codes.tolist() == [1, 2, NO_CATEGORY]
    assert classify_one(bbu, -3.0, 1.0) is C.UNDERWEIGHT  # type: ignore[arg-type]


# --- Labels ---------------------------------------------------------------------------------

EXPECTED_LABELS = {
    C.SEVERELY_UNDERWEIGHT: "Berat badan sangat kurang",
    C.UNDERWEIGHT: "Berat badan kurang",
    C.NORMAL_WEIGHT: "Berat badan normal",
    C.RISK_OVERWEIGHT: "Risiko berat badan lebih",
    C.SEVERELY_STUNTED: "Sangat pendek",
    C.STUNTED: "Pendek",
    C.NORMAL_HEIGHT: "Normal",
    C.TALL: "Tinggi",
    C.SEVERELY_WASTED: "Gizi buruk",
    C.WASTED: "Gizi kurang",
    C.NORMAL: "Gizi baik",
    C.POSSIBLE_RISK_OVERWEIGHT: "Berisiko gizi lebih",
    C.OVERWEIGHT: "Gizi lebih",
    C.OBESE: "Obesitas",
    C.SEVERELY_THIN: "Gizi buruk",
    C.THIN: "Gizi kurang",
}


def test_every_category_has_its_pmk_label() -> None:
    assert set(EXPECTED_LABELS) == set(Category)
    for category, label in EXPECTED_LABELS.items():
        assert category.label == label


def test_category_codes_are_stable() -> None:
    assert [c.value for c in Category] == [
        "severely_underweight",
        "underweight",
        "normal_weight",
        "risk_overweight",
        "severely_stunted",
        "stunted",
        "normal_height",
        "tall",
        "severely_wasted",
        "wasted",
        "normal",
        "possible_risk_overweight",
        "overweight",
        "obese",
        "severely_thin",
        "thin",
    ]
    assert [i.value for i in Index] == ["bbu", "tbu", "bbtb", "imtu"]


def test_problem_flags_and_severity() -> None:
    not_problems = {C.NORMAL_WEIGHT, C.NORMAL_HEIGHT, C.NORMAL, C.TALL}
    for category in Category:
        assert category.is_problem is (category not in not_problems)
    assert C.SEVERELY_STUNTED.severity > C.STUNTED.severity > C.NORMAL_HEIGHT.severity
    assert C.OBESE.severity > C.OVERWEIGHT.severity > C.POSSIBLE_RISK_OVERWEIGHT.severity
    assert C.RISK_OVERWEIGHT.severity is Severity.RISK
    assert C.TALL.severity is Severity.NONE
    assert C.SEVERELY_THIN.severity is Severity.SEVERE


def test_category_order_covers_every_category() -> None:
    assert set(CATEGORY_ORDER) == set(Index)
    used = {c for order in CATEGORY_ORDER.values() for c in order}
    assert used == set(Category)


def test_labels_maps_codes_and_no_category() -> None:
    codes = classify(Index.TBU, [-3.5, -2.5, 0.0, 3.5, math.nan], UNDER_FIVE)
    got = labels(Index.TBU, codes)
    assert got.dtype == np.object_
    assert got.tolist() == ["Sangat pendek", "Pendek", "Normal", "Tinggi", ""]


def test_labels_keeps_shape_and_handles_empty() -> None:
    codes = np.array([[0, -1], [6, 7]], dtype=np.int8)
    assert labels(Index.IMTU, codes).tolist() == [["Gizi buruk", ""], ["Gizi lebih", "Obesitas"]]
    assert labels(Index.BBU, np.array([], dtype=np.int8)).shape == (0,)


@pytest.mark.parametrize("bad", [[-2], [4], [0, 1, 2, 3, 4]])
def test_labels_rejects_out_of_range_codes(bad: list[int]) -> None:
    with pytest.raises(ValueError, match=r"-1\.\.3"):
        labels(Index.BBU, bad)


def test_labels_rejects_non_integer_codes() -> None:
    with pytest.raises(TypeError, match="integers"):
        labels(Index.BBU, [0.0, 1.0])


# --- is_stunted -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "age", "flagged", "expected"),
    [
        (-2.01, 30.0, False, True),
        (-3.01, 30.0, False, True),
        (-3.00, 30.0, False, True),
        (-2.00, 30.0, False, False),  # -2.00 exactly is normal
        (-2.01, 59.99, False, True),
        (-2.01, 60.0, False, False),  # stunting is an under-five measure
        (-2.01, None, False, False),
        (None, 30.0, False, False),
        (-2.5, 30.0, True, False),
    ],
)
def test_is_stunted(z: float | None, age: float | None, flagged: bool, expected: bool) -> None:
    assert is_stunted(z, age, flagged) is expected


# --- Properties -----------------------------------------------------------------------------

rounded_z = st.integers(min_value=-700, max_value=700).map(lambda k: k / 100)
ages = st.one_of(
    st.floats(min_value=-5.0, max_value=240.0, allow_nan=False),
    st.sampled_from([0.0, 59.99, 60.0, 216.99, 217.0]),
    st.just(math.nan),
)


@given(st.sampled_from(list(Index)), rounded_z, rounded_z, ages)
def test_category_is_monotonic_in_z(index: Index, z1: float, z2: float, age: float) -> None:
    low, high = sorted((z1, z2))
    code_low = int(classify(index, low, age))
    code_high = int(classify(index, high, age))
    # z alone never decides whether there is a category; the age does
    assert (code_low == NO_CATEGORY) == (code_high == NO_CATEGORY)
    assert code_low <= code_high
    # and within the table used, a higher code never means a less severe low-side problem
    if code_low != NO_CATEGORY and high <= 0.0:
        order = CATEGORY_ORDER[index]
        assert order[code_low].severity >= order[code_high].severity


@given(
    st.sampled_from(list(Index)),
    hnp.arrays(
        np.float64,
        st.integers(min_value=0, max_value=40),
        elements=st.one_of(rounded_z, st.just(math.nan)),
    ),
    st.data(),
)
def test_vectorised_and_scalar_agree(
    index: Index, z: np.ndarray[tuple[int], np.dtype[np.float64]], data: st.DataObject
) -> None:
    n = z.shape[0]
    age = data.draw(hnp.arrays(np.float64, n, elements=ages))
    flags = data.draw(hnp.arrays(np.bool_, n))
    codes = classify(index, z, age, flags)
    assert codes.shape == (n,)
    for i in range(n):
        scalar = classify_one(index, float(z[i]), float(age[i]), bool(flags[i]))
        code = int(codes[i])
        assert scalar == (None if code == NO_CATEGORY else CATEGORY_ORDER[index][code])
