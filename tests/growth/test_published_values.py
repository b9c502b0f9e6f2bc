"""Published and WHO-produced values, each with its source and tolerance.

Sources:
- [anthro-tests] WHO's R package anthro, tests/testthat/test-zscores.R (values produced and
  checked by WHO's own software, anthro 1.1.0).
- [WHO-tables] WHO Child Growth Standards LMS tables (the files our tables are built from):
  at a tabulated SD line the z-score must come out as exactly that whole number.
- [GROWTH.md] WHO 2007 month-60 rows given in the project's method notes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tumbuh.growth import zscores
from tumbuh.growth.lms import value_at
from tumbuh.growth.tables import Table, load

EXACT = 1e-9


def one(**columns: object) -> dict[str, np.ndarray]:
    return dict(zscores({k: [v] for k, v in columns.items()}))


# [anthro-tests] "length for age uses adjusted lenhei": tolerance 0 (2-decimal output).
def test_lying_measurement_from_731_days_is_adjusted_and_flagged() -> None:
    result = one(sex=1, age_days=987, lenhei=72.86, measure="l")
    assert result["zlen"][0] == pytest.approx(-6.09, abs=EXACT)
    assert result["flen"][0] == 1.0


# [anthro-tests] "young children with measured standing will be adjusted", tolerance 0.01.
@pytest.mark.parametrize(
    ("months", "c9mo", "clenhei", "zlen"), [(8, 1.0, 60.0, -4.81), (9, 0.0, 60.7, -5.02)]
)
def test_standing_under_nine_months_is_not_adjusted(months, c9mo, clenhei, zlen) -> None:
    result = one(sex=1, age_months=months, lenhei=60, measure="h")
    assert result["c9mo"][0] == c9mo
    assert result["clenhei"][0] == pytest.approx(clenhei, abs=EXACT)
    assert result["zlen"][0] == pytest.approx(zlen, abs=0.01)


# [anthro-tests] "height measurements are used for age 24 months", tolerance 0.
@pytest.mark.parametrize("measure", ["h", ""])
def test_girl_at_24_months(measure: str) -> None:
    result = one(sex=2, age_months=24, lenhei=77.5, weight=8.8, measure=measure)
    assert result["clenhei"][0] == 77.5
    assert result["zlen"][0] == pytest.approx(-2.55, abs=EXACT)


# [anthro-tests] "adds adjusted lenhei to the output": 730 d standing +0.7, 800 d lying -0.7.
def test_adjusted_lenhei_around_two_years() -> None:
    result = zscores(
        {"sex": [1] * 4, "age_days": [730, 800, 730, 800], "lenhei": [100] * 4,
         "measure": ["h", "h", "l", "l"]}
    )  # fmt: skip
    assert np.allclose(result["clenhei"], [100.7, 100.0, 100.0, 99.3])


# [anthro-tests] "adds bmi": 20 kg at 100 cm is BMI 20.
def test_bmi_uses_adjusted_lenhei() -> None:
    assert one(sex=1, age_days=30, weight=20, lenhei=100)["cbmi"][0] == 20.0
    # 300 days (9.9 months) standing: +0.7 cm, so BMI is computed on 100.0 cm.
    assert one(sex=1, age_days=300, weight=20, lenhei=99.3, measure="h")["cbmi"][0] == (
        pytest.approx(20.0, abs=1e-9)
    )


# [anthro-tests] age in months and the same age in days give the same result.
def test_months_and_days_agree() -> None:
    by_months = one(sex=1, age_months=30, weight=20)
    by_days = one(sex=1, age_days=30 * 30.4375, weight=20)
    assert by_months["zwei"][0] == by_days["zwei"][0]


# [WHO-tables]: value at each SD line -> exactly that z (plain and restricted formulas).
DAY_TABLES = [Table.LHFA, Table.WFA, Table.BFA, Table.HCFA, Table.ACFA, Table.TSFA, Table.SSFA]
COLUMN = {
    Table.LHFA: ("lenhei", "zlen"),
    Table.WFA: ("weight", "zwei"),
    Table.HCFA: ("headc", "zhc"),
    Table.ACFA: ("armc", "zac"),
    Table.TSFA: ("triskin", "zts"),
    Table.SSFA: ("subskin", "zss"),
}


@pytest.mark.parametrize("table_name", [t for t in DAY_TABLES if t in COLUMN])
@pytest.mark.parametrize("sex", [1, 2])
@pytest.mark.parametrize("sd", [-3, -2, -1, 0, 1, 2, 3])
def test_tabulated_sd_lines_give_whole_z(table_name: Table, sex: int, sd: int) -> None:
    table = load(table_name)
    days = np.array([table.first, 100, 365, 731, 1000, 1826])
    days = days[days >= table.first]
    index = days - table.first
    l, m, s = (a[sex - 1, index] for a in (table.l, table.m, table.s))
    value = value_at(float(sd), l, m, s)
    measure_column, z_column = COLUMN[table_name]
    columns = {"sex": [sex] * len(days), "age_days": days, measure_column: value}
    if table_name is Table.LHFA:
        columns["measure"] = ["l" if d < 731 else "h" for d in days]
    result = zscores(columns)
    assert np.allclose(result[z_column], sd, atol=EXACT)


@pytest.mark.parametrize("sex", [1, 2])
@pytest.mark.parametrize("sd", [-3, -2, 0, 2, 3])
def test_weight_for_length_table_rows_give_whole_z(sex: int, sd: int) -> None:
    for name, first_cm, days in ((Table.WFL, 45.0, 200), (Table.WFH, 65.0, 1000)):
        table = load(name)
        cms = np.array([first_cm, first_cm + 10.3, float(table.keys[-1])])
        index = np.rint((cms - first_cm) * 10).astype(int)
        l, m, s = (a[sex - 1, index] for a in (table.l, table.m, table.s))
        weights = value_at(float(sd), l, m, s)
        result = zscores(
            {"sex": [sex] * 3, "age_days": [days] * 3, "lenhei": cms, "weight": weights}
        )
        assert np.allclose(result["zwfl"], sd, atol=EXACT), name


def test_restricted_zscore_beyond_three_sd_uses_the_two_to_three_distance() -> None:
    table = load(Table.WFA)
    l, m, s = table.l[0, 365], table.m[0, 365], table.s[0, 365]
    sd2, sd3 = value_at(2.0, l, m, s), value_at(3.0, l, m, s)
    sd2n, sd3n = value_at(-2.0, l, m, s), value_at(-3.0, l, m, s)
    result = zscores(
        {"sex": [1, 1], "age_days": [365, 365],
         "weight": [float(sd3 + 1.5 * (sd3 - sd2)), float(sd3n - 0.5 * (sd2n - sd3n))]}
    )  # fmt: skip
    assert result["zwei"][0] == pytest.approx(4.5, abs=EXACT)
    assert result["zwei"][1] == pytest.approx(-3.5, abs=EXACT)


# [GROWTH.md] the WHO 2007 month-60 rows.
@pytest.mark.parametrize(
    ("table_name", "sex", "lms"),
    [
        (Table.HFA_2007, 1, (1, 109.7265, 0.04156)),
        (Table.HFA_2007, 2, (1, 109.0725, 0.04346)),
        (Table.BFA_2007, 1, (-0.7151, 15.2679, 0.08366)),
        (Table.BFA_2007, 2, (-0.8702, 15.2453, 0.09646)),
        (Table.WFA_2007, 1, (-0.1922, 18.3328, 0.12947)),
        (Table.WFA_2007, 2, (-0.4650, 18.0823, 0.14240)),
    ],
)
def test_month_60_rows(table_name: Table, sex: int, lms: tuple[float, float, float]) -> None:
    assert load(table_name).row(sex, 60) == lms


def test_month_60_median_height_is_z_zero() -> None:
    result = one(sex=1, age_months=60, lenhei=109.7265)
    assert result["zlen"][0] == 0.0
    assert math.isclose(one(sex=2, age_months=60, weight=18.0823)["zwei"][0], 0.0)
