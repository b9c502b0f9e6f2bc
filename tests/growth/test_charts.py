"""WHO growth charts as SVG: geometry checked against WHO's tables by inverting the plot.

Every chart is parsed with ``xml.etree.ElementTree``. The data behind a line is read back from
the SVG alone: the plot frame (``rect.tumbuh-plot``) spans the band's x range and the first to
the last y tick label. Coordinates carry 2 decimals, so a value read back is within 0.005 px
of the truth; the tolerances below are stated in those terms.
"""

from __future__ import annotations

import ast
import itertools
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tumbuh.growth.charts as charts
from tumbuh.growth.charts import (
    DAYS_PER_MONTH,
    AgeBand,
    ChartKind,
    ChartPoint,
    ChartSpec,
    XAxis,
    bands_for,
    chart_spec,
    growth_chart,
)
from tumbuh.growth.lms import value_at
from tumbuh.growth.tables import load

SVG = "{http://www.w3.org/2000/svg}"
SUPPORTED = [(kind, band) for kind in ChartKind for band in bands_for(kind)]
Z_LINES = (3, 2, 0, -2, -3)
LH, WA, WLH, BMI = ChartKind
B02, B25, B519 = AgeBand


class Plot:
    """A parsed chart and the inverse of its plotting transform."""

    def __init__(self, svg: str, spec: ChartSpec) -> None:
        self.root = ET.fromstring(svg)
        frame = self.one("rect", "tumbuh-plot")
        self.left, self.top = float(frame.attrib["x"]), float(frame.attrib["y"])
        self.right = self.left + float(frame.attrib["width"])
        self.bottom = self.top + float(frame.attrib["height"])
        ticks = [_number(t.text or "") for t in self.all("text", "tumbuh-ytick")]
        self.y0, self.y1 = min(ticks), max(ticks)
        self.x0, self.x1 = spec.x_min, spec.x_max

    def all(self, tag: str, cls: str | None = None) -> list[ET.Element]:
        found = self.root.iter(f"{SVG}{tag}")
        return [e for e in found if cls is None or e.attrib.get("class") == cls]

    def one(self, tag: str, cls: str) -> ET.Element:
        (element,) = self.all(tag, cls)
        return element

    def x(self, px: float) -> float:
        return self.x0 + (px - self.left) / (self.right - self.left) * (self.x1 - self.x0)

    def y(self, py: float) -> float:
        return self.y0 + (self.bottom - py) / (self.bottom - self.top) * (self.y1 - self.y0)

    def units_per_px(self) -> float:
        return (self.y1 - self.y0) / (self.bottom - self.top)

    def sd_pixels(self, z: int) -> list[tuple[float, float]]:
        (line,) = [e for e in self.all("polyline", "tumbuh-sd") if e.attrib["data-sd"] == str(z)]
        return _pairs(line.attrib["points"])

    def sd_line(self, z: int) -> list[tuple[float, float]]:
        return [(self.x(px), self.y(py)) for px, py in self.sd_pixels(z)]

    def texts(self) -> list[str]:
        return [t.text or "" for t in self.all("text")]


def _sd_labels(plot: Plot) -> list[ET.Element]:
    """The texts at the right end of the SD lines (5 px right of the frame)."""
    return [t for t in plot.all("text") if float(t.attrib["x"]) == plot.right + 5]


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _pairs(points: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in (p.split(",") for p in points.split())]


def _plot(
    kind: ChartKind,
    sex: int,
    band: AgeBand,
    points: list[ChartPoint] | None = None,
    *,
    width: int = 720,
    height: int = 480,
) -> Plot:
    chart = growth_chart(kind, sex, band, points or (), width=width, height=height)
    return Plot(chart.svg, chart_spec(kind, band))


def _grid_value(spec: ChartSpec) -> Callable[[float], float]:
    """Chart x (months or cm) to the table's key (days, months or cm)."""
    table = load(spec.table)
    return (lambda x: x * DAYS_PER_MONTH) if table.key == "age_days" else (lambda x: x)


