"""WHO growth charts as standalone SVG, drawn from the LMS tables (no plotting library).

The -3, -2, 0, +2 and +3 SD lines come from the same tables and formula as the z-scores
(``tables.load`` and ``lms.value_at``): the WHO 2006 standards by day (plotted in months,
days / 30.4375) or by 0.1 cm, and the WHO 2007 reference by month. A band never mixes length and
height: the 0-2 year lines end at day 730 (the last length row) and the 2-5 year lines start at
day 731, as WHO's own tables switch there.

The SVG uses presentation attributes only (no ``<style>``, no script, no external font), so the
same string works inline in HTML and in PDF renderers (WeasyPrint, svglib). Text the caller
supplies is XML-escaped, and the output is a pure function of the input (byte-identical).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from html import escape

import numpy as np

from tumbuh.growth.lms import FloatArray, value_at
from tumbuh.growth.tables import Table, load

DAYS_PER_MONTH = 30.4375
MIN_WIDTH = 320
MIN_HEIGHT = 240


class ChartKind(StrEnum):
    """The indicator a chart shows."""

    LENGTH_HEIGHT_FOR_AGE = "length_height_for_age"
    WEIGHT_FOR_AGE = "weight_for_age"
    WEIGHT_FOR_LENGTH_HEIGHT = "weight_for_length_height"
    BMI_FOR_AGE = "bmi_for_age"


class AgeBand(StrEnum):
    """The age band of a chart (years), as in the WHO and Buku KIA chart sets."""

    BIRTH_TO_2 = "0-2"
    TWO_TO_5 = "2-5"
    FIVE_TO_19 = "5-19"


class XAxis(StrEnum):
    """What the x axis holds: age in months (labelled in months or whole years), or cm."""

    MONTHS = "months"
    YEARS = "years"
    CM = "cm"


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One supported chart: its table, x range (months, or cm) and its Indonesian wording."""

    kind: ChartKind
    band: AgeBand
    table: Table
    x_axis: XAxis
    x_min: float
    x_max: float
    title: str
    span: str
    x_name: str
    y_name: str
    y_unit: str

    @property
    def x_label(self) -> str:
        if self.x_axis is XAxis.CM:
            return f"{self.x_name.capitalize()} (cm)"
        return "Umur (tahun)" if self.x_axis is XAxis.YEARS else "Umur (bulan)"

    @property
    def y_label(self) -> str:
        return f"{self.y_name} ({self.y_unit})"

    @property
    def source(self) -> str:
        if self.table.value.startswith("who2007"):
            return "Referensi Pertumbuhan WHO 2007"
        return "Standar Pertumbuhan Anak WHO 2006"


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One measurement: x is age in months (or length/height in cm for weight-for-length/height)."""

    x: float
    y: float
    when: date
    label: str | None = None


@dataclass(frozen=True, slots=True)
class ChartSVG:
    """The chart and what happened to the child's points (``skipped``: off the chart)."""

    svg: str
    plotted: int
    skipped: int


_UNITS = {"Panjang badan": "cm", "Tinggi badan": "cm", "Berat badan": "kg", "IMT": "kg/m²"}


def _chart(
    kind: ChartKind,
    band: AgeBand,
    table: Table,
    axis: XAxis,
    x_range: tuple[float, float],
    span: str,
    y_name: str,
    x_name: str = "umur",
) -> ChartSpec:
    title = f"{y_name} menurut {x_name}"
    unit = _UNITS[y_name]
    return ChartSpec(kind, band, table, axis, *x_range, title, span, x_name, y_name, unit)


