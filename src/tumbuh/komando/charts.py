"""Server-rendered SVG charts for the page and the rakor PDF (nothing loads from outside).

``line_chart`` draws month-by-month shares (0-100 %) of one or more series, marks the weighing
months (February and August, DOMAIN.md 2.6) with a shaded band and leaves a gap where a month
has no denominator. Output is a plain SVG string; every text is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
COLOURS = ("#b3261e", "#0b57d0", "#1f6f4a", "#8a5a00")


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    points: Sequence[tuple[dt.date, float | None]]


def _nice_max(value: float) -> float:
    for bound in (5, 10, 20, 25, 50, 75, 100):
        if value <= bound:
            return float(bound)
    return 100.0


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    weighing_months: tuple[int, ...] = (2, 8),
    width: int = 640,
    height: int = 250,
) -> str:
    left, right, top = 44, 12, 28
    bottom = 26 + 16 * len(series)  # month labels, then one legend line per series
    plot_w, plot_h = width - left - right, height - top - bottom
    months = [m for m, _ in series[0].points] if series else []
    count = max(len(months), 1)
    values = [v for s in series for _, v in s.points if v is not None]
    y_max = _nice_max(max(values) if values else 5.0)
    step = plot_w / max(count - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h - (v / y_max) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="{left}" y="16" font-size="13" font-weight="600" fill="#1b2430">'
        f"{escape(title)}</text>",
    ]
    for i, month in enumerate(months):
        if month.month in weighing_months:
            parts.append(
                f'<rect x="{x(i) - step / 2:.1f}" y="{top}" width="{step:.1f}" height="{plot_h}" '
                f'fill="#fff4d6" class="weighing-month"><title>Bulan penimbangan</title></rect>'
            )
    for k in range(5):
        v = y_max * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="#d8dde4" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#5b6573">{v:g}%</text>'
        )
    for i, month in enumerate(months):
        label = MONTHS_ID[month.month - 1] + (f" {month:%y}" if month.month == 1 or i == 0 else "")
        weight = ' font-weight="700"' if month.month in weighing_months else ""
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" font-size="10" '
            f'text-anchor="middle" fill="#5b6573"{weight}>{escape(label)}</text>'
        )
    for n, s in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, (_month, v) in enumerate(s.points):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(s.label)} {escape(MONTHS_ID[_month.month - 1])} "
                f"{_month.year}: {v:.1f}%</title></circle>"
            )
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(seg)}"/>'
                )
        legend_y = height - bottom + 26 + 16 * n
        parts.append(
            f'<rect x="{left}" y="{legend_y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + 14}" y="{legend_y + 9}" font-size="11" fill="#1b2430">'
            f"{escape(s.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
