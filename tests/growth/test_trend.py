"""Weight trend (B/N/T/O, 2T, KBM) and plausibility warnings over hand-built series.

KBM values: Buku KIA 2023 (DOMAIN.md 1.3). Plausibility thresholds: the module constants.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.trend import (
    DAYS_PER_MONTH,
    LENGTH_DECREASE_TOLERANCE_CM,
    LENGTH_GAIN_MAX_CM_PER_MONTH,
    VELOCITY_MIN_INTERVAL_DAYS,
    WEIGHT_DROP_MAX_PERCENT,
    WEIGHT_DROP_WINDOW_DAYS,
    WEIGHT_GAIN_MAX_KG_PER_MONTH,
    PlausibilityCode,
    TrendStatus,
    Visit,
    completed_months,
    kbm_grams,
    plausibility,
    weight_trend,
)

D = dt.date
S = TrendStatus
P = PlausibilityCode
BIRTH = D(2024, 1, 10)


def statuses(birth: dt.date, visits: list[Visit]) -> list[str]:
    return [p.status.value + ("2" if p.two_t else "") for p in weight_trend(birth, visits)]


# --- Completed months -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (D(2024, 1, 15), D(2024, 1, 15), 0),
        (D(2024, 1, 15), D(2024, 2, 14), 0),  # one day short
        (D(2024, 1, 15), D(2024, 2, 15), 1),
        (D(2023, 12, 20), D(2024, 1, 20), 1),  # across the year
        (D(2023, 12, 20), D(2025, 12, 19), 23),
        # day-of-month comparison, no clamping to the end of a short month:
        (D(2024, 1, 31), D(2024, 2, 29), 0),
        (D(2024, 1, 31), D(2024, 3, 1), 1),
        (D(2024, 1, 31), D(2024, 3, 30), 1),
        (D(2024, 1, 31), D(2024, 3, 31), 2),
        (D(2024, 2, 29), D(2025, 2, 28), 11),
        (D(2024, 2, 29), D(2025, 3, 1), 12),
    ],
)
def test_completed_months(birth: dt.date, on: dt.date, months: int) -> None:
    assert completed_months(birth, on) == months


def test_completed_months_rejects_date_before_birth() -> None:
    with pytest.raises(ValueError, match="2024-01-09 is before the birth date 2024-01-10"):
        completed_months(BIRTH, D(2024, 1, 9))


# --- KBM ------------------------------------------------------------------------------------

KBM_ROWS = {0: 800, 1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 300, 11: 300, 12: 200}


@pytest.mark.parametrize(("months", "grams"), [*KBM_ROWS.items(), (24, 200), (59, 200)])
def test_kbm_table(months: int, grams: int) -> None:
    assert kbm_grams(months) == grams


def test_kbm_rejects_negative_age() -> None:
    with pytest.raises(ValueError, match="-1"):
        kbm_grams(-1)


def add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    return D(index // 12, index % 12 + 1, date.day)


@pytest.mark.parametrize(("age", "kbm"), [*KBM_ROWS.items(), (24, 200)])
def test_kbm_row_used_at_each_age_edge(age: int, kbm: int) -> None:
    """At exactly ``age`` completed months the gain must reach that row's KBM."""
    if age == 0:
        # two weighings at 0 completed months, in consecutive calendar months
        birth, previous, current = D(2022, 1, 5), D(2022, 1, 6), D(2022, 2, 4)
    else:
        birth = D(2022, 1, 15)
        current = add_months(birth, age)  # day 15: exactly `age` completed months
        previous = add_months(birth, age - 1).replace(day=20)  # the calendar month before
    base = 6.0
    enough = [Visit(previous, base), Visit(current, base + kbm / 1000)]
    short = [Visit(previous, base), Visit(current, base + (kbm - 10) / 1000)]
    point = weight_trend(birth, enough)[1]
    assert (point.age_months, point.kbm_g, point.gain_g) == (age, kbm, kbm)
    assert point.status is S.N
    assert weight_trend(birth, short)[1].status is S.T