_LH, _WA, _WLH, _BMI = ChartKind
_B02, _B25, _B519 = AgeBand
_M, _Y, _CM = XAxis
_SPECS: dict[tuple[str, str], ChartSpec] = {
    (s.kind, s.band): s
    for s in (
        _chart(_LH, _B02, Table.LHFA, _M, (0, 24), "0–2", "Panjang badan"),
        _chart(_LH, _B25, Table.LHFA, _M, (24, 60), "2–5", "Tinggi badan"),
        _chart(_LH, _B519, Table.HFA_2007, _Y, (60, 228), "5–19", "Tinggi badan"),
        _chart(_WA, _B02, Table.WFA, _M, (0, 24), "0–2", "Berat badan"),
        _chart(_WA, _B25, Table.WFA, _M, (24, 60), "2–5", "Berat badan"),
        _chart(_WA, _B519, Table.WFA_2007, _Y, (60, 120), "5–10", "Berat badan"),
        _chart(_WLH, _B02, Table.WFL, _CM, (45, 110), "0–2", "Berat badan", "panjang badan"),
        _chart(_WLH, _B25, Table.WFH, _CM, (65, 120), "2–5", "Berat badan", "tinggi badan"),
        _chart(_BMI, _B02, Table.BFA, _M, (0, 24), "0–2", "IMT"),
        _chart(_BMI, _B25, Table.BFA, _M, (24, 60), "2–5", "IMT"),
        _chart(_BMI, _B519, Table.BFA_2007, _Y, (60, 228), "5–19", "IMT"),
    )
}
_WHY_NOT = {(_WLH, _B519): " (the WHO 2007 reference has no weight-for-height)"}


def bands_for(kind: ChartKind) -> tuple[AgeBand, ...]:
    """The age bands with a chart of this kind, youngest first."""
    return tuple(AgeBand(band) for k, band in _SPECS if k == kind)


def chart_spec(kind: ChartKind, band: AgeBand) -> ChartSpec:
    """The chart for ``kind`` and ``band``; ``ValueError`` for a combination WHO does not chart."""
    spec = _SPECS.get((kind, band))
    if spec is None:
        have = ", ".join(bands_for(kind)) or "none"
        why = _WHY_NOT.get((kind, band), "")
        raise ValueError(f"no WHO growth chart for {kind} at {band} years{why}; bands: {have}")
    return spec


# Drawing constants (px, colours in the WHO / Buku KIA style).
_SD_LINES = (
    (3, "#1a1a1a", 1.4),
    (2, "#d7191c", 1.4),
    (0, "#1a9641", 1.8),
    (-2, "#d7191c", 1.4),
    (-3, "#1a1a1a", 1.4),
)
_Z = np.array([z for z, _, _ in _SD_LINES], dtype=np.float64)
_SEX = {1: ("Laki-laki", "#cfe2f5"), 2: ("Perempuan", "#f8d3e3")}
_CHILD = "#1f4fbf"
_FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
_X_STEPS: dict[XAxis, tuple[tuple[float, ...], tuple[float, ...]]] = {
    XAxis.MONTHS: ((1, 2, 3, 6, 12), (1, 2, 3, 6, 12)),
    XAxis.YEARS: ((12, 24, 36, 60), (1, 2, 3, 6, 12)),
    XAxis.CM: ((1, 2, 5, 10, 20), (0.5, 1, 2, 5, 10)),
}
# Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _esc(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text), quote=True)


