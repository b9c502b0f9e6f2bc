"""Every indicator at every level on hand-built data with known answers (conftest.EXPECTED);
kelurahan add up to kecamatan and city; the incremental refresh equals the full rebuild."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.komando.conftest import (
    EXPECTED,
    KEC_A,
    KEC_B,
    KEL_A,
    KEL_A2,
    KEL_B,
    KOTA,
    MONTH,
    TODAY,
    expected_sum,
    weigh,
)
from tumbuh.komando.facts import installed_optional_modules
from tumbuh.komando.indicators import BY_CODE, OPTIONAL
from tumbuh.komando.models import AreaMonthStat, DirtyArea, OrgMonthStat
from tumbuh.komando.services import posyandu_code, stats_refresh_dirty, stats_refresh_month

pytestmark = pytest.mark.django_db

AREAS = {
    KEL_A: EXPECTED[KEL_A],
    KEL_A2: EXPECTED[KEL_A2],
    KEL_B: EXPECTED[KEL_B],
    KEC_A: expected_sum([KEL_A, KEL_A2]),
    KEC_B: expected_sum([KEL_B]),
    KOTA: expected_sum([KEL_A, KEL_A2, KEL_B]),
}


def _stored(area: str) -> dict[str, tuple[int, int | None]]:
    return {
        i: (v, d)
        for i, v, d in AreaMonthStat.objects.filter(area_code=area, month=MONTH).values_list(
            "indicator", "value", "denominator"
        )
    }


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_indicator_at_every_level(refreshed, area):  # type: ignore[no-untyped-def]
    stored = _stored(area)
    for code, indicator in BY_CODE.items():
        if code in OPTIONAL:
            # Stored only when the module is installed (the partners app, the prevention list).
            assert (code in stored) == (OPTIONAL[code] in installed_optional_modules()), code
            if code in stored and OPTIONAL[code] == "tumbuh.partners":
                assert stored[code][0] == 0  # this city has no bapak asuh and no pledges
            continue
        value, denominator = AREAS[area].get(code, (0, None))
        if indicator.denominator and denominator is None:
            denominator = AREAS[area].get(indicator.denominator, (0, None))[0]
        assert stored[code] == (value, denominator), code


def test_kelurahan_add_up_to_kecamatan_and_city(refreshed):  # type: ignore[no-untyped-def]
    kel = AreaMonthStat.objects.filter(month=MONTH, level=4, area_code__startswith=KOTA + ".")
    city = _stored(KOTA)
    for code, (value, _d) in city.items():
        assert value == sum(kel.filter(indicator=code).values_list("value", flat=True)), code
    for kec in (KEC_A, KEC_B):
        stored = _stored(kec)
        for code, (value, _d) in stored.items():
            rows = kel.filter(indicator=code, parent_code=kec).values_list("value", flat=True)
            assert value == sum(rows)


def test_posyandu_rows_count_children_registered_there(refreshed):  # type: ignore[no-untyped-def]
    pos_a = refreshed.pos["a"]
    stored = _stored(posyandu_code(pos_a.pk))
    assert stored["s"] == (3, None)  # a1, a2, a3 (a5 moved away)
    assert stored["stunted"] == (1, 2)
    assert (
        AreaMonthStat.objects.get(area_code=posyandu_code(pos_a.pk), indicator="s").parent_code
        == KEL_A
    )


def test_opd_scorecard_follows_the_rule(refreshed):  # type: ignore[no-untyped-def]
    def card(org):  # type: ignore[no-untyped-def]
        return dict(
            OrgMonthStat.objects.filter(organisation=org, month=MONTH).values_list(
                "indicator", "value"
            )
        )

    dinkes = card(refreshed.dinkes)
    assert dinkes["due"] == 3 and dinkes["on_time"] == 1 and dinkes["done"] == 2
    assert dinkes["overdue"] == 2 and dinkes["escalated"] == 1
    assert dinkes["median_days"] == 13.0  # 7 and 19 days
    assert dinkes["score"] == pytest.approx(100 / 3 - 10, abs=0.05)
    dinsos = card(refreshed.dinsos)
    assert dinsos["score"] == 100.0 and dinsos["overdue"] == 0


def test_incremental_refresh_equals_full_rebuild(refreshed):  # type: ignore[no-untyped-def]
    from tumbuh.registry.signals import measurements_changed

    child = refreshed.children["a3"]
    weigh(child, dt.date(2026, 8, 25), category_tbu="stunted", trend="T")
    measurements_changed.send(
        sender=None, child_ids=[child.pk], actor=None, context=None, source="test"
    )
    # The receiver marks this and last month (relative to the real clock); mark August too.
    DirtyArea.objects.update_or_create(area_code=KEL_A, month=MONTH)
    stats_refresh_dirty(today=TODAY)
    incremental = {
        a: _stored(a) for a in (KEL_A, KEC_A, KOTA, posyandu_code(refreshed.pos["a"].pk))
    }
    assert incremental[KEL_A]["stunted"] == (2, 3)
    assert incremental[KOTA]["d"] == (6, 6)
    stats_refresh_month(month=MONTH, city_code=KOTA, today=TODAY)
    full = {a: _stored(a) for a in incremental}
    assert incremental == full
    assert not DirtyArea.objects.filter(month=MONTH).exists()


@pytest.mark.parametrize(
    ("started", "every", "month", "expected"),
    [
        # windows of 14 days from 1 August: [1-14], [15-28], [29 Aug - 11 Sep] ...
        (dt.date(2026, 8, 1), 14, (dt.date(2026, 8, 1), dt.date(2026, 8, 31)), [0, 1]),
        (dt.date(2026, 8, 1), 14, (dt.date(2026, 9, 1), dt.date(2026, 9, 30)), [2, 3]),
        (dt.date(2026, 8, 20), 14, (dt.date(2026, 8, 1), dt.date(2026, 8, 31)), []),
        (dt.date(2026, 8, 18), 14, (dt.date(2026, 8, 1), dt.date(2026, 8, 31)), [0]),
    ],
)
def test_fortnightly_windows_closing_in_a_month(started, every, month, expected):  # type: ignore[no-untyped-def]
    from tumbuh.komando.optional import closing_windows

    assert closing_windows(started, every, *month) == expected


def test_missing_months_are_filled_in_and_then_left_alone(city):  # type: ignore[no-untyped-def]
    from tumbuh.komando.services import stats_refresh_missing

    done = stats_refresh_missing(today=TODAY, months=2)
    assert done == [dt.date(2026, 9, 1), MONTH]
    assert AreaMonthStat.objects.get(area_code=KEL_A, month=MONTH, indicator="stunted").value == 1
    assert stats_refresh_missing(today=TODAY, months=2) == []