@pytest.mark.parametrize(("age", "kbm_before"), [(1, 800), (2, 800), (3, 900), (7, 400), (12, 300)])
def test_kbm_day_before_the_month_completes(age: int, kbm_before: int) -> None:
    """One day before ``age`` months complete, the previous row still applies."""
    birth = D(2022, 1, 15)
    current = add_months(birth, age).replace(day=14)
    previous = add_months(birth, age - 1).replace(day=1) if age > 1 else D(2022, 1, 16)
    point = weight_trend(birth, [Visit(previous, 5.0), Visit(current, 5.0 + kbm_before / 1000)])[1]
    assert point.age_months == age - 1
    assert point.kbm_g == kbm_before
    assert point.status is S.N


# --- Statuses ---------------------------------------------------------------------------------


def test_first_weighing_is_b_then_n() -> None:
    points = weight_trend(
        BIRTH, [Visit(D(2024, 2, 10), 4.0), Visit(D(2024, 3, 12), 4.9, length_height_cm=55.0)]
    )
    first, second = points
    assert (first.status, first.gain_g, first.previous_date, first.age_months) == (
        S.B,
        None,
        None,
        1,
    )
    assert first.kbm_g == 800
    assert (second.status, second.gain_g, second.previous_date) == (S.N, 900, D(2024, 2, 10))
    assert second.age_months == 2 and second.kbm_g == 900
    assert not first.two_t and not second.two_t


@pytest.mark.parametrize(
    ("second_weight", "gain", "status"),
    [(5.0, 0, S.T), (4.8, -200, S.T), (5.299, 299, S.T), (5.3, 300, S.N), (5.8, 800, S.N)],
)
def test_n_needs_gain_at_least_kbm(second_weight: float, gain: int, status: TrendStatus) -> None:
    birth = D(2023, 1, 1)  # 8 months at the second weighing: KBM 300 g
    points = weight_trend(birth, [Visit(D(2023, 8, 5), 5.0), Visit(D(2023, 9, 5), second_weight)])
    assert points[1].kbm_g == 300
    assert points[1].gain_g == gain
    assert points[1].status is status


def test_gain_is_counted_in_whole_grams() -> None:
    # 9.1 - 8.3 is 0.79999... in floating point; the gain is still exactly 800 g: N.
    birth = D(2024, 1, 1)
    point = weight_trend(birth, [Visit(D(2024, 1, 20), 8.3), Visit(D(2024, 2, 1), 9.1)])[1]
    assert point.gain_g == 800
    assert point.status is S.N


def test_o_when_previous_month_not_weighed() -> None:
    visits = [Visit(D(2024, 2, 10), 4.0), Visit(D(2024, 4, 10), 6.0), Visit(D(2024, 5, 10), 6.1)]
    points = weight_trend(BIRTH, visits)
    assert [p.status for p in points] == [S.B, S.O, S.T]
    assert points[1].gain_g is None and points[1].previous_date is None
    # the month after an O is judged against the O weighing
    assert points[2].previous_date == D(2024, 4, 10) and points[2].gain_g == 100


def test_previous_month_is_by_calendar_not_by_days() -> None:
    # 31 Jan -> 1 Feb: one day, but consecutive months, so judged.
    consecutive = [
        Visit(D(2024, 1, 12), 4.0),
        Visit(D(2024, 1, 31), 4.2),
        Visit(D(2024, 2, 1), 4.3),
    ]
    assert statuses(BIRTH, consecutive) == ["B", "B", "T"]
    # 1 Feb -> 1 Apr skips March: O, although the last weighing was only 60 days earlier.
    skipped = [Visit(D(2024, 2, 1), 4.0), Visit(D(2024, 4, 1), 5.5)]
    assert statuses(BIRTH, skipped) == ["B", "O"]


def test_two_t() -> None:
    weights = [4.0, 4.9, 5.0, 5.1, 5.2, 6.0, 6.0]  # B N T T T N T
    visits = [Visit(D(2024, m, 12), w) for m, w in zip(range(2, 9), weights, strict=True)]
    assert statuses(BIRTH, visits) == ["B", "N", "T", "T2", "T2", "N", "T"]


def test_two_t_chain_broken_by_o() -> None:
    visits = [Visit(D(2024, 2, 12), 4.0), Visit(D(2024, 3, 12), 4.0)]  # B T
    visits += [Visit(D(2024, 5, 12), 4.0), Visit(D(2024, 6, 12), 4.1)]  # O T (not 2T)
    assert statuses(BIRTH, visits) == ["B", "T", "O", "T"]


