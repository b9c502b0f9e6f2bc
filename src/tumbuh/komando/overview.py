"""One overview of an area and month, read from the aggregates, shared by the page, the rakor
PDF, the Excel file and the API: the same numbers everywhere by construction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tumbuh.komando import charts
from tumbuh.komando.indicators import BY_CODE, SCORE_RULE
from tumbuh.komando.models import AreaLevel
from tumbuh.komando.optional import PARTNER_SCORE_RULE
from tumbuh.komando.selectors import (
    Area,
    Coverage,
    Figure,
    Scorecard,
    SubArea,
    TrendPoint,
    area_table,
    coverage,
    figures,
    grouped,
    is_computed,
    scorecards,
    sub_areas,
    tiles,
    trend,
)

#: Series drawn month by month (indicator codes; shares of their denominators).
TREND_SERIES = (("stunted", "d"), ("t2", "wasted"))


@dataclass(frozen=True, slots=True)
class OverdueOwner:
    owner_id: int
    name: str
    overdue: int


@dataclass(frozen=True, slots=True)
class Action:
    text: str
    reason: str


@dataclass
class Overview:
    area: Area
    month: dt.date
    computed: bool
    figures: dict[str, Figure]
    groups: list[tuple[str, list[Figure]]]
    coverage: list[Coverage]
    trends: dict[str, list[TrendPoint]]
    sub_areas: list[SubArea]
    tiles: list[tuple[SubArea, list[SubArea]]]
    opd: list[Scorecard]
    partners: list[Scorecard]
    overdue: list[OverdueOwner]
    actions: list[Action]
    score_rule: str
    partner_rule: str = ""

    @property
    def sub_level_label(self) -> str:
        return {
            AreaLevel.CITY: _("Kecamatan"),
            AreaLevel.KECAMATAN: _("Kelurahan"),
            AreaLevel.KELURAHAN: _("Posyandu"),
        }.get(self.area.level, "")

    # The full tables are read only by the rakor pack (the page shows the next level down).
    @cached_property
    def kecamatan_rows(self) -> list[SubArea]:
        return area_table(self.area, self.month, AreaLevel.KECAMATAN)

    @cached_property
    def kelurahan_rows(self) -> list[SubArea]:
        return area_table(self.area, self.month, AreaLevel.KELURAHAN)

    @cached_property
    def posyandu_rows(self) -> list[SubArea]:
        return area_table(self.area, self.month, AreaLevel.POSYANDU)

    @property
    def candidates(self) -> list[Scorecard]:
        return [c for c in [*self.opd, *self.partners] if c.candidate]

    def chart(self, pair: tuple[str, ...]) -> SafeString:
        series = [
            charts.Series(str(BY_CODE[code].label), [(p.month, p.share) for p in self.trends[code]])
            for code in pair
        ]
        title = " · ".join(str(BY_CODE[c].label) for c in pair) + " (%)"
        return mark_safe(charts.line_chart(series, title=title))

    @property
    def charts(self) -> list[SafeString]:
        return [self.chart(pair) for pair in TREND_SERIES]


def _overdue_by_owner(area: Area, month: dt.date, today: dt.date) -> list[OverdueOwner]:
    """Open tasks past their due date at the end of the month (or today), by owner, for cases
    in the area. Read live: a handful of rows per owner."""
    from tumbuh.cases.models import Task, TaskStatus
    from tumbuh.komando.facts import month_bounds

    _start, end = month_bounds(month)
    as_of = min(end, today)
    tasks = Task.objects.filter(
        status__in=[TaskStatus.OPEN, TaskStatus.ACCEPTED], due_date__lt=as_of
    )
    if area.posyandu is not None:
        tasks = tasks.filter(case__posyandu=area.posyandu)
    else:
        tasks = tasks.filter(case__kelurahan__code__startswith=area.code + ".") | tasks.filter(
            case__kelurahan__code=area.code
        )
    counts = Counter(tasks.values_list("owner_id", "owner__name"))
    return sorted(
        (OverdueOwner(pk, name, n) for (pk, name), n in counts.items()),
        key=lambda o: (-o.overdue, o.name),
    )


def _actions(ov: Overview) -> list[Action]:
    """The list of actions for the next period, from rules on the figures (data, not prose)."""
    out: list[Action] = []
    f = ov.figures
    if f["t2"].value or f["bgm"].value:
        out.append(
            Action(
                _("Rujuk %(n)d balita 2T/BGM ke puskesmas dan pastikan hasilnya tercatat.")
                % {"n": f["t2"].value + f["bgm"].value},
                _("2T dan BGM bulan ini"),
            )
        )
    for cov in ov.coverage:
        if cov.meets is False and cov.figure is not None:
            out.append(
                Action(
                    _("Naikkan cakupan “%(label)s” dari %(share)s%% ke target %(target)g%%.")
                    % {"label": cov.label, "share": cov.figure.share, "target": cov.target_percent},
                    cov.source,
                )
            )
    worst = [s for s in ov.sub_areas if s.share("stunted")][:3]
    if worst:
        names = ", ".join(f"{s.name} ({s.share('stunted')}%)" for s in worst)
        out.append(
            Action(
                _("Prioritaskan verifikasi dan intervensi di %(names)s.") % {"names": names},
                _("Persentase stunting tertinggi di antara yang diukur"),
            )
        )
    for owner in ov.overdue[:5]:
        out.append(
            Action(
                _("%(owner)s: selesaikan %(n)d tugas yang terlambat.")
                % {"owner": owner.name, "n": owner.overdue},
                _("Tugas terlambat"),
            )
        )
    if f["cases_lost"].value:
        out.append(
            Action(
                _("Telusuri %(n)d kasus yang hilang dari pemantauan.")
                % {"n": f["cases_lost"].value},
                _("Kasus ditutup: hilang dari pemantauan"),
            )
        )
    return out


def overview(area: Area, month: dt.date, *, today: dt.date) -> Overview:
    figs = figures(area.code, month)
    codes = {c for pair in TREND_SERIES for c in pair}
    ov = Overview(
        area=area,
        month=month,
        computed=is_computed(area.code, month),
        figures=figs,
        groups=grouped(figs),
        coverage=coverage(figs),
        trends={c: trend(area.code, c, month) for c in codes},
        sub_areas=sub_areas(area, month),
        tiles=tiles(area, month) if area.level in (AreaLevel.CITY, AreaLevel.KECAMATAN) else [],
        opd=scorecards(month, kind="opd") if area.level == AreaLevel.CITY else [],
        partners=scorecards(month, kind="partner") if area.level == AreaLevel.CITY else [],
        overdue=_overdue_by_owner(area, month, today),
        actions=[],
        score_rule=str(SCORE_RULE),
        partner_rule=PARTNER_SCORE_RULE,
    )
    ov.actions = _actions(ov)
    return ov