# --- Which charts exist ---------------------------------------------------------------------


def test_bands_for_lists_the_who_chart_set() -> None:
    assert bands_for(LH) == (B02, B25, B519)
    assert bands_for(WA) == (B02, B25, B519)
    assert bands_for(BMI) == (B02, B25, B519)
    assert bands_for(WLH) == (B02, B25)
    assert len(SUPPORTED) == 11


@pytest.mark.parametrize(
    ("kind", "band", "table", "x_range"),
    [
        (LH, B02, "who2006_lhfa", (0, 24)),
        (LH, B25, "who2006_lhfa", (24, 60)),
        (LH, B519, "who2007_hfa", (60, 228)),
        (WA, B519, "who2007_wfa", (60, 120)),  # WHO 2007 weight-for-age stops at 10 years
        (WLH, B02, "who2006_wfl", (45, 110)),
        (WLH, B25, "who2006_wfh", (65, 120)),
        (BMI, B519, "who2007_bfa", (60, 228)),
    ],
)
def test_chart_spec_tables_and_ranges(
    kind: ChartKind, band: AgeBand, table: str, x_range: tuple[float, float]
) -> None:
    spec = chart_spec(kind, band)
    assert (spec.table.value, (spec.x_min, spec.x_max)) == (table, x_range)
    with pytest.raises(FrozenInstanceError):
        spec.x_min = 1  # type: ignore[misc]  # frozen dataclass: assignment must fail


def test_weight_for_height_after_five_is_refused_with_the_reason() -> None:
    message = r"no WHO growth chart for weight_for_length_height at 5-19 years \(the WHO 2007"
    with pytest.raises(ValueError, match=message + r".*weight-for-height\); bands: 0-2, 2-5"):
        growth_chart(WLH, 1, B519)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="head_circumference at 0-2 years; bands: none"):
        chart_spec("head_circumference", B02)  # type: ignore[arg-type]  # what a view might pass


@pytest.mark.parametrize("sex", [0, 3, -1, True])
def test_sex_must_be_1_or_2(sex: int) -> None:
    with pytest.raises(ValueError, match=r"sex must be 1 \(laki-laki\) or 2 \(perempuan\)"):
        growth_chart(LH, sex, B02)


@pytest.mark.parametrize(("width", "height"), [(319, 480), (720, 239), (0, 0)])
def test_too_small_a_chart_is_refused(width: int, height: int) -> None:
    with pytest.raises(ValueError, match="chart size must be at least 320x240"):
        growth_chart(LH, 1, B02, width=width, height=height)


# --- Every chart: well-formed, standalone, the five WHO lines in order ------------------------


@pytest.mark.parametrize("sex", [1, 2])
@pytest.mark.parametrize(("kind", "band"), SUPPORTED)
def test_every_chart_renders_standalone(kind: ChartKind, band: AgeBand, sex: int) -> None:
    svg = growth_chart(kind, sex, band).svg
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert (root.attrib["viewBox"], root.attrib["width"], root.attrib["height"]) == (
        "0 0 720 480",
        "720",
        "480",
    )
    assert root.attrib["role"] == "img"
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert "WHO" in (root[1].text or "")
    # No script, no style sheet, no external resource: presentation attributes only.
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "path", "polyline", "text", "g", "circle"}
    assert not [a for e in root.iter() for a in e.attrib if a in {"style", "href"} or "{" in a]
    assert "url(" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize("sex", [1, 2])
@pytest.mark.parametrize(("kind", "band"), SUPPORTED)
def test_sd_lines_are_stacked_and_inside_the_frame(
    kind: ChartKind, band: AgeBand, sex: int
) -> None:
    plot = _plot(kind, sex, band)
    lines = [plot.sd_pixels(z) for z in Z_LINES]
    assert len({len(line) for line in lines}) == 1
    for vertex in zip(*lines, strict=True):
        xs = {px for px, _ in vertex}
        ys = [py for _, py in vertex]
        assert len(xs) == 1
        # SVG y grows downwards: +3 SD above +2 SD above the median above -2 SD above -3 SD.
        assert ys == sorted(ys) and len(set(ys)) == 5
        assert plot.top <= ys[0] and ys[-1] <= plot.bottom
        assert plot.left <= vertex[0][0] <= plot.right
    # The labels at the right end, in WHO's notation.
    assert [t.text for t in _sd_labels(plot)] == ["3", "2", "0", "-2", "-3"]


