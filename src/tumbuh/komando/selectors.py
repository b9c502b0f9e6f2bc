"""Scoped reads of the command centre (ADR 0011 scoping, ADR 0080 aggregates).

Who sees what: the TPPS its kota, a kecamatan officer its kecamatan, a kelurahan officer its
kelurahan (an officer assigned to an RW/RT sees the kelurahan's figures, no other list than
its registry scope allows); administrators every area. Other roles have no command centre.
Figures come from ``AreaMonthStat`` only; the list behind a number is recomputed from the
same facts (``komando.facts``) and intersected with the registry's scoping functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from tumbuh.accounts.models import AREA_ROLES, User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record
from tumbuh.komando import facts as F
from tumbuh.komando.indicators import (
    BY_CODE,
    GROUP_LABELS,
    INDICATORS,
    OPTIONAL,
    TARGETS,
    Group,
    Indicator,
    is_appreciation_candidate,
)
from tumbuh.komando.models import AreaLevel, AreaMonthStat, OrgMonthStat
from tumbuh.wilayah.models import Level, Posyandu, Region

PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
TREND_MONTHS = 12
WEIGHING_MONTHS = (2, 8)  # Bulan Penimbangan Balita (DOMAIN.md 2.6)
#: Share of stunted children among those measured -> colour class of a tile (weighing counts).
TILE_BUCKETS: tuple[tuple[float, str], ...] = ((2.0, "q1"), (5.0, "q2"), (10.0, "q3"), (20.0, "q4"))


def parse_period(text: str) -> dt.date:
    """``YYYY-MM`` -> the first day of that month; ``ValueError`` with an Indonesian message."""
    match = PERIOD_RE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"Periode {text!r} tidak sah: tulis TTTT-BB, misalnya 2026-08.")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str
    level: AreaLevel
    region: Region | None = None
    posyandu: Posyandu | None = None

    @property
    def within(self) -> F.Within:
        if self.posyandu is not None:
            return F.Within(posyandu_ids=frozenset({self.posyandu.pk}))
        return F.Within(region_code=self.code)

    @property
    def kelurahan_id(self) -> int | None:
        if self.region is not None and self.region.level == Level.VILLAGE:
            return self.region.pk
        return None


def _area_of_region(region: Region) -> Area:
    level = {
        Level.REGENCY: AreaLevel.CITY,
        Level.DISTRICT: AreaLevel.KECAMATAN,
        Level.VILLAGE: AreaLevel.KELURAHAN,
    }[Level(region.level)]
    return Area(region.code, str(region), level, region=region)


def can_use_komando(user: User | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or (user.role in AREA_ROLES and user.region_id))


def lands_on_komando(user: User | None) -> bool:
    """The TPPS and the kecamatan/kelurahan officers start on the command centre."""
    return can_use_komando(user) and not user.is_superuser  # type: ignore[union-attr]


def root_area(user: User) -> Area:
    """The largest area ``user`` may look at; ``PermissionDenied`` for other roles."""
    if not can_use_komando(user):
        raise PermissionDenied(_("Pusat komando hanya untuk TPPS dan petugas kecamatan/kelurahan."))
    if user.is_superuser and not user.region_id:
        region = (
            Region.objects.filter(level=Level.REGENCY, children__isnull=False)
            .order_by("code")
            .first()
        )
        if region is None:
            raise Http404("belum ada wilayah")
        return _area_of_region(region)
    assert user.region is not None
    region = user.region
    while region.level > Level.VILLAGE and region.parent is not None:
        region = region.parent  # an RW/RT officer sees its kelurahan's figures
    return _area_of_region(region)


def area_open(user: User, code: str | None, *, context: AuditContext = SYSTEM) -> Area:
    """The area ``code`` if inside ``user``'s root (a region code or ``pos-<id>``); outside it
    (or unknown): an audited ``denied`` and ``Http404``."""
    root = root_area(user)
    if not code or code == root.code:
        return root
    area: Area | None = None
    if code.startswith("pos-") and code[4:].isdigit():
        posyandu = Posyandu.objects.select_related("kelurahan").filter(pk=int(code[4:])).first()
        if posyandu is not None and (
            user.is_superuser
            or (root.region is not None and root.region.contains(posyandu.kelurahan))
        ):
            area = Area(code, str(posyandu), AreaLevel.POSYANDU, posyandu=posyandu)
    else:
        region = Region.objects.filter(
            code=code, level__in=[Level.REGENCY, Level.DISTRICT, Level.VILLAGE]
        ).first()
        if region is not None and (
            (user.is_superuser) or (root.region is not None and root.region.contains(region))
        ):
            area = _area_of_region(region)
    if area is None:
        audit_record(
            actor=user,
            action=Action.DENIED,
            object_type="komando.area",
            object_id=code[:40],
            context=context,
        )
        raise Http404("wilayah tidak ditemukan")
    return area


def breadcrumbs(area: Area, root: Area) -> list[Area]:
    """From the root down to ``area`` (for the page's trail)."""
    if area.posyandu is not None:
        region: Region | None = area.posyandu.kelurahan
        trail = [area]
    else:
        region = area.region
        trail = []
    while region is not None and (root.region is None or root.region.contains(region)):
        if region.level < Level.REGENCY:
            break
        if not trail or trail[0].code != region.code:
            trail.insert(0, _area_of_region(region))
        region = region.parent
    return trail


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    indicator: Indicator
    value: int
    denominator: int | None

    @property
    def share(self) -> float | None:
        if self.denominator:
            return round(100.0 * self.value / self.denominator, 1)
        return None

    @property
    def denominator_label(self) -> str:
        code = self.indicator.denominator
        return str(BY_CODE[code].label) if code else ""


def visible_indicators() -> list[Indicator]:
    present = F.installed_optional_modules()
    return [i for i in INDICATORS if i.code not in OPTIONAL or OPTIONAL[i.code] in present]


def figures(area_code: str, month: dt.date) -> dict[str, Figure]:
    """Every stored figure of the area and month (missing rows read as 0)."""
    stored = {
        row[0]: row[1:]
        for row in AreaMonthStat.objects.filter(area_code=area_code, month=month).values_list(
            "indicator", "value", "denominator"
        )
    }
    out = {}
    for indicator in visible_indicators():
        value, denominator = stored.get(indicator.code, (0, None))
        if denominator is None and indicator.denominator:
            denominator = stored.get(indicator.denominator, (0, None))[0]
        out[indicator.code] = Figure(indicator, value, denominator)
    return out


def is_computed(area_code: str, month: dt.date) -> bool:
    return AreaMonthStat.objects.filter(area_code=area_code, month=month).exists()


def grouped(figs: dict[str, Figure]) -> list[tuple[str, list[Figure]]]:
    groups: dict[Group, list[Figure]] = defaultdict(list)
    for fig in figs.values():
        groups[fig.indicator.group].append(fig)
    return [(str(GROUP_LABELS[g]), groups[g]) for g in Group if groups.get(g)]


@dataclass(frozen=True, slots=True)
class Coverage:
    number: int
    label: str
    target_percent: float
    source: str
    figure: Figure | None

    @property
    def meets(self) -> bool | None:
        if self.figure is None or self.figure.share is None:
            return None
        return self.figure.share >= self.target_percent


def coverage(figs: dict[str, Figure]) -> list[Coverage]:
    return [
        Coverage(
            t.number,
            str(t.label),
            t.target_percent,
            t.source,
            figs.get(t.numerator) if t.numerator else None,
        )
        for t in TARGETS
    ]


def months_up_to(month: dt.date, count: int = TREND_MONTHS) -> list[dt.date]:
    index = month.year * 12 + month.month - 1
    return [dt.date((index - k) // 12, (index - k) % 12 + 1, 1) for k in reversed(range(count))]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    month: dt.date
    value: int
    denominator: int | None

    @property
    def share(self) -> float | None:
        return round(100.0 * self.value / self.denominator, 1) if self.denominator else None

    @property
    def is_weighing_month(self) -> bool:
        return self.month.month in WEIGHING_MONTHS


def trend(area_code: str, indicator: str, month: dt.date) -> list[TrendPoint]:
    months = months_up_to(month)
    stored = {
        m: (v, d)
        for m, v, d in AreaMonthStat.objects.filter(
            area_code=area_code, indicator=indicator, month__in=months
        ).values_list("month", "value", "denominator")
    }
    return [TrendPoint(m, *stored[m]) if m in stored else TrendPoint(m, 0, None) for m in months]


@dataclass(slots=True)
class SubArea:
    code: str
    name: str
    level: int
    parent_code: str
    values: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    def share(self, code: str) -> float | None:
        value, denominator = self.values.get(code, (0, None))
        return round(100.0 * value / denominator, 1) if denominator else None

    def value(self, code: str) -> int:
        return self.values.get(code, (0, None))[0]

    @property
    def share_stunted(self) -> float | None:
        return self.share("stunted")

    @property
    def share_d(self) -> float | None:
        return self.share("d")

    @property
    def tile_class(self) -> str:
        share = self.share("stunted")
        if share is None:
            return "q0"
        for bound, name in TILE_BUCKETS:
            if share < bound:
                return name
        return "q5"


def _names(codes: list[str]) -> dict[str, str]:
    names = {}
    regions = [c for c in codes if not c.startswith("pos-")]
    for code, name in Region.objects.filter(code__in=regions).values_list("code", "name"):
        names[code] = name
    pos = [int(c[4:]) for c in codes if c.startswith("pos-")]
    for pk, name in Posyandu.objects.filter(pk__in=pos).values_list("pk", "name"):
        names[f"pos-{pk}"] = f"Posyandu {name}"
    return names


def sub_areas(area: Area, month: dt.date) -> list[SubArea]:
    """The next level down (kecamatan of the city, kelurahan of a kecamatan, posyandu of a
    kelurahan), with every stored figure, ranked by the share of stunted children."""
    if area.level == AreaLevel.POSYANDU:
        return []
    qs = AreaMonthStat.objects.filter(month=month, parent_code=area.code)
    return _collect(qs)


def _collect(qs) -> list[SubArea]:  # type: ignore[no-untyped-def]
    found: dict[str, SubArea] = {}
    for code, level, parent, indicator, value, denominator in qs.values_list(
        "area_code", "level", "parent_code", "indicator", "value", "denominator"
    ):
        sub = found.setdefault(code, SubArea(code, "", level, parent))
        sub.values[indicator] = (value, denominator)
    names = _names(list(found))
    for sub in found.values():
        sub.name = names.get(sub.code, sub.code)
    return sorted(
        found.values(),
        key=lambda s: (-(s.share("stunted") if s.share("stunted") is not None else -1), s.name),
    )


def tiles(root: Area, month: dt.date) -> list[tuple[SubArea, list[SubArea]]]:
    """Every kelurahan of the root area, grouped by kecamatan (the tile grid)."""
    if root.level == AreaLevel.POSYANDU:
        return []
    qs = AreaMonthStat.objects.filter(
        month=month,
        level__in=[AreaLevel.KECAMATAN, AreaLevel.KELURAHAN],
        indicator__in=["stunted", "measured_h", "d", "s"],
    )
    qs = qs.filter(area_code__startswith=root.code + ".") | qs.filter(area_code=root.code)
    subs = _collect(qs)
    kecamatan = sorted((s for s in subs if s.level == AreaLevel.KECAMATAN), key=lambda s: s.code)
    grid = []
    for kec in kecamatan:
        kel = sorted((s for s in subs if s.parent_code == kec.code), key=lambda s: s.name)
        grid.append((kec, kel))
    return grid


# --- scorecards -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scorecard:
    organisation_id: int
    name: str
    values: dict[str, float | None]

    def get(self, key: str) -> float | None:
        return self.values.get(key)

    @property
    def candidate(self) -> bool:
        due = self.values.get("due") or self.values.get("deliveries_due") or 0
        return is_appreciation_candidate(score=self.values.get("score"), due=int(due))


def scorecards(month: dt.date, *, kind: str = "opd") -> list[Scorecard]:
    from tumbuh.organisations.models import PARTNER_KINDS

    kinds = ["opd"] if kind == "opd" else sorted(PARTNER_KINDS)
    rows = OrgMonthStat.objects.filter(month=month, organisation__kind__in=kinds).values_list(
        "organisation_id", "organisation__name", "indicator", "value"
    )
    cards: dict[int, tuple[str, dict[str, float | None]]] = {}
    for pk, name, indicator, value in rows:
        cards.setdefault(pk, (name, {}))[1][indicator] = value
    out = [Scorecard(pk, name, values) for pk, (name, values) in cards.items()]
    return sorted(out, key=lambda c: (-(c.get("score") or -1), c.name))


# --- the list behind a number ------------------------------------------------------------------


def drill_ids(area: Area, month: dt.date, indicator: str) -> tuple[Indicator, list[int]]:
    """The subjects (children, cases, pregnancies) counted by ``indicator`` in ``area``."""
    if indicator not in BY_CODE:
        raise Http404("indikator tidak dikenal")
    ind = BY_CODE[indicator]
    if indicator in OPTIONAL and ind.subject != F.Subject.OTHER:
        start, end = F.month_bounds(month)
        found = [
            fact
            for required, provider in F.optional_providers()
            if required == OPTIONAL[indicator]
            for fact in provider(month=start, end=end, within=area.within)
        ]
        return ind, sorted({f.subject_id for f in found if indicator in f.flags})
    source = {
        F.Subject.CHILD: F.child_facts,
        F.Subject.CASE: F.case_facts,
        F.Subject.PREGNANCY: F.pregnancy_facts,
    }.get(ind.subject)
    if source is None:
        raise Http404("indikator ini tidak mempunyai daftar di sini")
    found = source(month, area.within)
    return ind, sorted(f.subject_id for f in found if indicator in f.flags)


def area_table(area: Area, month: dt.date, level: AreaLevel) -> list[SubArea]:
    """Every area of ``level`` inside ``area`` (all kelurahan of the city, say), by code."""
    if area.posyandu is not None:
        return []
    qs = AreaMonthStat.objects.filter(month=month, level=level)
    if level == AreaLevel.POSYANDU:
        qs = qs.filter(parent_code__startswith=area.code + ".") | qs.filter(parent_code=area.code)
    else:
        qs = qs.filter(area_code__startswith=area.code + ".")
    return sorted(_collect(qs), key=lambda s: (s.parent_code, s.name))


# --- public statistics (opt-in per city) -------------------------------------------------------

#: Counts below this are shown as "< 5" on the public page (no child can be singled out).
PUBLIC_MIN_COUNT = 5
PUBLIC_INDICATORS = ("s", "d", "measured_h", "stunted", "wasted", "underweight", "cases_new")


def suppressed(value: int) -> str:
    return f"< {PUBLIC_MIN_COUNT}" if value < PUBLIC_MIN_COUNT else str(value)


def public_share(value: int, denominator: int | None) -> str:
    """A share only when both counts are large enough to publish."""
    if not denominator or value < PUBLIC_MIN_COUNT or denominator < PUBLIC_MIN_COUNT:
        return "—"
    return f"{100.0 * value / denominator:.1f}".replace(".", ",") + " %"


def public_rows(city_code: str, month: dt.date) -> list[tuple[str, list[str]]]:
    """(kecamatan name, [cells]) with small counts suppressed, then the city's total row."""
    qs = AreaMonthStat.objects.filter(month=month, indicator__in=PUBLIC_INDICATORS)
    city = _collect(qs.filter(area_code=city_code))
    kecamatan = sorted(_collect(qs.filter(parent_code=city_code)), key=lambda s: s.name)
    rows = []
    for sub in [*kecamatan, *city]:
        cells = []
        for code in PUBLIC_INDICATORS:
            value, denominator = sub.values.get(code, (0, None))
            cells.append(suppressed(value))
            if BY_CODE[code].denominator:
                cells.append(public_share(value, denominator))
        rows.append((sub.name, cells))
    return rows