def test_same_month_weighings_are_judged_against_previous_month() -> None:
    visits = [
        Visit(D(2024, 2, 3), 4.0),
        Visit(D(2024, 3, 2), 4.3),  # vs 4.0: +300 < 900 -> T
        Visit(D(2024, 3, 25), 5.0),  # vs 4.0 (not 4.3): +1000 -> N
        Visit(D(2024, 4, 8), 5.5),  # vs 5.0, the latest March weighing: +500 < 900 -> T
    ]
    points = weight_trend(BIRTH, visits)
    assert [p.status for p in points] == [S.B, S.T, S.N, S.T]
    assert [p.previous_date for p in points] == [None, D(2024, 2, 3), D(2024, 2, 3), D(2024, 3, 25)]
    assert [p.gain_g for p in points] == [None, 300, 1000, 500]
    # April's T follows March's latest weighing (N), so it is not 2T despite March's first T.
    assert not points[3].two_t


def test_same_month_two_t_follows_the_latest_weighing() -> None:
    visits = [
        Visit(D(2024, 2, 3), 4.0),
        Visit(D(2024, 3, 2), 5.0),  # N
        Visit(D(2024, 3, 25), 4.9),  # vs Feb: +900 -> N
        Visit(D(2024, 4, 8), 5.0),  # vs 4.9: T
        Visit(D(2024, 4, 20), 5.1),  # vs 4.9: T (not 2T: March's latest was N)
        Visit(D(2024, 5, 8), 5.2),  # vs 5.1: T after T -> 2T
    ]
    assert statuses(BIRTH, visits) == ["B", "N", "N", "T", "T", "T2"]


def test_all_weighings_in_first_month_are_b() -> None:
    visits = [Visit(D(2024, 1, 12), 3.5), Visit(D(2024, 1, 28), 3.9), Visit(D(2024, 2, 12), 4.4)]
    points = weight_trend(BIRTH, visits)
    assert [p.status for p in points] == [S.B, S.B, S.T]
    assert points[1].previous_date is None and points[1].gain_g is None
    # February is judged against the latest January weighing: +500 g < KBM 800 g at 1 month
    assert points[2].previous_date == D(2024, 1, 28) and points[2].gain_g == 500
    assert points[2].age_months == 1 and points[2].kbm_g == 800


def test_unordered_input_gives_date_order() -> None:
    visits = [Visit(D(2024, 4, 12), 5.5), Visit(D(2024, 2, 12), 4.0), Visit(D(2024, 3, 12), 4.9)]
    points = weight_trend(BIRTH, visits)
    assert [p.date for p in points] == [D(2024, 2, 12), D(2024, 3, 12), D(2024, 4, 12)]
    assert [p.status for p in points] == [S.B, S.N, S.T]
    assert weight_trend(BIRTH, sorted(visits, key=lambda v: v.date)) == points


def test_visits_without_weight_are_skipped() -> None:
    visits = [
        Visit(D(2024, 2, 12), 4.0),
        Visit(D(2024, 3, 12), None, 57.0),  # length only: not a weighing
        Visit(D(2024, 4, 12), 5.5),
    ]
    points = weight_trend(BIRTH, visits)
    assert [(p.date, p.status) for p in points] == [(D(2024, 2, 12), S.B), (D(2024, 4, 12), S.O)]
    assert weight_trend(BIRTH, []) == []
    assert weight_trend(BIRTH, [Visit(D(2024, 2, 1), None, 55.0)]) == []


def test_duplicate_dates_are_rejected() -> None:
    visits = [Visit(D(2024, 2, 12), 4.0), Visit(D(2024, 3, 12), 4.9), Visit(D(2024, 3, 12), 5.0)]
    with pytest.raises(ValueError, match="2024-03-12"):
        weight_trend(BIRTH, visits)
    # even when only one of them has a weight
    with pytest.raises(ValueError, match="same date 2024-02-12"):
        weight_trend(BIRTH, [Visit(D(2024, 2, 12), 4.0), Visit(D(2024, 2, 12), None, 55.0)])
    with pytest.raises(ValueError, match="same date 2024-03-12"):
        plausibility(BIRTH, visits)