@pytest.mark.parametrize("sex", [1, 2])
@pytest.mark.parametrize(("kind", "band"), SUPPORTED)
def test_every_vertex_lies_on_the_who_curve(kind: ChartKind, band: AgeBand, sex: int) -> None:
    """Each vertex sits on a table row and at the LMS value there, to 0.01 px."""
    spec = chart_spec(kind, band)
    table = load(spec.table)
    to_key = _grid_value(spec)
    plot = _plot(kind, sex, band)
    tolerance = 0.01 * plot.units_per_px()
    for z in Z_LINES:
        line = plot.sd_line(z)
        keys = [to_key(x) for x, _ in line]
        for key, (_, y) in zip(keys, line, strict=True):
            row = round(key / table.step) * table.step
            assert abs(key - row) < 0.05 * table.step  # within 0.005 px in x as well
            expected = float(value_at(z, *table.row(sex, row)))
            assert abs(y - expected) <= tolerance, (z, row)
        # Smooth but small: a week, a month or 0.5 cm apart, from edge to edge of the band.
        gaps = [b - a for a, b in itertools.pairwise(keys)]
        assert max(gaps) <= {"age_days": 7, "age_months": 1}.get(table.key, 0.5) + 0.05
        assert len(line) <= 170
        assert plot.x(plot.sd_pixels(z)[0][0]) - spec.x_min < 0.04
        assert spec.x_max - plot.x(plot.sd_pixels(z)[-1][0]) < 0.04


# --- Published WHO values ---------------------------------------------------------------------

# Medians (M) from WHO's published tables, read back from the 0 SD line at the band's first
# vertex. Tolerance 0.005 (cm, kg or kg/m²): far below the 2-decimal coordinate rounding
# (at most 0.002 units on these charts) plus the tables' 4 decimals.
PUBLISHED_MEDIANS = [
    # WHO Child Growth Standards 2006, length-for-age by day (lhfa_*_z_exp), day 0.
    (LH, B02, 1, 49.8842),
    (LH, B02, 2, 49.1477),
    # Weight-for-age by day (wfa_*_z_exp), day 0.
    (WA, B02, 1, 3.3464),
    (WA, B02, 2, 3.2322),
    # Weight-for-length (wfl_*_z_exp), 45.0 cm; weight-for-height (wfh_*_z_exp), 65.0 cm.
    (WLH, B02, 1, 2.4410),
    (WLH, B02, 2, 2.4607),
    (WLH, B25, 1, 7.4327),
    (WLH, B25, 2, 7.2402),
    # WHO Growth Reference 2007, month 60 (WHO's values, see docs GROWTH.md).
    (LH, B519, 1, 109.7265),
    (LH, B519, 2, 109.0725),
    (BMI, B519, 1, 15.2679),
    (BMI, B519, 2, 15.2453),
    (WA, B519, 1, 18.3328),
    (WA, B519, 2, 18.0823),
]


@pytest.mark.parametrize(("kind", "band", "sex", "median"), PUBLISHED_MEDIANS)
def test_median_line_starts_at_whos_published_median(
    kind: ChartKind, band: AgeBand, sex: int, median: float
) -> None:
    plot = _plot(kind, sex, band)
    x, y = plot.sd_line(0)[0]
    assert x == pytest.approx(chart_spec(kind, band).x_min, abs=1e-3)
    assert y == pytest.approx(median, abs=0.005)


