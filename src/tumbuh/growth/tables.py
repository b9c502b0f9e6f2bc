"""WHO LMS tables, loaded once from the CSV files built by scripts/build_growth_tables.py.

Each table holds L, M and S by sex (row 0 boys, row 1 girls) on a regular grid: whole days,
whole months, or 0.1 cm. Lookups are plain array indexing, so a million records cost a few
gathers, never a search.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


class Table(StrEnum):
    """The WHO tables Tumbuh uses, named after their files in ``data/``."""

    LHFA = "who2006_lhfa"
    WFA = "who2006_wfa"
    BFA = "who2006_bfa"
    HCFA = "who2006_hcfa"
    ACFA = "who2006_acfa"
    TSFA = "who2006_tsfa"
    SSFA = "who2006_ssfa"
    WFL = "who2006_wfl"
    WFH = "who2006_wfh"
    HFA_2007 = "who2007_hfa"
    WFA_2007 = "who2007_wfa"
    BFA_2007 = "who2007_bfa"


@dataclass(frozen=True, slots=True)
class LMSTable:
    """L, M, S on a regular grid: ``key = first + index * step`` (index 0 .. size-1).

    ``grid`` is the integer grid position of the first row: days or months as they are,
    centimetres times ten (45.0 cm is 450), so that lookups stay in integers.
    """

    name: Table
    key: str
    first: int
    step: float
    l: FloatArray
    m: FloatArray
    s: FloatArray
    constant_l: float | None

    @property
    def size(self) -> int:
        return int(self.l.shape[1])

    @property
    def keys(self) -> FloatArray:
        keys: FloatArray = (self.first + np.arange(self.size, dtype=np.float64)) * self.step
        return keys

    def row(self, sex: int, key: float) -> tuple[float, float, float]:
        """L, M, S for sex 1 (boys) or 2 (girls) at a grid value (``KeyError`` off the grid)."""
        index = round(key / self.step) - self.first
        if not 0 <= index < self.size or abs((index + self.first) * self.step - key) > 1e-9:
            raise KeyError(f"{self.name}: {key} is not on the table grid")
        i = sex - 1
        return float(self.l[i, index]), float(self.m[i, index]), float(self.s[i, index])


def _grid_step(key: str) -> float:
    return 0.1 if key.endswith("_cm") else 1.0


@cache
def manifest() -> dict[str, Any]:
    """Source, licence and checksums of the tables (data/MANIFEST.json)."""
    text = resources.files("tumbuh.growth").joinpath("data/MANIFEST.json").read_text()
    result: dict[str, Any] = json.loads(text)
    return result


@cache
def load(name: Table) -> LMSTable:
    """Read one table; cached for the life of the process."""
    text = resources.files("tumbuh.growth").joinpath(f"data/{name.value}.csv").read_text()
    reader = csv.reader(text.splitlines())
    header = next(reader)
    key = header[1]
    step = _grid_step(key)
    rows: dict[int, list[tuple[int, float, float, float]]] = {1: [], 2: []}
    for sex, k, l_, m_, s_ in reader:
        grid = round(float(k) / step)
        rows[int(sex)].append((grid, float(l_), float(m_), float(s_)))
    boys, girls = rows[1], rows[2]
    first = boys[0][0]
    expected = list(range(first, first + len(boys)))
    for series in (boys, girls):
        if [r[0] for r in series] != expected:
            raise ValueError(f"{name.value}: rows are not a complete regular grid")
    lms = np.array([[r[1:] for r in boys], [r[1:] for r in girls]], dtype=np.float64)
    l_arr = np.ascontiguousarray(lms[:, :, 0])
    constant = float(l_arr[0, 0]) if np.all(l_arr == l_arr[0, 0]) else None
    return LMSTable(
        name=name,
        key=key,
        first=first,
        step=step,
        l=l_arr,
        m=np.ascontiguousarray(lms[:, :, 1]),
        s=np.ascontiguousarray(lms[:, :, 2]),
        constant_l=constant,
    )
