"""Agreement with WHO's own output on the public validation data (../shared/validation/).

igrowup_survey_z_st.csv: WHO's igrowup example survey scored by WHO's igrowup macro, every
0-5 indicator with flags (R anthro 1.1.0 gives the same values, except for the four children
aged 60 months or more, which it leaves empty).
spoon_stata_igrowup_who2007.csv: 5,704 rows scored with WHO's igrowup (under 5) and WHO 2007
(5-19) Stata macros; flagged z-scores left empty; position not recorded.

Tolerance 0.01 (WHO reports 2 decimals). The issue asks for at least 99.9 % within 0.01 and
identical flags; we assert the stronger property where it holds and list the known exception.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tumbuh.growth import zscores

VALIDATION = Path(__file__).resolve().parents[3] / "shared" / "validation"
SURVEY = VALIDATION / "igrowup_survey_z_st.csv"
SPOON = VALIDATION / "spoon_stata_igrowup_who2007.csv"
TOLERANCE = 0.01 + 1e-9

pytestmark = pytest.mark.skipif(
    not SURVEY.exists(), reason="../shared/validation/ is not beside this checkout"
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _numbers(rows: list[dict[str, str]], key: str) -> np.ndarray:
    return np.array([float(r[key]) if r[key] != "" else np.nan for r in rows])


@pytest.fixture(scope="module")
def survey() -> tuple[list[dict[str, str]], dict[str, np.ndarray]]:
    rows = _read(SURVEY)
    result = zscores(
        {
            "sex": [r["GENDER"] for r in rows],
            "age_days": [r["_agedays"] for r in rows],
            "weight": [r["WEIGHT"] for r in rows],
            "lenhei": [r["HEIGHT"] for r in rows],
            "measure": [r["measure"] for r in rows],
            "oedema": [r["oedema"] for r in rows],
            "headc": [r["HEAD"] for r in rows],
            "armc": [r["MUAC"] for r in rows],
            "triskin": [r["TRI"] for r in rows],
            "subskin": [r["SUB"] for r in rows],
        }
    )
    return rows, dict(result)


SURVEY_PAIRS = [
    ("zwei", "_ZWEI", "fwei", "_FWEI"),
    ("zlen", "_ZLEN", "flen", "_FLEN"),
    ("zwfl", "_ZWFL", "fwfl", "_FWFL"),
    ("zbmi", "_ZBMI", "fbmi", "_FBMI"),
    ("zhc", "_ZHC", "fhc", "_FHC"),
    ("zac", "_ZAC", "fac", "_FAC"),
    ("zts", "_ZTS", "fts", "_FTS"),
    ("zss", "_ZSS", "fss", "_FSS"),
]
# Children aged 60 months or more: igrowup scored them, current WHO software (anthro 1.1.0)
# leaves them empty; we give WHO 2007 values for zlen, zwei and zbmi there.
OVER_60_IDS = {"4", "44", "95", "343"}


@pytest.mark.parametrize(("ours", "who", "flag", "who_flag"), SURVEY_PAIRS)
def test_survey_zscores_and_flags_match_who(survey, ours, who, flag, who_flag) -> None:
    rows, result = survey
    keep = np.array([r["id"] not in OVER_60_IDS for r in rows])
    expected = _numbers(rows, who)[keep]
    got = result[ours][keep]
    assert np.array_equal(np.isnan(expected), np.isnan(got)), "empty z-scores differ"
    both = ~np.isnan(expected)
    assert both.sum() > 90
    assert np.max(np.abs(expected[both] - got[both])) <= TOLERANCE
    expected_flags = _numbers(rows, who_flag)[keep]
    known = ~np.isnan(expected_flags)
    assert np.array_equal(expected_flags[known], result[flag][keep][known])


def test_survey_adjusted_length_and_bmi_match_who(survey) -> None:
    rows, result = survey
    for ours, who in (("clenhei", "_CLENHEI"), ("cbmi", "_CBMI")):
        expected = _numbers(rows, who)
        both = ~np.isnan(expected)
        # WHO's file stores single-precision inputs; agreement to 1e-4 is exact for our use.
        assert np.allclose(result[ours][both], expected[both], atol=1e-4)


def test_survey_covers_the_edges_the_issue_names(survey) -> None:
    rows, result = survey
    ages = _numbers(rows, "_agedays")
    assert np.isnan(_numbers(rows, "HEAD")).any()
    # oedema empties the weight-based z-scores only
    oedema = np.array([r["oedema"] == "y" for r in rows])
    assert oedema.any()
    for name in ("zwei", "zwfl", "zbmi"):
        assert np.isnan(result[name][oedema]).all()
        assert set(result[f"reason_{name}"][oedema]) <= {"oedema", "missing_measurement"}
    assert not np.isnan(result["zlen"][oedema]).all()
    assert ages.min() <= 30


@pytest.fixture(scope="module")
def spoon() -> tuple[list[dict[str, str]], dict[str, np.ndarray], np.ndarray]:
    rows = _read(SPOON)
    result = zscores(
        {
            "sex": [r["sex"] for r in rows],
            "age_days": [r["age_days"] for r in rows],
            "weight": [r["weight"] for r in rows],
            "lenhei": [r["height"] for r in rows],
            "headc": [r["head"] for r in rows],
        }
    )
    months = _numbers(rows, "age_days") / 30.4375
    return rows, dict(result), months


SPOON_UNDER5 = [
    ("zwei", "_zwei", "fwei"),
    ("zlen", "_zlen", "flen"),
    ("zbmi", "_zbmi", "fbmi"),
    ("zwfl", "_zwfl", "fwfl"),
    ("zhc", "_zhc", "fhc"),
]
SPOON_OVER5 = [("zwei", "_zwfa", "fwei"), ("zlen", "_zhfa", "flen"), ("zbmi", "_zbfa", "fbmi")]
# Row 2497 (0-based) has no height, yet the third-party Stata run reports a BMI z-score for
# it; current WHO software gives none. It is the one known disagreement in 5,704 rows.
SPOON_KNOWN = {("zbmi", 2497)}


@pytest.mark.parametrize(("ours", "who", "flag"), SPOON_UNDER5 + SPOON_OVER5)
def test_spoon_zscores_match_who_macros(spoon, ours, who, flag) -> None:
    rows, result, months = spoon
    expected = _numbers(rows, who)
    got = np.where(result[flag] == 1.0, np.nan, result[ours])  # flagged left empty there
    under5 = (ours, who, flag) in SPOON_UNDER5
    selected = months < 60 if under5 else months >= 60
    # The 2007 macro gives nothing at 60-61 months and does give weight-for-age above
    # 120 months; anthroplus 1.0.0 does the opposite (validation README).
    excluded = (months >= 60) & (months < 61)
    if who == "_zwfa":
        excluded |= months > 120
    for known_field, row in SPOON_KNOWN:
        if known_field == ours and under5:
            excluded[row] = True
    rows_compared = selected & ~excluded
    e, g = expected[rows_compared], got[rows_compared]
    assert np.array_equal(np.isnan(e), np.isnan(g))
    both = ~np.isnan(e)
    assert both.sum() > 700
    assert np.max(np.abs(e[both] - g[both])) <= TOLERANCE


def test_spoon_overall_agreement_is_at_least_999_per_mille(spoon) -> None:
    rows, result, months = spoon
    compared = agreed = 0
    for ours, who, flag in SPOON_UNDER5 + SPOON_OVER5:
        expected = _numbers(rows, who)
        got = np.where(result[flag] == 1.0, np.nan, result[ours])
        under5 = (ours, who, flag) in SPOON_UNDER5
        sel = (months < 60 if under5 else months >= 61) & ~np.isnan(expected)
        if who == "_zwfa":
            sel &= months <= 120
        compared += int(sel.sum())
        agreed += int((np.abs(expected[sel] - got[sel]) <= TOLERANCE).sum())
    assert compared > 20_000
    assert agreed / compared >= 0.999


def test_spoon_gives_2007_values_from_60_months(spoon) -> None:
    _rows, result, months = spoon
    at_60 = (months >= 60) & (months < 61)
    assert at_60.any()
    assert not np.isnan(result["zlen"][at_60]).all()
    above_120 = months > 120
    assert np.isnan(result["zwei"][above_120]).all()
    assert set(result["reason_zwei"][above_120]) == {"age_out_of_range"}