def test_boys_length_median_at_one_year() -> None:
    """365 days (11.99 months): the table's M, read off the line between its weekly vertices.

    Tolerance 0.01 cm: the curve bends by well under that across one week at this age.
    """
    median_365 = load(chart_spec(LH, B02).table).row(1, 365)[1]
    assert median_365 == pytest.approx(75.7391, abs=1e-4)
    line = _plot(LH, 1, B02).sd_line(0)
    x = 365 / DAYS_PER_MONTH
    (a, b) = next((a, b) for a, b in itertools.pairwise(line) if a[0] <= x <= b[0])
    y = a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])
    assert y == pytest.approx(median_365, abs=0.01)


def test_length_and_height_bands_meet_where_who_switches() -> None:
    """Day 730 belongs to the 0-2 length chart, day 731 to the 2-5 height chart (WHO's rows)."""
    end_of_length = _plot(LH, 1, B02).sd_line(0)[-1]
    start_of_height = _plot(LH, 1, B25).sd_line(0)[0]
    assert end_of_length[0] * DAYS_PER_MONTH == pytest.approx(730, abs=0.05)
    assert end_of_length[1] == pytest.approx(87.8018, abs=0.005)
    assert start_of_height[0] * DAYS_PER_MONTH == pytest.approx(731, abs=0.05)
    assert start_of_height[1] == pytest.approx(87.1303, abs=0.005)


def test_y_axis_covers_the_outer_lines_with_nice_ticks() -> None:
    plot = _plot(LH, 1, B02)
    assert (plot.y0, plot.y1) == (40, 100)  # -3 SD at birth 44.2 cm, +3 SD at 24 months 97 cm
    ticks = [_number(t.text or "") for t in plot.all("text", "tumbuh-ytick")]
    assert ticks == list(range(40, 105, 5))
    bottom_labels = [t.text for t in plot.all("text") if float(t.attrib["y"]) == plot.bottom + 16]
    assert bottom_labels == [str(month) for month in range(25)]


def test_school_age_x_axis_is_labelled_in_years() -> None:
    plot = _plot(BMI, 2, B519)
    bottom_labels = [t.text for t in plot.all("text") if float(t.attrib["y"]) == plot.bottom + 16]
    assert bottom_labels == [str(year) for year in range(5, 20)]


# --- Bahasa Indonesia -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "sex", "band", "title", "x_label", "y_label"),
    [
        (
            LH,
            1,
            B02,
            "Panjang badan menurut umur — Laki-laki, 0–2 tahun",
            "Umur (bulan)",
            "Panjang badan (cm)",
        ),
        (
            LH,
            2,
            B25,
            "Tinggi badan menurut umur — Perempuan, 2–5 tahun",
            "Umur (bulan)",
            "Tinggi badan (cm)",
        ),
        (
            LH,
            1,
            B519,
            "Tinggi badan menurut umur — Laki-laki, 5–19 tahun",
            "Umur (tahun)",
            "Tinggi badan (cm)",
        ),
        (
            WA,
            2,
            B02,
            "Berat badan menurut umur — Perempuan, 0–2 tahun",
            "Umur (bulan)",
            "Berat badan (kg)",
        ),
        (
            WA,
            1,
            B519,
            "Berat badan menurut umur — Laki-laki, 5–10 tahun",
            "Umur (tahun)",
            "Berat badan (kg)",
        ),
        (
            WLH,
            1,
            B02,
            "Berat badan menurut panjang badan — Laki-laki, 0–2 tahun",
            "Panjang badan (cm)",
            "Berat badan (kg)",
        ),
        (
            WLH,
            2,
            B25,
            "Berat badan menurut tinggi badan — Perempuan, 2–5 tahun",
            "Tinggi badan (cm)",
            "Berat badan (kg)",
        ),
        (BMI, 2, B25, "IMT menurut umur — Perempuan, 2–5 tahun", "Umur (bulan)", "IMT (kg/m²)"),
    ],
)
def test_labels_are_in_bahasa_indonesia(
    kind: ChartKind, sex: int, band: AgeBand, title: str, x_label: str, y_label: str
) -> None:
    plot = _plot(kind, sex, band)
    assert plot.root[0].text == title
    texts = plot.texts()
    assert title in texts and x_label in texts and y_label in texts
    assert {"Median (0 SD)", "-2 dan +2 SD", "-3 dan +3 SD"} <= set(texts)
    assert any(t.startswith("Sumber: ") and "WHO" in t for t in texts)
    assert "Tanpa data pengukuran anak" in (plot.root[1].text or "")