def test_weighing_before_birth_is_rejected() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        weight_trend(BIRTH, [Visit(D(2024, 1, 9), 3.0), Visit(D(2024, 2, 12), 4.0)])


def test_status_labels() -> None:
    assert {s: s.label for s in TrendStatus} == {
        S.B: "Baru",
        S.N: "Naik",
        S.T: "Tidak naik",
        S.O: "Tidak ditimbang bulan lalu",
    }
    assert [s.value for s in TrendStatus] == ["B", "N", "T", "O"]


# --- Visit validation -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, math.inf])
def test_visit_rejects_non_positive_or_non_finite(value: float) -> None:
    with pytest.raises(ValueError, match="weight_kg"):
        Visit(D(2024, 2, 1), weight_kg=value)
    with pytest.raises(ValueError, match="length_height_cm"):
        Visit(D(2024, 2, 1), length_height_cm=value)


def test_visit_needs_a_plain_date() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        Visit(dt.datetime(2024, 2, 1, 9, 30), 4.0)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        Visit("2024-02-01", 4.0)  # type: ignore[arg-type]
    assert Visit(D(2024, 2, 1)).weight_kg is None


# --- Plausibility -----------------------------------------------------------------------------


def codes(visits: list[Visit], birth: dt.date = BIRTH) -> list[PlausibilityCode]:
    return [w.code for w in plausibility(birth, visits)]


def test_plausible_series_has_no_warnings() -> None:
    visits = [
        Visit(D(2024, 2, 10), 4.2, 54.0),
        Visit(D(2024, 3, 10), 5.1, 57.5),
        Visit(D(2024, 4, 10), 5.9, 60.0),
        Visit(D(2024, 5, 10), 5.8, 59.2),  # small loss, small length dip: plausible
    ]
    assert plausibility(BIRTH, visits) == []
    assert plausibility(BIRTH, []) == []


def test_before_birth() -> None:
    warnings = plausibility(BIRTH, [Visit(D(2024, 1, 9), 3.0), Visit(BIRTH, 3.1)])
    assert [(w.code, w.dates) for w in warnings] == [(P.BEFORE_BIRTH, (D(2024, 1, 9),))]
    assert "2024-01-09" in warnings[0].message and "2024-01-10" in warnings[0].message
    assert plausibility(BIRTH, [Visit(BIRTH, 3.1)]) == []


@pytest.mark.parametrize(
    ("before", "after", "warned"),
    [
        (75.3, 74.3, False),  # exactly 1.0 cm (0.99999... in floating point): tolerated
        (75.3, 74.29, True),
        (80.0, 78.5, True),
        (80.0, 79.5, False),
    ],
)
def test_length_decrease(before: float, after: float, warned: bool) -> None:
    visits = [Visit(D(2024, 5, 1), None, before), Visit(D(2024, 8, 1), None, after)]
    warnings = plausibility(BIRTH, visits)
    assert [w.code for w in warnings] == ([P.LENGTH_DECREASE] if warned else [])
    if warned:
        assert warnings[0].dates == (D(2024, 5, 1), D(2024, 8, 1))
        assert "turun" in warnings[0].message and f"{before:.1f}".replace(".", ",") in (
            warnings[0].message
        )


def test_adjusted_switch_at_24_months_is_not_a_drop() -> None:
    # lying 85.0 at 23 months; standing 84.6 at 24 months is adjusted +0.7 -> 85.3
    birth = D(2022, 1, 10)
    visits = [Visit(D(2023, 12, 10), 11.0, 85.0), Visit(D(2024, 1, 10), 11.2, 84.6 + 0.7)]
    assert plausibility(birth, visits) == []


@pytest.mark.parametrize(
    ("days", "after", "warned"),
    [
        (30, 9.0, False),  # exactly 10 %
        (30, 8.99, True),
        (WEIGHT_DROP_WINDOW_DAYS, 8.5, True),
        (WEIGHT_DROP_WINDOW_DAYS + 1, 8.5, False),  # a longer interval can be real wasting
        (5, 9.5, False),
    ],
)
def test_weight_drop(days: int, after: float, warned: bool) -> None:
    first = D(2024, 6, 1)
    second = first + dt.timedelta(days=days)
    warnings = plausibility(BIRTH, [Visit(first, 10.0), Visit(second, after)])
    assert [w.code for w in warnings] == ([P.WEIGHT_DROP] if warned else [])
    if warned:
        assert warnings[0].dates == (first, second)
        assert f"dalam {days} hari" in warnings[0].message


