"""One test per rule at its boundary (DHIS2 program-rule style): the threshold itself does
not cross (Permenkes 2/2020: "-3 SD to < -2 SD", so z = -2.00 is normal), one step below does;
a flagged value asks for re-measurement and never opens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tumbuh.cases.models import CaseKind, Severity
from tumbuh.cases.rules import (
    RULES,
    RULES_BY_CODE,
    evaluate_child,
    evaluate_pregnancy,
    is_recovered,
    worst_by_kind,
)
from tumbuh.registry.models import Measurement, Pregnancy, PregnancyOutcome

ON = dt.date(2026, 11, 15)


def m(**values) -> Measurement:  # type: ignore[no-untyped-def]
    base = {"age_days": 600, "zlen": 0.0, "zwei": 0.0, "zwfl": 0.0, "measured_on": ON}
    return Measurement(**{**base, **values})


def codes(hits) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.rule.code for h in hits if h.action == "open"}


CHILD_BOUNDARIES = [
    ("stunting", "zlen", -2.0, -2.01),
    ("stunting_severe", "zlen", -3.0, -3.01),
    ("wasting", "zwfl", -2.0, -2.01),
    ("wasting_severe", "zwfl", -3.0, -3.01),
    ("underweight", "zwei", -2.0, -2.01),
    ("underweight_severe", "zwei", -3.0, -3.01),
]


@pytest.mark.parametrize(("code", "field", "at", "below"), CHILD_BOUNDARIES)
def test_child_z_rule_boundary(code: str, field: str, at: float, below: float) -> None:
    assert code not in codes(evaluate_child(None, [m(**{field: at})]))
    assert code in codes(evaluate_child(None, [m(**{field: below})]))


@pytest.mark.parametrize(("code", "field", "flag"), [
    ("stunting", "zlen", "flen"), ("wasting", "zwfl", "fwfl"), ("underweight", "zwei", "fwei"),
])  # fmt: skip
def test_flagged_value_asks_for_remeasure(code: str, field: str, flag: str) -> None:
    hits = evaluate_child(None, [m(**{field: -6.5, flag: True})])
    assert code not in codes(hits)
    assert code in {h.rule.code for h in hits if h.action == "remeasure"}
    assert worst_by_kind(hits) == {}


def test_a_confirmed_flag_opens_as_suspected() -> None:
    checked = m(zlen=-6.5, flen=True)
    checked.needs_review = False  # the registry's mark that the kader confirmed the value
    assert codes(evaluate_child(None, [checked])) == {"stunting", "stunting_severe"}


def test_oedema_is_severe_wasting() -> None:
    assert "wasting_oedema" not in codes(evaluate_child(None, [m(oedema=False)]))
    hits = evaluate_child(None, [m(oedema=True, zwfl=None)])
    assert worst_by_kind(hits)[CaseKind.WASTING].severity == Severity.SEVERE


def test_two_t_opens_faltering() -> None:
    assert "faltering_2t" not in codes(evaluate_child(None, [m(two_t=False)]))
    assert "faltering_2t" in codes(evaluate_child(None, [m(two_t=True)]))


def test_child_rules_stop_at_five_years() -> None:
    assert codes(evaluate_child(None, [m(zlen=-2.5, age_days=1825)])) == {"stunting"}
    assert codes(evaluate_child(None, [m(zlen=-2.5, age_days=1826)])) == set()


def test_worst_by_kind_prefers_severe() -> None:
    hits = evaluate_child(None, [m(zlen=-3.2)])
    assert codes(hits) == {"stunting", "stunting_severe"}
    assert worst_by_kind(hits)[CaseKind.STUNTING].rule.code == "stunting_severe"


def preg(weeks: int | None, **values) -> Pregnancy:  # type: ignore[no-untyped-def]
    hpht = ON - dt.timedelta(weeks=weeks, days=1) if weeks is not None else None
    base = {"anc_visits": 6, "iron_tablets_taken": 90, "outcome": PregnancyOutcome.ONGOING}
    return Pregnancy(hpht=hpht, **{**base, **values})


def pcodes(p: Pregnancy) -> set[str]:
    return codes(evaluate_pregnancy(p, today=ON))


def test_kek_boundary() -> None:
    assert "kek" not in pcodes(preg(20, lila_cm=Decimal("23.5")))
    assert "kek" in pcodes(preg(20, lila_cm=Decimal("23.4")))


@pytest.mark.parametrize(("code", "weeks", "at", "below"), [
    ("anaemia_tm1", 10, "11.0", "10.9"),
    ("anaemia_tm2", 20, "10.5", "10.4"),
    ("anaemia_tm3", 30, "11.0", "10.9"),
    ("anaemia_unknown_age", None, "11.0", "10.9"),
    ("anaemia_severe", 20, "7.0", "6.9"),
])  # fmt: skip
def test_anaemia_boundaries(code: str, weeks: int | None, at: str, below: str) -> None:
    assert code not in pcodes(preg(weeks, hb_g_dl=Decimal(at)))
    assert code in pcodes(preg(weeks, hb_g_dl=Decimal(below)))


def test_hb_10_7_is_anaemia_only_outside_trimester_two() -> None:
    assert pcodes(preg(20, hb_g_dl=Decimal("10.7"))) == set()
    assert pcodes(preg(13, hb_g_dl=Decimal("10.7"))) == {"anaemia_tm1"}
    assert pcodes(preg(14, hb_g_dl=Decimal("10.7"))) == set()
    assert pcodes(preg(28, hb_g_dl=Decimal("10.7"))) == {"anaemia_tm3"}


@pytest.mark.parametrize(("code", "field", "weeks", "fewest"), [
    ("anc_by_14", "anc_visits", 14, 1),
    ("anc_by_28", "anc_visits", 28, 3),
    ("anc_by_40", "anc_visits", 40, 6),
    ("ttd_by_28", "iron_tablets_taken", 28, 30),
    ("ttd_by_34", "iron_tablets_taken", 34, 60),
    ("ttd_by_40", "iron_tablets_taken", 40, 90),
])  # fmt: skip
def test_milestone_rules(code: str, field: str, weeks: int, fewest: int) -> None:
    assert code in pcodes(preg(weeks, **{field: fewest - 1}))
    assert code not in pcodes(preg(weeks, **{field: fewest}))
    assert code not in pcodes(preg(weeks - 1, **{field: fewest - 1}))


def test_ended_pregnancy_crosses_nothing() -> None:
    p = preg(30, hb_g_dl=Decimal("8.0"), outcome=PregnancyOutcome.LIVE_BIRTH)
    assert evaluate_pregnancy(p, today=ON) == []


def test_every_rule_has_a_source_and_a_test() -> None:
    tested = {c for c, *_ in CHILD_BOUNDARIES} | {
        "wasting_oedema", "faltering_2t", "kek", "anaemia_tm1", "anaemia_tm2", "anaemia_tm3",
        "anaemia_unknown_age", "anaemia_severe", "anc_by_14", "anc_by_28", "anc_by_40",
        "ttd_by_28", "ttd_by_34", "ttd_by_40",
    }  # fmt: skip
    assert tested == set(RULES_BY_CODE)
    assert all(rule.source and rule.description for rule in RULES)


def test_recovery_needs_two_consecutive_usable_measurements() -> None:
    ok, low, flagged = m(zlen=-2.0), m(zlen=-2.01), m(zlen=1.0, flen=True)
    assert not is_recovered("stunting", [ok])
    assert is_recovered("stunting", [low, ok, ok])
    assert not is_recovered("stunting", [ok, low])
    assert is_recovered("stunting", [ok, flagged, ok])  # a flagged value is skipped
    assert is_recovered("faltering", [m(trend="N"), m(trend="N")])
    assert not is_recovered("faltering", [m(trend="N"), m(trend="T")])
    assert not is_recovered("pregnancy_kek", [ok, ok])