# --- The child's points -----------------------------------------------------------------------

BORN = date(2023, 1, 5)


def _visit(months: float, y: float, label: str | None = None) -> ChartPoint:
    return ChartPoint(months, y, BORN + timedelta(days=round(months * DAYS_PER_MONTH)), label)


def _child(plot: Plot) -> tuple[list[tuple[float, float]], list[str], list[tuple[float, float]]]:
    """The child's polyline (data units), circle titles, and circle centres (data units)."""
    (group,) = [g for g in plot.all("g") if g.attrib.get("class") == "tumbuh-child"]
    lines = group.findall(f"{SVG}polyline")
    line = [(plot.x(a), plot.y(b)) for a, b in _pairs(lines[0].attrib["points"])] if lines else []
    circles = group.findall(f"{SVG}circle")
    titles = [c.findtext(f"{SVG}title") or "" for c in circles]
    centres = [(plot.x(float(c.attrib["cx"])), plot.y(float(c.attrib["cy"]))) for c in circles]
    return line, titles, centres


def test_points_are_joined_in_date_order_with_hover_titles() -> None:
    visits = [_visit(12.0, 75.3), _visit(0.0, 50.0, "lahir"), _visit(6.5, 66.25)]
    result = growth_chart(LH, 1, B02, visits)
    assert (result.plotted, result.skipped) == (3, 0)
    plot = Plot(result.svg, chart_spec(LH, B02))
    line, titles, centres = _child(plot)
    tolerance = 0.01 * plot.units_per_px()
    for got, want in zip(line, [(0.0, 50.0), (6.5, 66.25), (12.0, 75.3)], strict=True):
        assert got == pytest.approx(want, abs=max(tolerance, 0.001))
    assert centres == line
    assert titles == [
        "05-01-2023 — lahir: Panjang badan 50 cm, umur 0 bulan",
        "22-07-2023: Panjang badan 66,25 cm, umur 6,5 bulan",
        "05-01-2024: Panjang badan 75,3 cm, umur 12 bulan",
    ]
    assert "Pengukuran anak" in plot.texts()
    assert "3 titik pengukuran anak." in (plot.root[1].text or "")


@pytest.mark.parametrize(
    ("kind", "band", "point", "title"),
    [
        (
            WLH,
            B25,
            ChartPoint(92.35, 13.1, date(2024, 2, 29)),
            "29-02-2024: Berat badan 13,1 kg, tinggi badan 92,35 cm",
        ),
        (
            BMI,
            B519,
            ChartPoint(126.0, 17.456, date(2031, 12, 1)),
            "01-12-2031: IMT 17,46 kg/m², umur 10,5 tahun",
        ),
    ],
)
def test_hover_title_wording(kind: ChartKind, band: AgeBand, point: ChartPoint, title: str) -> None:
    _, titles, _ = _child(_plot(kind, 2, band, [point]))
    assert titles == [title]


def test_one_point_has_no_line() -> None:
    line, titles, _ = _child(_plot(WA, 1, B02, [_visit(3, 6.0)]))
    assert line == [] and len(titles) == 1


def test_points_off_the_chart_are_skipped_and_counted() -> None:
    nan, inf = math.nan, math.inf
    off = [
        _visit(-0.5, 50.0),  # before the band
        _visit(24.5, 88.0),  # after it (the 2-5 chart's)
        ChartPoint(nan, 60.0, BORN),
        ChartPoint(6.0, nan, BORN),
        ChartPoint(inf, 60.0, BORN),
        _visit(6.0, 0.0),  # a measurement is never zero or negative
        _visit(7.0, -66.0),
        _visit(8.0, 700.0),  # a typing slip: far beyond the +3 SD line, would flatten the chart
    ]
    on = [_visit(0.0, 49.0), _visit(24.0, 86.0)]  # both band edges belong to the band
    result = growth_chart(LH, 1, B02, [*off, *on])
    assert (result.plotted, result.skipped) == (2, 8)
    plot = Plot(result.svg, chart_spec(LH, B02))
    assert len(_child(plot)[1]) == 2
    assert "2 titik pengukuran anak, 8 di luar grafik." in (plot.root[1].text or "")