def _n(v: float) -> str:
    """A coordinate: at most 2 decimals, no trailing zeros."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _dec(v: float, digits: int = 2) -> str:
    """A number for people: Indonesian decimal comma, no trailing zeros."""
    return f"{v:.{digits}f}".rstrip("0").rstrip(".").replace(".", ",")


def _date(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.6


def _sd_curves(spec: ChartSpec, sex: int) -> tuple[FloatArray, FloatArray]:
    """x (months or cm) and the five SD lines (rows: +3, +2, 0, -2, -3) on a sampled grid."""
    table = load(spec.table)
    per_x = DAYS_PER_MONTH if table.key == "age_days" else 1.0
    first = math.ceil(spec.x_min * per_x / table.step - 1e-6) - table.first
    last = math.floor(spec.x_max * per_x / table.step + 1e-6) - table.first
    stride = {"age_days": 7, "age_months": 1}.get(table.key, 5)  # a week, a month, 0.5 cm
    index = np.arange(first, last + 1, stride)
    if index[-1] != last:
        index = np.append(index, last)
    i = int(sex) - 1
    lms = (table.l[i, index], table.m[i, index], table.s[i, index])
    return table.keys[index] / per_x, value_at(_Z[:, None], *(a[None, :] for a in lms))


def _nice_step(span: float, pixels: float, min_px: float) -> tuple[float, int]:
    """A 1-2-5 step at least ``min_px`` apart, and how many minor steps it splits into."""
    raw = span * min_px / pixels
    power = 10.0 ** math.floor(math.log10(raw))
    steps = ((1.0, 5), (2.0, 4), (5.0, 5), (10.0, 5))
    return next(((m * power, r) for m, r in steps if m * power >= raw), (10 * power, 5))


def _x_steps(spec: ChartSpec, px_per_unit: float) -> tuple[float, int]:
    labels, minors = _X_STEPS[spec.x_axis]
    step = next((c for c in labels if c * px_per_unit >= 24), labels[-1])
    fits = (c for c in minors if c * px_per_unit >= 5 and abs(step / c - round(step / c)) < 1e-9)
    return step, round(step / next(fits, step))


def _ticks(lo: float, hi: float, step: float, ratio: int) -> tuple[list[float], list[float]]:
    """Major ticks (multiples of ``step``) and the minor ticks between them, within [lo, hi]."""
    minor = step / ratio
    major: list[float] = []
    minors: list[float] = []
    for j in range(math.ceil(lo / minor - 1e-9), math.floor(hi / minor + 1e-9) + 1):
        if j % ratio == 0:
            major.append(j // ratio * step)
        else:
            minors.append(j * minor)
    return major, minors


def _tick_label(spec: ChartSpec, x: float) -> str:
    return _dec(x / 12 if spec.x_axis is XAxis.YEARS else x)


def _x_text(spec: ChartSpec, x: float) -> str:
    if spec.x_axis is XAxis.CM:
        return f"{spec.x_name} {_dec(x)} cm"
    if spec.x_axis is XAxis.YEARS:
        return f"umur {_dec(x / 12, 1)} tahun"
    return f"umur {_dec(x, 1)} bulan"


def _point_title(spec: ChartSpec, p: ChartPoint) -> str:
    head = _date(p.when) if p.label is None else f"{_date(p.when)} — {p.label}"
    return f"{head}: {spec.y_name} {_dec(p.y)} {spec.y_unit}, {_x_text(spec, p.x)}"


def _text(
    x: float, y: float, body: str, size: float, *, anchor: str = "start", **extra: str
) -> str:
    attrs = "".join(f' {k.strip("_").replace("_", "-")}="{v}"' for k, v in extra.items())
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}"{attrs}>'
        f"{_esc(body)}</text>"
    )


@dataclass(frozen=True, slots=True)
class _Frame:
    """The plot area in px and the data range it shows; ``px``/``py`` map data to px."""

    left: float
    top: float
    right: float
    bottom: float
    x0: float
    x1: float
    y0: float
    y1: float

    def px(self, x: float) -> float:
        return self.left + (x - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def py(self, y: float) -> float:
        return self.bottom - (y - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)


def _grid_and_axes(spec: ChartSpec, f: _Frame, y_step: float, y_ratio: int) -> list[str]:
    x_step, x_ratio = _x_steps(spec, (f.right - f.left) / (f.x1 - f.x0))
    x_major, x_minor = _ticks(f.x0, f.x1, x_step, x_ratio)
    y_major, y_minor = _ticks(f.y0, f.y1, y_step, y_ratio)
    out = []
    for colour, xs, ys in (("#ececec", x_minor, y_minor), ("#c4c4c4", x_major, y_major)):
        d = "".join(f"M{_n(f.px(x))} {_n(f.top)}V{_n(f.bottom)}" for x in xs)
        d += "".join(f"M{_n(f.left)} {_n(f.py(y))}H{_n(f.right)}" for y in ys)
        out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="0.8"/>')
    out.append(
        f'<rect class="tumbuh-plot" x="{_n(f.left)}" y="{_n(f.top)}" '
        f'width="{_n(f.right - f.left)}" height="{_n(f.bottom - f.top)}" fill="none" '
        'stroke="#4d4d4d" stroke-width="1"/>'
    )
    marks = "".join(f"M{_n(f.px(x))} {_n(f.bottom)}v4" for x in x_major)
    marks += "".join(f"M{_n(f.left)} {_n(f.py(y))}h-4" for y in y_major)
    out.append(f'<path d="{marks}" fill="none" stroke="#4d4d4d" stroke-width="1"/>')
    for x in x_major:
        out.append(_text(f.px(x), f.bottom + 16, _tick_label(spec, x), 11, anchor="middle"))
    for y in y_major:
        label = _text(f.left - 7, f.py(y) + 4, _dec(y), 11, anchor="end", class_="tumbuh-ytick")
        out.append(label)
    out.append(_text((f.left + f.right) / 2, f.bottom + 36, spec.x_label, 12, anchor="middle"))
    mid = _n((f.top + f.bottom) / 2)
    out.append(
        _text(
            16,
            (f.top + f.bottom) / 2,
            spec.y_label,
            12,
            anchor="middle",
            transform=f"rotate(-90 16 {mid})",
        )
    )
    return out


def _sd_marks(f: _Frame, xs: FloatArray, curves: FloatArray) -> list[str]:
    """The WHO lines, each labelled at its right end; labels pushed apart where they touch."""
    label_y = [f.py(float(c[-1])) + 4 for c in curves]
    for k in range(1, len(label_y)):
        label_y[k] = max(label_y[k], label_y[k - 1] + 11)
    out = []
    for (z, colour, stroke), curve, ly in zip(_SD_LINES, curves, label_y, strict=True):
        coords = zip(xs.tolist(), curve.tolist(), strict=True)
        pts = " ".join(f"{_n(f.px(x))},{_n(f.py(y))}" for x, y in coords)
        out.append(
            f'<polyline class="tumbuh-sd" data-sd="{z}" points="{pts}" fill="none" '
            f'stroke="{colour}" stroke-width="{stroke}" stroke-linejoin="round"/>'
        )
        out.append(_text(f.right + 5, ly, str(z), 11, fill=colour, font_weight="bold"))
    return out


def _child_marks(
    spec: ChartSpec, f: _Frame, kept: list[ChartPoint], annotate_last: bool
) -> list[str]:
    """The child's points in date order, joined, each with a hover ``<title>``."""
    out = ['<g class="tumbuh-child">']
    if len(kept) > 1:
        pts = " ".join(f"{_n(f.px(p.x))},{_n(f.py(p.y))}" for p in kept)
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{_CHILD}" stroke-width="1.6" '
            'stroke-linejoin="round"/>'
        )
    for p in kept:
        out.append(
            f'<circle cx="{_n(f.px(p.x))}" cy="{_n(f.py(p.y))}" r="3.5" fill="{_CHILD}" '
            f'stroke="#ffffff" stroke-width="1"><title>{_esc(_point_title(spec, p))}</title>'
            "</circle>"
        )
    out.append("</g>")
    if annotate_last:
        last = kept[-1]
        text = _date(last.when)
        tx, ty, anchor = f.px(last.x) + 7, f.py(last.y) - 7, "start"
        if tx + _text_width(text, 10) > f.right:
            tx, anchor = f.px(last.x) - 7, "end"
        if ty - 10 < f.top:
            ty = f.py(last.y) + 15
        out.append(_text(tx, ty, text, 10, anchor=anchor, fill=_CHILD))
    return out


