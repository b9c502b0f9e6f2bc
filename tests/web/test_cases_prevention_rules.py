"""The prevention rules (cases.prevention) at their boundaries: each threshold is tested on
both sides, with the day passed as ``today`` (no clock)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tumbuh.cases.prevention import (
    RULES,
    ChildFacts,
    GrowthPoint,
    evaluate_child,
    evaluate_pregnancy,
)
from tumbuh.registry.models import Mother, Person, Pregnancy, PregnancyOutcome, Sex

TODAY = dt.date(2026, 11, 15)
BIRTH = dt.date(2025, 5, 1)  # 18 months old on TODAY


def codes(hits):  # type: ignore[no-untyped-def]
    return [h.code for h in hits]


def monthly(*zs: float, last: dt.date = TODAY, trend: str = "N") -> list[GrowthPoint]:
    """One point a month ending on ``last``, with these length-for-age z-scores."""
    n = len(zs)
    return [
        GrowthPoint(last - dt.timedelta(days=30 * (n - 1 - i)), z, False, trend, False)
        for i, z in enumerate(zs)
    ]


FACTS = ChildFacts(birth_date=BIRTH, birth_weight_kg=3.1, birth_length_cm=49.0)


def test_the_table_names_every_rule_once_with_a_source() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert all(r.source and str(r.description) and str(r.title) for r in RULES)
    assert {r.subject for r in RULES} == {"child", "pregnancy"}


class TestFalling:
    def test_falling_and_projected_below_minus_two_is_listed(self) -> None:
        # -1.2 -> -1.4 -> -1.6: 0.2 SD a month, 3 months on: about -2.2
        hits = evaluate_child(FACTS, monthly(-1.2, -1.4, -1.6), today=TODAY)
        assert "haz_falling" in codes(hits)
        reason = next(h.reason for h in hits if h.code == "haz_falling")
        assert "-1,20" in reason and "-1,60" in reason

    def test_falling_but_projected_above_minus_two_is_not(self) -> None:
        # 0.1 SD a month: about -1.9 three months on
        assert "haz_falling" not in codes(
            evaluate_child(FACTS, monthly(-1.4, -1.5, -1.6), today=TODAY)
        )

    def test_projection_boundary(self) -> None:
        # slope exactly -(0.4/60) per day; projected at 91 days from -1.6:
        # -1.6 - 0.4/60*91 = -2.2067 -> listed; from -1.38 it is -1.9867 -> not listed
        assert "haz_falling" in codes(evaluate_child(FACTS, monthly(-1.2, -1.4, -1.6), today=TODAY))
        assert "haz_falling" not in codes(
            evaluate_child(FACTS, monthly(-0.98, -1.18, -1.38), today=TODAY)
        )

    def test_not_monotonic_is_not_falling(self) -> None:
        assert "haz_falling" not in codes(
            evaluate_child(FACTS, monthly(-1.2, -1.7, -1.65), today=TODAY)
        )

    def test_needs_three_weighings_inside_six_months(self) -> None:
        assert "haz_falling" not in codes(evaluate_child(FACTS, monthly(-1.4, -1.9), today=TODAY))
        # the first weighing 184 days before the last: outside the window
        spread = [
            GrowthPoint(TODAY - dt.timedelta(days=184), -0.9),
            GrowthPoint(TODAY - dt.timedelta(days=30), -1.5),
            GrowthPoint(TODAY, -1.7),
        ]
        assert "haz_falling" not in codes(evaluate_child(FACTS, spread, today=TODAY))
        # 183 days: inside; the fitted line reaches about -2.08 three months on
        inside = [GrowthPoint(TODAY - dt.timedelta(days=183), -0.9), *spread[1:]]
        assert "haz_falling" in codes(evaluate_child(FACTS, inside, today=TODAY))

    def test_only_from_below_minus_half(self) -> None:
        # a fall from -0.5 to -2 in 3 months is a measuring error, not growth
        steep = monthly(0.7, 0.1, -0.5)
        assert "haz_falling" not in codes(evaluate_child(FACTS, steep, today=TODAY))
        assert "haz_falling" in codes(
            evaluate_child(FACTS, monthly(0.69, 0.09, -0.51), today=TODAY)
        )

    def test_flagged_z_scores_are_not_used(self) -> None:
        points = monthly(-1.2, -1.4, -1.6)
        flagged = [*points[:2], GrowthPoint(points[2].measured_on, -1.6, True)]
        assert "haz_falling" not in codes(evaluate_child(FACTS, flagged, today=TODAY))

    def test_weighings_after_today_are_ignored(self) -> None:
        points = monthly(-1.3, -1.4, -1.5, -2.0)
        before = points[-1].measured_on - dt.timedelta(days=1)
        assert "haz_falling" in codes(evaluate_child(FACTS, points, today=TODAY))
        assert "haz_falling" not in codes(evaluate_child(FACTS, points, today=before))


class TestBorderline:
    @pytest.mark.parametrize(
        ("z", "listed"), [(-2.0, True), (-1.5, True), (-1.01, True), (-1.0, False), (-0.5, False)]
    )
    def test_range_minus_two_to_minus_one_with_t(self, z: float, listed: bool) -> None:
        hits = evaluate_child(FACTS, monthly(z, z, z, trend="T"), today=TODAY)
        assert ("haz_borderline_t" in codes(hits)) is listed

    def test_needs_t_or_2t(self) -> None:
        assert "haz_borderline_t" not in codes(
            evaluate_child(FACTS, monthly(-1.5, -1.5, trend="N"), today=TODAY)
        )
        two_t = [GrowthPoint(TODAY, -1.5, False, "N", True)]
        hits = evaluate_child(FACTS, two_t, today=TODAY)
        assert "haz_borderline_t" in codes(hits)
        assert "2T" in next(h.reason for h in hits if h.code == "haz_borderline_t")

    def test_stunted_child_is_a_case_not_prevention(self) -> None:
        lbw = ChildFacts(BIRTH, birth_weight_kg=2.0)
        assert evaluate_child(lbw, monthly(-1.9, -2.01, trend="T"), today=TODAY) == []


class TestBirth:
    @pytest.mark.parametrize(("kg", "listed"), [(2.49, True), (2.5, False)])
    def test_low_birth_weight(self, kg: float, listed: bool) -> None:
        hits = evaluate_child(ChildFacts(BIRTH, birth_weight_kg=kg), monthly(0.0), today=TODAY)
        assert ("low_birth_weight" in codes(hits)) is listed

    @pytest.mark.parametrize(("cm", "listed"), [(47.9, True), (48.0, False)])
    def test_short_birth_length(self, cm: float, listed: bool) -> None:
        hits = evaluate_child(ChildFacts(BIRTH, birth_length_cm=cm), monthly(0.0), today=TODAY)
        assert ("short_birth_length" in codes(hits)) is listed

    @pytest.mark.parametrize(("age_days", "listed"), [(730, True), (731, False)])
    def test_only_under_two_years(self, age_days: int, listed: bool) -> None:
        facts = ChildFacts(TODAY - dt.timedelta(days=age_days), birth_weight_kg=2.0)
        hits = evaluate_child(facts, monthly(0.0), today=TODAY)
        assert ("low_birth_weight" in codes(hits)) is listed


class TestMissed:
    @pytest.mark.parametrize(("gap", "listed"), [(62, False), (63, True)])
    def test_no_weighing_for_two_months(self, gap: int, listed: bool) -> None:
        hits = evaluate_child(FACTS, monthly(0.0, last=TODAY - dt.timedelta(days=gap)), today=TODAY)
        assert ("missed_weighings" in codes(hits)) is listed

    @pytest.mark.parametrize(("age_days", "listed"), [(62, False), (63, True)])
    def test_never_weighed(self, age_days: int, listed: bool) -> None:
        facts = ChildFacts(TODAY - dt.timedelta(days=age_days))
        assert ("missed_weighings" in codes(evaluate_child(facts, [], today=TODAY))) is listed

    def test_five_year_olds_and_unborn_are_not_listed(self) -> None:
        assert evaluate_child(ChildFacts(TODAY - dt.timedelta(days=1826)), [], today=TODAY) == []
        assert evaluate_child(ChildFacts(TODAY + dt.timedelta(days=1)), [], today=TODAY) == []
        assert evaluate_child(ChildFacts(TODAY - dt.timedelta(days=1825)), [], today=TODAY)


def pregnancy(**kw: object) -> Pregnancy:
    mother_born = kw.pop("mother_born", dt.date(1995, 1, 1))
    person = Person(name="Ibu Uji", sex=Sex.FEMALE, birth_date=mother_born)
    p = Pregnancy(mother=Mother(person=person), outcome=PregnancyOutcome.ONGOING)
    for key, value in {"anc_visits": 6, "iron_tablets_taken": 90, **kw}.items():
        setattr(p, key, value)
    return p


class TestPregnancy:
    def test_kek_and_anaemia_with_the_values(self) -> None:
        hits = evaluate_pregnancy(
            pregnancy(
                hpht=TODAY - dt.timedelta(weeks=10),
                lila_cm=Decimal("22.9"),
                hb_g_dl=Decimal("10.2"),
                is_kek=True,
                is_anaemic=True,
            ),
            today=TODAY,
        )
        assert codes(hits) == ["pregnancy_kek", "pregnancy_anaemia"]
        assert "22,9" in hits[0].reason and "10,2" in hits[1].reason

    @pytest.mark.parametrize(
        ("weeks", "tablets", "listed"),
        [(19, 0, False), (20, 27, True), (20, 28, False), (28, 83, True), (36, 89, True),
         (36, 90, False)],
    )  # fmt: skip
    def test_ttd_behind_schedule(self, weeks: int, tablets: int, listed: bool) -> None:
        p = pregnancy(hpht=TODAY - dt.timedelta(weeks=weeks), iron_tablets_taken=tablets)
        assert ("pregnancy_ttd" in codes(evaluate_pregnancy(p, today=TODAY))) is listed

    @pytest.mark.parametrize(("age", "listed"), [(19, True), (20, False), (35, False), (36, True)])
    def test_mother_too_young_or_too_old(self, age: int, listed: bool) -> None:
        hpht = TODAY - dt.timedelta(weeks=8)
        born = hpht.replace(year=hpht.year - age)
        p = pregnancy(hpht=hpht, mother_born=born)
        assert ("pregnancy_age" in codes(evaluate_pregnancy(p, today=TODAY))) is listed

    def test_anc_from_the_registry_rule(self) -> None:
        p = pregnancy(hpht=TODAY - dt.timedelta(weeks=28), anc_visits=2)
        assert "pregnancy_anc" in codes(evaluate_pregnancy(p, today=TODAY))
        p.anc_visits = 3
        assert "pregnancy_anc" not in codes(evaluate_pregnancy(p, today=TODAY))

    def test_ended_pregnancy_is_not_listed(self) -> None:
        p = pregnancy(hpht=TODAY - dt.timedelta(weeks=30), is_kek=True, lila_cm=Decimal("22"))
        p.outcome = PregnancyOutcome.LIVE_BIRTH
        assert evaluate_pregnancy(p, today=TODAY) == []