def test_all_points_off_the_chart_draw_no_child_layer() -> None:
    result = growth_chart(WA, 2, B519, [_visit(130, 30.0), _visit(59, 17.0)])
    assert (result.plotted, result.skipped) == (0, 2)
    plot = Plot(result.svg, chart_spec(WA, B519))
    assert not [g for g in plot.all("g") if g.attrib.get("class") == "tumbuh-child"]
    assert "Pengukuran anak" not in plot.texts()
    assert "0 titik pengukuran anak, 2 di luar grafik." in (plot.root[1].text or "")


def test_y_axis_grows_to_take_in_a_point_beyond_the_lines() -> None:
    plain = _plot(WA, 1, B02)
    heavy = _plot(WA, 1, B02, [_visit(6.0, 21.3)])  # well above +3 SD (about 10.5 kg at 6 m)
    assert plain.y1 == 18 and heavy.y1 == 22
    (_, y), *_ = _child(heavy)[2]
    assert y == pytest.approx(21.3, abs=0.005)


def test_hostile_labels_are_escaped() -> None:
    label = "</title><script>alert(\"x\")</script> & <b>'Budi'</b>\x00\x1b\ud800"
    svg = growth_chart(LH, 2, B02, [_visit(1.0, 53.0, label)]).svg
    svg.encode("utf-8")  # no lone surrogate left
    plot = Plot(svg, chart_spec(LH, B02))
    assert not [e for e in plot.root.iter() if e.tag in {f"{SVG}script", f"{SVG}b"}]
    (title,) = _child(plot)[1]
    assert title.startswith(
        "04-02-2023 — </title><script>alert(\"x\")</script> & <b>'Budi'</b>\ufffd\ufffd\ufffd:"
    )
    assert "&lt;script&gt;" in svg and "&amp; &lt;b&gt;" in svg


def _annotation(plot: Plot, when: date) -> list[ET.Element]:
    text = f"{when.day:02d}-{when.month:02d}-{when.year}"
    return [t for t in plot.all("text") if t.text == text]


def test_last_date_is_printed_beside_the_last_point() -> None:
    visits = [_visit(3.0, 61.0), _visit(9.0, 71.0)]
    plot = _plot(LH, 1, B02, visits)
    (note,) = _annotation(plot, visits[-1].when)
    assert note.attrib["text-anchor"] == "start"
    assert plot.x(float(note.attrib["x"])) > 9.0 and plot.y(float(note.attrib["y"])) > 71.0
    assert not _annotation(plot, visits[0].when)
    quiet = Plot(growth_chart(LH, 1, B02, visits, annotate_last=False).svg, chart_spec(LH, B02))
    assert not _annotation(quiet, visits[-1].when)


def test_last_date_stays_inside_the_frame_at_the_edges() -> None:
    corner = _visit(23.9, 99.5)  # right edge, at the top of the y axis
    plot = _plot(LH, 1, B02, [corner])
    (note,) = _annotation(plot, corner.when)
    assert note.attrib["text-anchor"] == "end"
    assert float(note.attrib["x"]) < plot.right
    assert plot.y(float(note.attrib["y"])) < 99.5  # printed below the point


# --- Output properties ------------------------------------------------------------------------


