"""Shaping registry records for pages: names as the viewer may see them, masked numbers,
z-score tables and the growth charts drawn by ``tumbuh.growth.charts``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tumbuh.accounts.models import Role, User
from tumbuh.growth.categories import Category, Severity
from tumbuh.growth.charts import AgeBand, ChartKind, ChartPoint, bands_for, growth_chart
from tumbuh.registry import risks
from tumbuh.registry.models import Child, Measurement, Pregnancy, PregnancyOutcome

DAYS_PER_MONTH = 30.4375


def pseudonymised(user: User, child: Child) -> bool:
    """A partner sees initials only, unless the family agreed to show the name."""
    if user.is_superuser or user.role != Role.PARTNER:
        return False
    return not child.assignments.filter(user=user, ended_on__isnull=True, show_name=True).exists()


def sees_family_details(user: User) -> bool:
    """May ``user`` see a child's family details: address, phone, KK, the mother's NIK and
    her pregnancies (Hb, LiLA, KEK, anaemia)? Never a partner or bapak asuh, even where the
    family agreed to show the child's name (issue 11, finding 3)."""
    return user.is_superuser or user.role != Role.PARTNER


def initials(name: str) -> str:
    return " ".join(part[0].upper() + "." for part in name.split() if part)


def display_name(user: User, child: Child) -> str:
    return initials(child.person.name) if pseudonymised(user, child) else child.person.name


def age_text(birth: dt.date, on: dt.date) -> str:
    """``1 th 4 bl`` (completed years and months), or ``17 hari`` under a month."""
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months < 1:
        return f"{(on - birth).days} hari"
    years, rest = divmod(months, 12)
    return f"{years} th {rest} bl" if years else f"{rest} bl"


def category_tag(code: str) -> tuple[str, str]:
    """(label, css class) for a stored category code."""
    if not code:
        return "", ""
    category = Category(code)
    css = {
        Severity.NONE: "ok",
        Severity.RISK: "warning",
        Severity.MODERATE: "danger",
        Severity.SEVERE: "danger",
    }[category.severity]
    return category.label, css


@dataclass(frozen=True, slots=True)
class MeasurementRow:
    m: Measurement
    age: str
    tbu: tuple[str, str]
    bbu: tuple[str, str]
    bbtb: tuple[str, str]
    imtu: tuple[str, str]


def measurement_rows(child: Child, series: Sequence[Measurement]) -> list[MeasurementRow]:
    return [
        MeasurementRow(
            m=m,
            age=age_text(child.birth_date, m.measured_on),
            tbu=category_tag(m.category_tbu),
            bbu=category_tag(m.category_bbu),
            bbtb=category_tag(m.category_bbtb),
            imtu=category_tag(m.category_imtu),
        )
        for m in reversed(series)
    ]


def band_for(age_days: int) -> AgeBand:
    """The chart band of an age: 0-2 years below 731 days (length), 2-5 years while under
    60 months (height, WHO 2006), 5-19 years from 60 months (WHO 2007)."""
    if age_days < 731:
        return AgeBand.BIRTH_TO_2
    if age_days / DAYS_PER_MONTH < 60:
        return AgeBand.TWO_TO_5
    return AgeBand.FIVE_TO_19


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    svg: str
    skipped: int


def charts(child: Child, series: Sequence[Measurement], *, today: dt.date) -> list[Chart]:
    """Length/height-for-age, weight-for-age and weight-for-length/height (BMI-for-age from
    five years), for every age band the child's measurements fall in, newest band first, so
    a child followed from birth past two years shows both the 0-2 and the 2-5 year charts."""
    latest_age = series[-1].age_days if series else (today - child.birth_date).days
    bands = sorted(
        {band_for(m.age_days) for m in series} | {band_for(latest_age)},
        key=list(AgeBand).index,
        reverse=True,
    )
    sex = child.person.sex
    by_age_len = [
        ChartPoint(m.age_days / DAYS_PER_MONTH, m.clenhei, m.measured_on)
        for m in series
        if m.clenhei is not None
    ]
    by_age_wt = [
        ChartPoint(m.age_days / DAYS_PER_MONTH, float(m.weight_kg), m.measured_on)
        for m in series
        if m.weight_kg is not None
    ]
    # Weight-for-length (0-2) and weight-for-height (2-5) share the cm axis: each chart takes
    # only the measurements of its own ages, so no point is drawn against the wrong table.
    wt_by_len = {
        band: [
            ChartPoint(m.clenhei, float(m.weight_kg), m.measured_on)
            for m in series
            if m.weight_kg is not None and m.clenhei is not None and band_for(m.age_days) is band
        ]
        for band in (AgeBand.BIRTH_TO_2, AgeBand.TWO_TO_5)
    }
    bmi = [
        ChartPoint(m.age_days / DAYS_PER_MONTH, m.cbmi, m.measured_on)
        for m in series
        if m.cbmi is not None
    ]
    wanted: list[tuple[ChartKind, AgeBand, list[ChartPoint]]] = []
    for band in bands:
        last_kind = (
            ChartKind.BMI_FOR_AGE
            if band is AgeBand.FIVE_TO_19
            else (ChartKind.WEIGHT_FOR_LENGTH_HEIGHT)
        )
        last_points = bmi if band is AgeBand.FIVE_TO_19 else wt_by_len[band]
        wanted += [
            (ChartKind.LENGTH_HEIGHT_FOR_AGE, band, by_age_len),
            (ChartKind.WEIGHT_FOR_AGE, band, by_age_wt),
            (last_kind, band, last_points),
        ]
    wanted = [w for w in wanted if w[1] in bands_for(w[0])]
    out = []
    for kind, band, points in wanted:
        drawn = growth_chart(kind, sex, band, points, width=720, height=480)
        out.append(Chart(title=str(kind), svg=drawn.svg, skipped=drawn.skipped))
    return out


@dataclass(frozen=True, slots=True)
class PregnancyRow:
    """A pregnancy as the lists and the mother's page show it, with its risk flags."""

    p: Pregnancy
    weeks: int | None
    ongoing: bool
    kek: bool
    anaemic: bool
    anc_too_few: bool

    @property
    def at_risk(self) -> bool:
        return self.kek or self.anaemic or self.anc_too_few


def pregnancy_row(pregnancy: Pregnancy, today: dt.date) -> PregnancyRow:
    ongoing = pregnancy.outcome == PregnancyOutcome.ONGOING
    return PregnancyRow(
        p=pregnancy,
        weeks=risks.gestational_weeks(pregnancy, today) if ongoing else None,
        ongoing=ongoing,
        kek=pregnancy.is_kek,
        anaemic=pregnancy.is_anaemic,
        anc_too_few=risks.anc_too_few(pregnancy, today),
    )
