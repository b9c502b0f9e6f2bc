"""Boundary ownership: at every switch-over the exact value belongs to one side.

Each case names the rule (GROWTH.md / anthro 1.1.0 / anthroplus 1.0.0) it checks.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tumbuh.growth import zscores
from tumbuh.growth.lms import value_at
from tumbuh.growth.tables import Table, load
from tumbuh.growth.zscore import round_half_up_days, round_like_r


def row(**columns: object) -> dict[str, np.ndarray]:
    return dict(zscores({k: [v] for k, v in columns.items()}))


def median(table_name: Table, sex: int, key: int) -> float:
    return load(table_name).row(sex, key)[1]


# Age rounding: half up (anthro round_up), so 730.5 days is day 731 (height table).
@pytest.mark.parametrize(("days", "whole"), [(730.49, 730), (730.5, 731), (0.5, 1), (0.0, 0)])
def test_age_in_days_rounds_half_up(days: float, whole: int) -> None:
    assert round_half_up_days(np.array([days]))[0] == whole


def test_730_is_length_and_731_is_height() -> None:
    # standing at 730 days: +0.7; lying at 731 days: -0.7; the table row is that day's.
    young = row(sex=1, age_days=730, lenhei=85.0, measure="h")
    old = row(sex=1, age_days=731, lenhei=85.0, measure="l")
    assert young["clenhei"][0] == pytest.approx(85.7)
    assert old["clenhei"][0] == pytest.approx(84.3)
    # weight-for-length at 730 days, weight-for-height at 731 (same 85.0 cm after adjusting)
    wfl = row(sex=1, age_days=730, lenhei=85.0, weight=11.0, measure="l")
    wfh = row(sex=1, age_days=731, lenhei=85.0, weight=11.0, measure="h")
    assert wfl["zwfl"][0] != wfh["zwfl"][0]
    length_m = load(Table.WFL).row(1, 85.0)[1]
    height_m = load(Table.WFH).row(1, 85.0)[1]
    at_length = row(sex=1, age_days=730, lenhei=85.0, weight=length_m, measure="l")
    at_height = row(sex=1, age_days=731, lenhei=85.0, weight=height_m, measure="h")
    assert at_length["zwfl"][0] == 0.0
    assert at_height["zwfl"][0] == 0.0


def test_1826_days_is_who_2006_and_1827_is_who_2007() -> None:
    # 1826 days = 59.99 months (2006 standard), 1827 days = 60.02 months (2007 reference)
    m2006 = median(Table.LHFA, 2, 1826)
    under = row(sex=2, age_days=1826, lenhei=m2006, headc=50.0, armc=16.0)
    over = row(sex=2, age_days=1827, lenhei=m2006, headc=50.0, armc=16.0)
    assert under["zlen"][0] == 0.0
    assert over["zlen"][0] != 0.0 and not np.isnan(over["zlen"][0])
    # indicators without a 2007 reference stop at 60 months
    assert not np.isnan(under["zhc"][0]) and np.isnan(over["zhc"][0])
    assert not np.isnan(under["zac"][0]) and np.isnan(over["zac"][0])


def test_60_months_exactly_uses_the_2007_month_60_row() -> None:
    boys = row(sex=1, age_months=60.0, lenhei=109.7265, weight=18.3328)
    assert boys["zlen"][0] == 0.0
    assert boys["zwei"][0] == 0.0
    just_under = row(sex=1, age_months=59.999, lenhei=109.7265)
    assert just_under["zlen"][0] != 0.0


def test_2007_interpolates_between_months() -> None:
    table = load(Table.HFA_2007)
    m61, m62 = table.row(1, 61)[1], table.row(1, 62)[1]
    s61, s62 = table.row(1, 61)[2], table.row(1, 62)[2]
    midpoint_median = (m61 + m62) / 2
    assert s61 != s62
    assert row(sex=1, age_months=61.5, lenhei=midpoint_median)["zlen"][0] == 0.0


@pytest.mark.parametrize(
    ("column", "zname", "last"), [("lenhei", "zlen", 228.0), ("weight", "zwei", 120.0)]
)
def test_2007_upper_age_limits_are_inclusive(column: str, zname: str, last: float) -> None:
    table = Table.HFA_2007 if zname == "zlen" else Table.WFA_2007
    value = load(table).row(2, int(last))[1]
    at = row(sex=2, age_months=last, **{column: value})
    past = row(sex=2, age_months=last + 0.01, **{column: value})
    assert at[zname][0] == 0.0
    assert np.isnan(past[zname][0])
    assert past[f"reason_{zname}"][0] == "age_out_of_range"


@pytest.mark.parametrize(("days", "has_z"), [(90, False), (91, True), (90.5, True)])
def test_arm_circumference_and_skinfolds_start_at_91_days(days: float, has_z: bool) -> None:
    result = row(sex=1, age_days=days, armc=12.0, triskin=8.0, subskin=7.0)
    for name in ("zac", "zts", "zss"):
        assert (not np.isnan(result[name][0])) is has_z
        if not has_z:
            assert result[f"reason_{name}"][0] == "age_out_of_range"


@pytest.mark.parametrize(
    ("days", "lenhei", "has_z"),
    [(300, 45.0, True), (300, 44.99, False), (600, 110.0, True), (600, 110.01, False),
     (900, 65.0, True), (900, 64.99, False), (1500, 120.0, True), (1500, 120.01, False)],
)  # fmt: skip
def test_weight_for_length_height_table_ends_are_inclusive(days, lenhei, has_z) -> None:
    result = row(
        sex=2, age_days=days, lenhei=lenhei, weight=10.0, measure="l" if days < 731 else "h"
    )
    assert (not np.isnan(result["zwfl"][0])) is has_z
    if not has_z:
        assert result["reason_zwfl"][0] == "out_of_table_range"


def test_weight_for_length_without_age_follows_position_then_87_cm() -> None:
    weight = 12.0
    by_position_l = row(sex=1, lenhei=90.0, weight=weight, measure="l")
    by_position_h = row(sex=1, lenhei=90.0, weight=weight, measure="h")
    below_87 = row(sex=1, lenhei=86.9, weight=weight)
    at_87 = row(sex=1, lenhei=87.0, weight=weight)
    wfl_median = load(Table.WFL).row(1, 90.0)[1]
    wfh_median = load(Table.WFH).row(1, 90.0)[1]
    assert row(sex=1, lenhei=90.0, weight=wfl_median, measure="l")["zwfl"][0] == 0.0
    assert row(sex=1, lenhei=90.0, weight=wfh_median, measure="h")["zwfl"][0] == 0.0
    assert by_position_l["zwfl"][0] != by_position_h["zwfl"][0]
    assert row(sex=1, lenhei=86.9, weight=load(Table.WFL).row(1, 86.9)[1])["zwfl"][0] == 0.0
    assert row(sex=1, lenhei=87.0, weight=load(Table.WFH).row(1, 87.0)[1])["zwfl"][0] == 0.0
    assert not np.isnan(below_87["zwfl"][0]) and not np.isnan(at_87["zwfl"][0])
    # no age-based indicator without an age
    assert np.isnan(by_position_l["zwei"][0])
    assert by_position_l["reason_zwei"][0] == "missing_age"


def test_weight_for_length_interpolates_on_the_01_cm_grid() -> None:
    table = load(Table.WFL)
    lo, hi = table.row(2, 70.3), table.row(2, 70.4)
    mid = tuple((a + b) / 2 for a, b in zip(lo, hi, strict=True))
    weight = float(value_at(1.0, *mid))
    assert row(sex=2, age_days=300, lenhei=70.35, weight=weight)["zwfl"][0] == 1.0


@pytest.mark.parametrize(("months", "c9mo"), [(8.99, 1.0), (9.0, 0.0)])
def test_standing_rule_switches_at_9_months(months: float, c9mo: float) -> None:
    result = zscores({"sex": [1], "age_months": [months], "lenhei": [70.0], "measure": ["h"]})
    assert result["c9mo"][0] == c9mo
    assert result["clenhei"][0] == pytest.approx(70.0 if c9mo else 70.7)
    if c9mo:
        assert result.problems()[0].problem.code == "standing_under_9_months"


def test_length_flag_is_above_6_on_the_rounded_value() -> None:
    # |zlen| > 6 is flagged (anthro); 6.004 rounds to 6.00 and is not flagged.
    l, m, s = load(Table.LHFA).row(1, 400)
    lengths = [float(value_at(z, l, m, s)) for z in (6.0, 6.004, 6.02, -6.02)]
    result = zscores({"sex": 1, "age_days": 400, "lenhei": lengths, "measure": "l"})
    assert list(result["zlen"]) == [6.0, 6.0, 6.02, -6.02]
    assert list(result["flen"]) == [0.0, 0.0, 1.0, 1.0]


def test_weight_flag_is_below_minus_6_or_above_5() -> None:
    l, m, s = load(Table.WFA).row(1, 400)
    sd2, sd3 = float(value_at(2.0, l, m, s)), float(value_at(3.0, l, m, s))
    sd2n, sd3n = float(value_at(-2.0, l, m, s)), float(value_at(-3.0, l, m, s))
    weights = [
        sd3 + 2.0 * (sd3 - sd2),  # +5.00: not flagged
        sd3 + 2.02 * (sd3 - sd2),  # +5.02: flagged
        sd3n - 3.0 * (sd2n - sd3n),  # -6.00: not flagged
    ]
    result = zscores({"sex": 1, "age_days": 400, "weight": weights})
    assert list(result["zwei"]) == [5.0, 5.02, -6.0]
    assert list(result["fwei"]) == [0.0, 1.0, 0.0]


def test_round_like_r_picks_the_nearer_candidate_and_even_ties() -> None:
    values = np.array([0.125, 0.375, -0.125, 1.005, 2.675, -2.004999, np.nan])
    # 0.125, 0.375 are exact binary ties -> even; 1.005 and 2.675 are stored just below
    expected = np.array([0.12, 0.38, -0.12, 1.0, 2.67, -2.0, np.nan])
    got = round_like_r(values)
    assert np.allclose(got, expected, equal_nan=True)


def _r_round_reference(x: float) -> float:
    """R 4's rule written plainly: the nearer of floor/ceil candidates, ties to even."""
    import math

    low_digits = math.floor(x * 100.0)
    low, high = low_digits / 100.0, (low_digits + 1) / 100.0
    down, up = x - low, high - x
    if down < up:
        return low
    if down > up:
        return high
    return low if low_digits % 2 == 0 else high


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.floats(min_value=-10, max_value=10, allow_nan=False),
        st.integers(min_value=-1000, max_value=1000).map(lambda k: k / 100 + 0.005),
        st.integers(min_value=-1000, max_value=1000).map(lambda k: k / 200),
    )
)
def test_fast_rounding_equals_the_plain_rule(x: float) -> None:
    assert round_like_r(np.array([x]))[0] == _r_round_reference(x)