def test_output_is_deterministic_and_compact() -> None:
    visits = [_visit(2.0, 5.5, "a & b"), _visit(4.0, 6.6)]
    first = growth_chart(WA, 2, B02, visits)
    second = growth_chart(WA, 2, B02, tuple(visits))
    assert first == second
    assert first.svg.encode() == growth_chart(WA, 2, B02, iter(visits)).svg.encode()
    numbers = re.findall(r'\s(?:[xy]|c[xy]|r|width|height)="([^"]*)"', first.svg)
    numbers += re.findall(r"-?\d+(?:\.\d+)?", " ".join(re.findall(r'points="([^"]*)"', first.svg)))
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d{1,2})?", n) for n in numbers)
    assert len(first.svg) < 25_000
    with pytest.raises(FrozenInstanceError):
        first.skipped = 0  # type: ignore[misc]  # frozen dataclass: assignment must fail


def test_svg_saved_to_a_file_parses_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "imt.svg"
    path.write_text(growth_chart(BMI, 1, B02, [_visit(1.0, 14.5)]).svg, encoding="utf-8")
    root = ET.parse(path).getroot()
    assert "IMT (kg/m²)" in [t.text for t in root.iter(f"{SVG}text")]


def test_small_chart_wraps_the_legend_and_keeps_sd_labels_apart() -> None:
    plot = _plot(WA, 2, B02, [_visit(23.5, 11.0)], width=320, height=240)
    legend = {t.text: float(t.attrib["y"]) for t in plot.all("text") if "SD" in (t.text or "")}
    legend["Pengukuran anak"] = next(
        float(t.attrib["y"]) for t in plot.all("text") if t.text == "Pengukuran anak"
    )
    assert len(set(legend.values())) == 2  # two rows
    labels = [float(t.attrib["y"]) for t in _sd_labels(plot)]
    assert len(labels) == 5
    assert all(b - a >= 11 for a, b in itertools.pairwise(labels))
    ends = [plot.sd_pixels(z)[-1][1] for z in Z_LINES]
    assert any(b - a < 11 for a, b in itertools.pairwise(ends))  # they had to move
    wide = _plot(WA, 2, B02, [_visit(23.5, 11.0)])
    assert len({float(t.attrib["y"]) for t in wide.all("text") if "SD" in (t.text or "")}) == 1


@settings(max_examples=60, deadline=None)
@given(
    kind_band=st.sampled_from(SUPPORTED),
    sex=st.sampled_from([1, 2]),
    raw=st.lists(
        st.tuples(
            st.floats(-50, 300) | st.sampled_from([math.nan, math.inf, -math.inf]),
            st.floats(-10, 300) | st.sampled_from([math.nan, math.inf, -math.inf]),
            st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
            st.none() | st.text(max_size=20),
        ),
        max_size=8,
    ),
)
def test_any_points_give_a_well_formed_chart(
    kind_band: tuple[ChartKind, AgeBand],
    sex: int,
    raw: list[tuple[float, float, date, str | None]],
) -> None:
    kind, band = kind_band
    points = [ChartPoint(*r) for r in raw]
    result = growth_chart(kind, sex, band, points)
    assert result.plotted + result.skipped == len(points)
    plot = Plot(result.svg, chart_spec(kind, band))
    circles = [e for e in plot.all("circle") if e.findtext(f"{SVG}title") is not None]
    assert len(circles) == result.plotted
    for c in circles:
        assert plot.left - 0.01 <= float(c.attrib["cx"]) <= plot.right + 0.01
        assert plot.top - 0.01 <= float(c.attrib["cy"]) <= plot.bottom + 0.01


def test_x_axis_kinds() -> None:
    assert {chart_spec(k, b).x_axis for k, b in SUPPORTED} == set(XAxis)


def test_charts_import_only_numpy_the_stdlib_and_the_growth_engine() -> None:
    """Framework-free: no Django, no plotting library (checked on the module's import lines)."""
    tree = ast.parse(Path(charts.__file__).read_text(encoding="utf-8"))
    roots = {alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names}
    roots |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    outside = {
        name
        for name in roots
        if name.split(".")[0] not in sys.stdlib_module_names | {"numpy", "__future__"}
        and not name.startswith("tumbuh.growth.")
    }
    assert outside == set()
