"""One child's measurement, judged at once: a typed result for the registry and the chatbot.

``assess`` runs the same array engine as ``zscores`` on a single row, so a number shown on a
child's page is the number a batch file would give for the same measurement.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from tumbuh.growth import categories
from tumbuh.growth.inputs import InputProblem
from tumbuh.growth.reasons import Reason
from tumbuh.growth.zscore import CATEGORY_SOURCES, Provenance, zscores


class Indicator(StrEnum):
    """The eight WHO indicators, by their z-score column name."""

    LENGTH_HEIGHT_FOR_AGE = "zlen"
    WEIGHT_FOR_AGE = "zwei"
    WEIGHT_FOR_LENGTH_HEIGHT = "zwfl"
    BMI_FOR_AGE = "zbmi"
    HEAD_CIRCUMFERENCE_FOR_AGE = "zhc"
    ARM_CIRCUMFERENCE_FOR_AGE = "zac"
    TRICEPS_SKINFOLD_FOR_AGE = "zts"
    SUBSCAPULAR_SKINFOLD_FOR_AGE = "zss"

    @property
    def flag_column(self) -> str:
        return "f" + self.value[1:]


_INDEX_OF: dict[str, categories.Index] = {z: index for index, z, _flag in CATEGORY_SOURCES.values()}


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator: the z-score as WHO reports it (2 decimals), its flag and category."""

    indicator: Indicator
    z: float | None
    flagged: bool
    reason: Reason
    category: categories.Category | None

    @property
    def label(self) -> str:
        """Indonesian category label, or '' when there is none."""
        return self.category.label if self.category is not None else ""


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything the engine says about one measurement."""

    sex: int | None
    age_days: float | None
    age_months: float | None
    clenhei: float | None
    cbmi: float | None
    standing_under_9_months: bool
    results: dict[Indicator, IndicatorResult]
    problems: tuple[InputProblem, ...]
    provenance: Provenance

    def __getitem__(self, indicator: Indicator) -> IndicatorResult:
        return self.results[indicator]

    @property
    def is_stunted(self) -> bool:
        """Length/height-for-age below -2 SD under five years (Perpres 72/2021 definition)."""
        zlen = self.results[Indicator.LENGTH_HEIGHT_FOR_AGE]
        return zlen.category in (
            categories.Category.STUNTED,
            categories.Category.SEVERELY_STUNTED,
        )

    @property
    def standard(self) -> str:
        """The WHO standard that applies at this age."""
        if self.age_months is not None and self.age_months >= 60:
            return self.provenance.standard_over5
        return self.provenance.standard_under5


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def assess(
    *,
    sex: int | str | None,
    age_days: float | None = None,
    age_months: float | None = None,
    birth_date: dt.date | None = None,
    visit_date: dt.date | None = None,
    weight: float | None = None,
    lenhei: float | None = None,
    measure: str | None = None,
    headc: float | None = None,
    armc: float | None = None,
    triskin: float | None = None,
    subskin: float | None = None,
    oedema: bool = False,
) -> Assessment:
    """Judge one measurement: sex 1/2 (or L/P...), age in days or months or two dates,
    weight in kg, length/height in cm as measured, measure "l" (lying) or "h" (standing)."""
    columns: dict[str, list[Any]] = {
        "sex": [sex],
        "age_days": [age_days],
        "age_months": [age_months],
        "weight": [weight],
        "lenhei": [lenhei],
        "measure": [measure],
        "headc": [headc],
        "armc": [armc],
        "triskin": [triskin],
        "subskin": [subskin],
        "oedema": ["y" if oedema else "n"],
    }
    if birth_date is not None or visit_date is not None:
        columns["birth_date"] = [birth_date]
        columns["visit_date"] = [visit_date]
    numeric = {
        k: np.array([np.nan if v[0] is None else v[0]], dtype=object) for k, v in columns.items()
    }
    result = zscores(numeric)
    results: dict[Indicator, IndicatorResult] = {}
    months = _number(result.age_months[0])
    for indicator in Indicator:
        z = _number(result[indicator.value][0])
        flagged = result[indicator.flag_column][0] == 1.0
        category = None
        index = _INDEX_OF.get(indicator.value)
        if index is not None:
            category = categories.classify_one(index, z, months, flagged)
        results[indicator] = IndicatorResult(
            indicator=indicator,
            z=z,
            flagged=bool(flagged),
            reason=Reason(int(result.reason_codes[indicator.value][0])),
            category=category,
        )
    sex_code = int(result._inputs.sex[0])
    return Assessment(
        sex=sex_code or None,
        age_days=_number(result._inputs.age_days[0]),
        age_months=months,
        clenhei=_number(result["clenhei"][0]),
        cbmi=_number(result["cbmi"][0]),
        standing_under_9_months=bool(result["c9mo"][0] == 1.0),
        results=results,
        problems=tuple(result.problems()),
        provenance=result.provenance,
    )
