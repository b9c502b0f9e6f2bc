"""What a kader or officer must be told about a child's measurements: stunting and other
problem categories, 2T, implausible values (WHO flags, the engine's plausibility rules).

All judgement comes from ``tumbuh.growth`` (stored categories and flags, ``trend.plausibility``);
this module only turns it into Indonesian sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tumbuh.growth.categories import Category, Severity
from tumbuh.growth.trend import PlausibilityWarning, Visit, plausibility
from tumbuh.registry.models import Child, Measurement

INDEX_NAMES = {"tbu": "PB/U-TB/U", "bbu": "BB/U", "bbtb": "BB/PB-BB/TB", "imtu": "IMT/U"}
Z_NAMES = {
    "zlen": ("flen", "PB/U-TB/U"),
    "zwei": ("fwei", "BB/U"),
    "zwfl": ("fwfl", "BB/PB-BB/TB"),
    "zbmi": ("fbmi", "IMT/U"),
    "zhc": ("fhc", "LK/U"),
    "zac": ("fac", "LiLA/U"),
}


@dataclass(frozen=True, slots=True)
class Notice:
    """One message; ``level`` is ``danger`` (act now), ``warning`` (check) or ``info``."""

    level: str
    text: str


def _format_z(z: float) -> str:
    return f"{z:+.2f}".replace(".", ",")


def measurement_warnings(
    measurement: Measurement, series: Sequence[Measurement], child: Child
) -> tuple[str, ...]:
    """Plain texts for the result screen right after a weighing."""
    return tuple(n.text for n in measurement_notices(measurement, series, child))


def measurement_notices(
    measurement: Measurement, series: Sequence[Measurement], child: Child
) -> list[Notice]:
    notices: list[Notice] = []
    if measurement.is_stunted:
        notices.append(
            Notice(
                "danger",
                "Stunting (PB/U-TB/U di bawah -2 SD): rujuk ke puskesmas untuk konfirmasi "
                "dan penanganan.",
            )
        )
    for index, name in INDEX_NAMES.items():
        code = getattr(measurement, f"category_{index}")
        if not code or (index == "tbu" and measurement.is_stunted):
            continue
        category = Category(code)
        if category.severity >= Severity.MODERATE:
            notices.append(Notice("danger", f"{name}: {category.label}."))
        elif category.severity is Severity.RISK:
            notices.append(Notice("warning", f"{name}: {category.label}."))
    if measurement.two_t:
        notices.append(
            Notice(
                "danger",
                "2T: berat badan tidak naik dua bulan berturut-turut; rujuk ke puskesmas.",
            )
        )
    elif measurement.trend == "T":
        notices.append(Notice("warning", "Berat badan tidak naik (T) dibanding bulan lalu."))
    for z_name, (flag, label) in Z_NAMES.items():
        z = getattr(measurement, z_name)
        if getattr(measurement, flag):
            shown = f" ({_format_z(z)})" if z is not None else ""
            notices.append(
                Notice(
                    "warning",
                    f"Z-score {label}{shown} di luar batas wajar WHO: periksa kembali "
                    "pengukuran dan tanggal lahir.",
                )
            )
    if measurement.oedema:
        notices.append(
            Notice("danger", "Edema: indikator berbasis berat tidak dihitung; rujuk segera.")
        )
    for warning in series_warnings(child, series):
        if measurement.measured_on in warning.dates:
            notices.append(Notice("warning", warning.message))
    return notices


def series_warnings(child: Child, series: Sequence[Measurement]) -> list[PlausibilityWarning]:
    """The engine's plausibility warnings over the whole series."""
    visits = [
        Visit(
            date=m.measured_on,
            weight_kg=float(m.weight_kg) if m.weight_kg is not None else None,
            length_height_cm=m.clenhei,
        )
        for m in series
    ]
    return plausibility(child.birth_date, visits)


def child_notices(child: Child, series: Sequence[Measurement]) -> list[Notice]:
    """Warnings for the child page: the latest measurement's, plus every implausible pair."""
    if not series:
        return [Notice("info", "Belum ada pengukuran.")]
    latest = series[-1]
    latest_notices = measurement_notices(latest, series, child)
    notices = [n for n in latest_notices if n.level == "danger"]
    notices += [n for n in latest_notices if n.level != "danger"]
    seen = {n.text for n in notices}
    for warning in series_warnings(child, series):
        if warning.message not in seen:
            notices.append(Notice("warning", warning.message))
    return notices
