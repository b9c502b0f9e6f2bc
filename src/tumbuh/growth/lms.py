"""The two WHO z-score formulas and their inverse, vectorised.

z = ((y/M)**L - 1) / (L*S), or ln(y/M)/S when L is 0 (WHO 2006 Methods, chapter 7).
The restricted form, used for every weight-based indicator, arm circumference and the
skinfolds, measures the distance beyond +/-3 SD in units of the 2-to-3 SD interval.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayLike = FloatArray | float


def value_at(z: ArrayLike, l: ArrayLike, m: ArrayLike, s: ArrayLike) -> FloatArray:
    """The measurement at z-score ``z`` (the LMS curve: M * (1 + L*S*z) ** (1/L))."""
    z_, l_, m_, s_ = (np.asarray(a, dtype=np.float64) for a in (z, l, m, s))
    with np.errstate(divide="ignore", invalid="ignore"):
        power = m_ * np.power(1.0 + l_ * s_ * z_, 1.0 / l_)
        result = np.where(l_ == 0.0, m_ * np.exp(s_ * z_), power)
    return np.asarray(result, dtype=np.float64)


def zscore(y: FloatArray, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:
    """Plain LMS z-score (length/height-for-age, head circumference-for-age)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = y / m
        z = (np.power(ratio, l) - 1.0) / (l * s)
        if np.any(l == 0.0):
            z = np.where(l == 0.0, np.log(ratio) / s, z)
    return np.asarray(z, dtype=np.float64)


def zscore_linear(y: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:
    """The plain z-score when L is 1 everywhere: ((y/M) - 1)/S, the same numbers faster."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((y / m - 1.0) / s, dtype=np.float64)


def zscore_restricted(y: FloatArray, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:
    """WHO's restricted z-score: beyond +/-3 SD the scale is the 2-3 SD distance."""
    z = zscore(y, l, m, s)
    with np.errstate(invalid="ignore"):
        high = z > 3.0
        low = z < -3.0
    if np.any(high):
        sd3 = value_at(3.0, l[high], m[high], s[high])
        sd2 = value_at(2.0, l[high], m[high], s[high])
        z[high] = 3.0 + (y[high] - sd3) / (sd3 - sd2)
    if np.any(low):
        sd3 = value_at(-3.0, l[low], m[low], s[low])
        sd2 = value_at(-2.0, l[low], m[low], s[low])
        z[low] = -3.0 + (y[low] - sd3) / (sd2 - sd3)
    return z