def test_weight_drop_message() -> None:
    warnings = plausibility(BIRTH, [Visit(D(2024, 6, 1), 10.0), Visit(D(2024, 7, 1), 8.8)])
    assert warnings[0].message == (
        "Berat badan turun 12,0 % (dari 10,0 kg menjadi 8,8 kg) dalam 30 hari, "
        "antara 2024-06-01 dan 2024-07-01; periksa kembali penimbangan."
    )


def velocity_limit(per_month: float, days: int) -> float:
    return per_month * max(days, VELOCITY_MIN_INTERVAL_DAYS) / DAYS_PER_MONTH


@pytest.mark.parametrize(
    ("days", "gain_kg", "warned"),
    [
        (30, 2.464, False),  # limit 2.5 * 30 / 30.4375 = 2.4641 kg
        (30, 2.465, True),
        (61, 5.010, False),  # limit 5.0103 kg over two months
        (61, 5.011, True),
        (14, 1.149, False),  # limit 1.1499 kg
        (14, 1.150, True),
        (3, 1.149, False),  # under 14 days: same absolute limit as 14 days, not x10
        (3, 1.150, True),
        (1, 0.9, False),  # would be 27 kg/month if scaled up naively
    ],
)
def test_weight_gain_too_fast(days: int, gain_kg: float, warned: bool) -> None:
    assert (gain_kg * 1000 > velocity_limit(WEIGHT_GAIN_MAX_KG_PER_MONTH * 1000, days)) is warned
    first = D(2024, 6, 1)
    second = first + dt.timedelta(days=days)
    warnings = plausibility(BIRTH, [Visit(first, 6.0), Visit(second, 6.0 + gain_kg)])
    assert [w.code for w in warnings] == ([P.WEIGHT_GAIN_TOO_FAST] if warned else [])
    if warned:
        assert warnings[0].dates == (first, second)
        assert "lebih dari 2,5 kg per bulan" in warnings[0].message


@pytest.mark.parametrize(
    ("days", "gain_cm", "warned"),
    [
        (30, 5.91, False),  # limit 6 * 30 / 30.4375 = 5.914 cm
        (30, 5.92, True),
        (14, 2.75, False),  # limit 2.760 cm
        (14, 2.77, True),
        (2, 2.75, False),  # under 14 days: the 14-day absolute limit
        (2, 2.77, True),
        (91, 17.9, False),  # limit 17.94 cm over three months
        (91, 18.0, True),
    ],
)
def test_length_gain_too_fast(days: int, gain_cm: float, warned: bool) -> None:
    assert (gain_cm > velocity_limit(LENGTH_GAIN_MAX_CM_PER_MONTH, days)) is warned
    first = D(2024, 6, 1)
    second = first + dt.timedelta(days=days)
    visits = [Visit(first, None, 60.0), Visit(second, None, round(60.0 + gain_cm, 2))]
    warnings = plausibility(BIRTH, visits)
    assert [w.code for w in warnings] == ([P.LENGTH_GAIN_TOO_FAST] if warned else [])
    if warned:
        assert "lebih dari 6,0 cm per bulan" in warnings[0].message


def test_thresholds_are_the_documented_values() -> None:
    assert LENGTH_DECREASE_TOLERANCE_CM == 1.0
    assert WEIGHT_DROP_MAX_PERCENT == 10
    assert WEIGHT_DROP_WINDOW_DAYS == 45
    assert WEIGHT_GAIN_MAX_KG_PER_MONTH == 2.5
    assert LENGTH_GAIN_MAX_CM_PER_MONTH == 6.0
    assert VELOCITY_MIN_INTERVAL_DAYS == 14
    assert DAYS_PER_MONTH == 30.4375


def test_pairs_skip_visits_without_the_measurement() -> None:
    visits = [
        Visit(D(2024, 6, 1), 10.0, 70.0),
        Visit(D(2024, 6, 15), None, 70.5),  # no weight: the weight pair is 1 Jun -> 1 Jul
        Visit(D(2024, 7, 1), 8.5, None),  # no length: the length pair is 15 Jun -> 1 Aug
        Visit(D(2024, 8, 1), 8.7, 69.0),
    ]
    warnings = plausibility(BIRTH, visits)
    assert [(w.code, w.dates) for w in warnings] == [
        (P.WEIGHT_DROP, (D(2024, 6, 1), D(2024, 7, 1))),
        (P.LENGTH_DECREASE, (D(2024, 6, 15), D(2024, 8, 1))),
    ]


