"""Text columns from NumPy are factorised by peeling their few distinct values: same result
as the polars path (distinct values in order of first appearance, positions per row)."""

from __future__ import annotations

import numpy as np
import pytest

from tumbuh.growth import zscores
from tumbuh.growth.inputs import (
    _MEASURE_LOOKUP,
    _PEEL_MAX,
    _PEEL_SAMPLE,
    _factorize,
    _factorize_text,
    _parse_codes,
)


def _same(array: np.ndarray) -> None:
    distinct, positions = _factorize(array)
    expected, where = _factorize_text(array)
    assert distinct == expected
    assert positions.dtype == np.intp
    np.testing.assert_array_equal(positions, where)
    assert [distinct[p] for p in positions] == array.tolist()


@pytest.mark.parametrize(
    "values",
    [
        ["l", "h", "h", "L", " l", "l"],  # U1 (uint32 keys) ... U2 with the space
        ["h", "l"],
        ["pb", "tb", "PB", "pb"],  # U2 (uint64 keys)
        ["berbaring", "berdiri", "Berbaring ", "", "berbaring"],  # longer text
        ["l"],
        ["x", "", "None", "l"],
    ],
)
def test_peel_matches_polars(values: list[str]) -> None:
    _same(np.array(values * 7))


def test_empty_column() -> None:
    distinct, positions = _factorize(np.array([], dtype="<U1"))
    assert distinct == [] and positions.shape == (0,)


def test_more_values_than_the_sample_showed() -> None:
    """The first rows hold one value; after _PEEL_MAX values the rest goes to polars."""
    tail = [f"v{i}" for i in range(_PEEL_MAX * 3)]
    array = np.array(["l"] * _PEEL_SAMPLE + tail + ["l", "v1", "v40"])
    _same(array)


def test_many_values_skip_peeling() -> None:
    _same(np.array([f"2024-01-{d:02d}" for d in range(1, 29)] * 40))


def test_measure_codes_and_unknown() -> None:
    column = np.array(["l", "H", " berdiri", "x", "", "TB", "pb"])
    codes, unknown = _parse_codes(column, _MEASURE_LOOKUP, 0)
    assert codes.tolist() == [1, 2, 2, 0, 0, 2, 1]
    assert unknown.tolist() == [False, False, False, True, False, False, False]


def test_zscores_same_with_text_measure_as_numpy_or_objects() -> None:
    rng = np.random.default_rng(7)
    n = 3000
    day = rng.integers(0, 1827, n)
    columns = {
        "sex": rng.integers(1, 3, n),
        "age_days": day.astype(float),
        "lenhei": np.round(rng.uniform(45, 115, n), 1),
    }
    text = np.where(day < 731, "l", "h")
    text[::97] = "berdiri"
    fast = zscores({**columns, "measure": text})
    slow = zscores({**columns, "measure": text.astype(object)})
    np.testing.assert_array_equal(fast["zlen"], slow["zlen"])
    np.testing.assert_array_equal(fast["flen"], slow["flen"])