def _legend(spec: ChartSpec, width: int, height: int, with_child: bool) -> list[str]:
    """Line samples in centred rows (two where the chart is narrow), the source below them."""
    items = [("Median (0 SD)", "#1a9641"), ("-2 dan +2 SD", "#d7191c"), ("-3 dan +3 SD", "#1a1a1a")]
    if with_child:
        items.append(("Pengukuran anak", _CHILD))
    rows: list[list[tuple[str, str, float]]] = [[]]
    for label, colour in items:
        w = 28 + _text_width(label, 11)
        if rows[-1] and sum(r[2] + 16 for r in rows[-1]) + w > width - 16:
            rows.append([])
        rows[-1].append((label, colour, w))
    out = []
    for i, row in enumerate(rows):
        x = (width - sum(w + 16 for _, _, w in row) + 16) / 2
        y = height - 30 + 15 * i
        for label, colour, w in row:
            out.append(
                f'<path d="M{_n(x)} {y - 4}h22" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            if colour == _CHILD:
                out.append(f'<circle cx="{_n(x + 11)}" cy="{y - 4}" r="3.5" fill="{_CHILD}"/>')
            out.append(_text(x + 28, y, label, 11))
            x += w + 16
    source = f"Sumber: {spec.source}"
    out.append(_text(width - 8, height - 4, source, 9, anchor="end", fill="#666666"))
    return out


def growth_chart(
    kind: ChartKind,
    sex: int,
    band: AgeBand,
    points: Iterable[ChartPoint] = (),
    *,
    width: int = 720,
    height: int = 480,
    annotate_last: bool = True,
) -> ChartSVG:
    """A WHO growth chart for sex 1 (laki-laki) or 2 (perempuan), with a child's points.

    Points outside the band's x range, at or below zero, or absurdly far outside the SD lines
    (beyond half the -3..+3 SD span) are not drawn and are counted in ``skipped``; so are NaN
    values. The y axis covers the -3 and +3 SD lines and every drawn point. ``annotate_last``
    prints the date of the last measurement beside it.
    """
    spec = chart_spec(kind, band)
    if isinstance(sex, bool) or sex not in _SEX:
        raise ValueError(f"sex must be 1 (laki-laki) or 2 (perempuan), not {sex!r}")
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(
            f"chart size must be at least {MIN_WIDTH}x{MIN_HEIGHT}, not {width}x{height}"
        )
    sex_name, band_colour = _SEX[sex]
    xs, curves = _sd_curves(spec, sex)
    lo3, hi3 = float(curves[-1].min()), float(curves[0].max())
    floor_, ceiling = max(0.0, lo3 - (hi3 - lo3) / 2), hi3 + (hi3 - lo3) / 2
    given = tuple(points)
    # Comparisons with NaN are False, so NaN coordinates are skipped here too.
    kept = [p for p in given if spec.x_min <= p.x <= spec.x_max and floor_ < p.y <= ceiling]
    kept.sort(key=lambda p: p.when)
    skipped = len(given) - len(kept)

    top, bottom = 48.0, height - 88.0
    lo = min([lo3, *(p.y for p in kept)])
    hi = max([hi3, *(p.y for p in kept)])
    y_step, y_ratio = _nice_step(hi - lo, bottom - top, 28)
    y0 = math.floor(lo / y_step + 1e-9) * y_step
    y1 = math.ceil(hi / y_step - 1e-9) * y_step
    f = _Frame(64.0, top, width - 34.0, bottom, spec.x_min, spec.x_max, y0, y1)

    title = f"{spec.title} — {sex_name}, {spec.span} tahun"
    shown = f"{len(kept)} titik pengukuran anak" if given else "Tanpa data pengukuran anak"
    off = f", {skipped} di luar grafik" if skipped else ""
    desc = f"Grafik pertumbuhan WHO: {title}. Garis -3, -2, 0 (median), 2 dan 3 SD. {shown}{off}."
    title_size = min(16.0, (width - 24) / (len(title) * 0.62))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" font-family="{_FONT}" fill="#1a1a1a">',
        f"<title>{_esc(title)}</title>",
        f"<desc>{_esc(f'{desc} {spec.source}.')}</desc>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<rect width="{width}" height="36" fill="{band_colour}"/>',
        _text(width / 2, 24, title, title_size, anchor="middle", font_weight="bold"),
        *_grid_and_axes(spec, f, y_step, y_ratio),
        *_sd_marks(f, xs, curves),
        *(_child_marks(spec, f, kept, annotate_last) if kept else []),
        *_legend(spec, width, height, bool(kept)),
        "</svg>",
    ]
    return ChartSVG(svg="\n".join(out) + "\n", plotted=len(kept), skipped=skipped)