def test_warnings_are_ordered_by_last_date_then_code() -> None:
    visits = [
        Visit(D(2024, 6, 1), 10.0, 70.0),
        Visit(D(2024, 6, 20), 8.0, 68.0),  # weight drop and length decrease on the same pair
        Visit(D(2024, 7, 20), 11.0, 76.0),  # both gains too fast
    ]
    warnings = plausibility(BIRTH, [*reversed(visits), Visit(D(2024, 1, 1), None, 50.0)])
    assert [w.code for w in warnings] == [
        P.BEFORE_BIRTH,
        P.LENGTH_DECREASE,
        P.WEIGHT_DROP,
        P.WEIGHT_GAIN_TOO_FAST,
        P.LENGTH_GAIN_TOO_FAST,
    ]
    assert [w.dates[-1] for w in warnings] == [
        D(2024, 1, 1),
        D(2024, 6, 20),
        D(2024, 6, 20),
        D(2024, 7, 20),
        D(2024, 7, 20),
    ]


# --- Properties -------------------------------------------------------------------------------

series = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=900),  # days after birth
        st.one_of(st.none(), st.integers(min_value=2000, max_value=20000)),  # grams
    ),
    max_size=25,
    unique_by=lambda t: t[0],
)


@given(series, st.randoms(use_true_random=False))
def test_trend_properties(raw: list[tuple[int, int | None]], rng: random.Random) -> None:
    birth = D(2023, 3, 31)
    visits = [Visit(birth + dt.timedelta(days=d), None if g is None else g / 1000) for d, g in raw]
    points = weight_trend(birth, visits)
    shuffled = list(visits)
    rng.shuffle(shuffled)
    assert weight_trend(birth, shuffled) == points
    assert len(points) == sum(g is not None for _, g in raw)
    assert [p.date for p in points] == sorted(p.date for p in points)

    def month(date: dt.date) -> int:
        return date.year * 12 + date.month

    by_date = {p.date: p for p in points}
    weighed_months = {month(p.date) for p in points}
    for p in points:
        assert p.kbm_g == kbm_grams(p.age_months)
        assert p.age_months == completed_months(birth, p.date)
        if p.status is S.B:
            assert month(p.date) == month(points[0].date)
        else:
            assert month(p.date) > month(points[0].date)
            # judged (N/T) exactly when the previous calendar month has a weighing
            assert (p.status is not S.O) == (month(p.date) - 1 in weighed_months)
        if p.status in (S.N, S.T):
            assert p.previous_date is not None and p.gain_g is not None
            previous = by_date[p.previous_date]
            assert month(previous.date) + 1 == month(p.date)
            # the reference is the latest weighing of that month
            later_same_month = [
                q
                for q in points
                if month(q.date) == month(previous.date) and q.date > previous.date
            ]
            assert later_same_month == []
            assert p.gain_g == round(p.weight_kg * 1000) - round(previous.weight_kg * 1000)
            assert (p.status is S.N) == (p.gain_g >= p.kbm_g)
            assert p.two_t == (p.status is S.T and previous.status is S.T)
        else:
            assert p.gain_g is None and p.previous_date is None and not p.two_t


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=14, max_value=60),  # days since the previous visit
            st.integers(min_value=0, max_value=400),  # weight gain in grams (never a drop)
            st.integers(min_value=-50, max_value=150),  # length change in 0.01 cm
        ),
        max_size=20,
    )
)
def test_smooth_series_is_plausible(steps: list[tuple[int, int, int]]) -> None:
    birth = D(2024, 1, 1)
    date, grams, hundredths = birth, 3300, 5000
    visits = [Visit(date, grams / 1000, hundredths / 100)]
    for days, gain, change in steps:
        date += dt.timedelta(days=days)
        grams += gain
        hundredths += change
        visits.append(Visit(date, grams / 1000, hundredths / 100))
    assert plausibility(birth, visits) == []
