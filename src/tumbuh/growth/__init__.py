"""Tumbuh's growth engine: WHO z-scores, Permenkes 2/2020 categories, weight trend, charts.

Framework-free (NumPy and the standard library only): nothing else in Tumbuh computes a
z-score. Batch: :func:`zscores` (columns in, columns out). One child: :func:`assess`.
"""

from tumbuh.growth.categories import Category, Index
from tumbuh.growth.child import Assessment, Indicator, IndicatorResult, assess
from tumbuh.growth.inputs import InputProblem
from tumbuh.growth.reasons import Problem, Reason
from tumbuh.growth.zscore import (
    CATEGORY_COLUMNS,
    OUTPUT_COLUMNS,
    REASON_COLUMNS,
    WHO_COLUMNS,
    Provenance,
    ZScoreResult,
    provenance,
    zscores,
)

__all__ = [
    "CATEGORY_COLUMNS",
    "OUTPUT_COLUMNS",
    "REASON_COLUMNS",
    "WHO_COLUMNS",
    "Assessment",
    "Category",
    "Index",
    "Indicator",
    "IndicatorResult",
    "InputProblem",
    "Problem",
    "Provenance",
    "Reason",
    "ZScoreResult",
    "assess",
    "provenance",
    "zscores",
]
