"""The partner portal's reads: "Anak asuh saya" (each child's growth trend in plain words,
what it received, the next visit and weighing) and "Kontribusi saya" (the ledger, totals,
thanks). Shaped for a layperson and for privacy (docs/decisions/0071-partner-portal-privacy.md):

* the child is shown by its pseudonym unless the family agreed to the name (and the address
  only at the ``name_address`` level); never the NIK, the birth date or the mother's name;
* growth is height-for-age (HAZ) by age in whole months, rounded to one decimal, with a word
  for the direction; no weights, lengths or measurement dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.cases.models import Intervention
from tumbuh.organisations.models import Organisation
from tumbuh.partners.models import (
    Delivery,
    DeliveryStatus,
    Patronage,
    Pledge,
    PledgeStatus,
    Visibility,
    Visit,
)
from tumbuh.partners.schedule import VisitPlan, visit_plan
from tumbuh.partners.selectors import active_patronages_of
from tumbuh.partners.services.pledges import _add_months
from tumbuh.registry.models import Measurement, Sex

DAYS_PER_MONTH = 30.4375
#: HAZ change over about three months that counts as a change (smaller is "stable").
TREND_STEP = 0.2


@dataclass(frozen=True, slots=True)
class GrowthPoint:
    age_months: int
    haz: float


@dataclass(frozen=True, slots=True)
class GrowthTrend:
    points: list[GrowthPoint]
    direction: str  # "up", "flat", "down", "" (too few weighings)
    words: str
    status_words: str
    last_measured_on: dt.date | None
    next_weighing_on: dt.date | None

    def svg(self, width: int = 320, height: int = 140) -> str:
        """A small HAZ-by-age line with the -2 SD line (stunting threshold)."""
        if not self.points:
            return ""
        ages = [p.age_months for p in self.points]
        lo_age, hi_age = min(ages), max(max(ages), min(ages) + 1)
        lo_z, hi_z = -4.0, 1.0

        def x(age: float) -> float:
            return 30 + (width - 40) * (age - lo_age) / (hi_age - lo_age)

        def y(z: float) -> float:
            z = max(lo_z, min(hi_z, z))
            return 10 + (height - 30) * (hi_z - z) / (hi_z - lo_z)

        line = " ".join(f"{x(p.age_months):.1f},{y(p.haz):.1f}" for p in self.points)
        dots = "".join(
            f'<circle cx="{x(p.age_months):.1f}" cy="{y(p.haz):.1f}" r="2.5"/>' for p in self.points
        )
        return (
            f'<svg viewBox="0 0 {width} {height}" role="img" class="trend" '
            f'aria-label="{_("Tren tinggi badan menurut umur")}">'
            f'<line x1="30" x2="{width - 10}" y1="{y(-2):.1f}" y2="{y(-2):.1f}" '
            'stroke="#c0392b" stroke-dasharray="4 3"/>'
            f'<text x="2" y="{y(-2) + 4:.1f}" font-size="10">-2</text>'
            f'<line x1="30" x2="{width - 10}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#999"/>'
            f'<text x="8" y="{y(0) + 4:.1f}" font-size="10">0</text>'
            f'<polyline fill="none" stroke="#1f6f43" stroke-width="2" points="{line}"/>'
            f'<g fill="#1f6f43">{dots}</g>'
            f'<text x="30" y="{height - 4}" font-size="10">{lo_age} bl</text>'
            f'<text x="{width - 40}" y="{height - 4}" font-size="10">{hi_age} bl</text>'
            "</svg>"
        )


def growth_trend(rows: list[tuple[int, float | None, dt.date]], *, today: dt.date) -> GrowthTrend:
    """``rows``: (age_days, zlen, measured_on) in date order."""
    points = [
        GrowthPoint(int(age // DAYS_PER_MONTH), round(float(z), 1))
        for age, z, _on in rows
        if z is not None and z == z  # NaN-safe
    ]
    last_on = rows[-1][2] if rows else None
    next_on = None
    if last_on is not None:
        next_on = _add_months(last_on, 1)
        while next_on < today:
            next_on = _add_months(next_on, 1)
    if len(points) < 2:
        return GrowthTrend(
            points,
            "",
            _("Belum cukup penimbangan untuk melihat tren."),
            _status(points),
            last_on,
            next_on,
        )
    last = points[-1]
    earlier = [p for p in points if p.age_months <= last.age_months - 3] or points[:1]
    delta = last.haz - earlier[-1].haz
    if delta >= TREND_STEP:
        direction, words = "up", _("Membaik: tinggi anak makin mendekati standar umurnya.")
    elif delta <= -TREND_STEP:
        direction, words = "down", _("Menurun: tinggi anak makin tertinggal dari standar.")
    else:
        direction, words = "flat", _("Tetap: belum ada perubahan berarti dalam 3 bulan terakhir.")
    return GrowthTrend(points, direction, words, _status(points), last_on, next_on)


def _status(points: list[GrowthPoint]) -> str:
    if not points:
        return _("Belum ada pengukuran tinggi badan.")
    z = points[-1].haz
    if z < -3:
        return _("Tinggi badan masih jauh di bawah standar (sangat pendek).")
    if z < -2:
        return _("Tinggi badan masih di bawah standar (pendek).")
    return _("Tinggi badan sudah sesuai standar umurnya.")


@dataclass
class ChildCard:
    patronage: Patronage
    label: str
    address: str | None
    age_months: int
    sex: str
    kelurahan: str
    plan: VisitPlan
    trend: GrowthTrend | None
    received: list[str] = field(default_factory=list)
    visits: int = 0


def child_label(patronage: Patronage, name: str) -> str:
    if patronage.visibility in (Visibility.NAME, Visibility.NAME_ADDRESS):
        return name
    return patronage.pseudonym


def patron_children(
    user: User,
    *,
    today: dt.date,
    with_growth: bool = True,
    patronages: QuerySet[Patronage] | None = None,
) -> list[ChildCard]:
    """The cards of the patron's open patronages (or of ``patronages``, for TPPS lists):
    four queries whatever the number of children."""
    qs = (patronages if patronages is not None else active_patronages_of(user)).filter(
        ended_on__isnull=True
    )
    items = list(
        qs.select_related(
            "child__person__family__kelurahan",
            "child__person__family__rw",
            "child__person__family__rt",
            "child__person__family__kelurahan__parent",
        )
    )
    child_ids = [p.child_id for p in items]
    series: dict[int, list[tuple[int, float | None, dt.date]]] = defaultdict(list)
    received: dict[int, list[str]] = defaultdict(list)
    visit_dates: dict[int, list[dt.date]] = defaultdict(list)
    for patronage_id, on in Visit.objects.filter(patronage__in=[p.pk for p in items]).values_list(
        "patronage_id", "visited_on"
    ):
        visit_dates[patronage_id].append(on)
    if with_growth and child_ids:
        for child_id, age, z, on in (
            Measurement.objects.filter(child_id__in=child_ids)
            .order_by("child_id", "measured_on", "pk")
            .values_list("child_id", "age_days", "zlen", "measured_on")
        ):
            series[child_id].append((age, z, on))
        for child_id, need, owner, status in (
            Intervention.objects.filter(case__child_id__in=child_ids)
            .exclude(status="not_delivered")
            .order_by("due_date")
            .values_list("case__child_id", "need__category__name", "owner__name", "status")
        ):
            text = _("%(need)s dari %(owner)s") % {"need": need, "owner": owner}
            received[child_id].append(text + ("" if status == "delivered" else _(" (berjalan)")))
    sexes = {v: str(label) for v, label in Sex.choices}
    cards = []
    for p in items:
        person = p.child.person
        family = person.family
        birth = person.birth_date or today
        cards.append(
            ChildCard(
                patronage=p,
                label=child_label(p, person.name),
                address=family.address
                if family and p.visibility == Visibility.NAME_ADDRESS
                else None,
                age_months=int((today - birth).days // DAYS_PER_MONTH),
                sex=sexes.get(person.sex, ""),
                kelurahan=family.kelurahan.name if family and family.kelurahan else "",
                plan=visit_plan(
                    started_on=p.started_on,
                    every_days=p.visit_every_days,
                    visits=visit_dates[p.pk],
                    today=today,
                ),
                trend=growth_trend(series[p.child_id], today=today) if with_growth else None,
                received=received[p.child_id],
                visits=len(visit_dates[p.pk]),
            )
        )
    return cards


@dataclass(frozen=True, slots=True)
class PatronScore:
    """One bapak asuh's visiting record over its children (TPPS list, komando scorecards)."""

    patron: User
    children: int
    visits: int
    late: int
    adherence_percent: int | None


def patron_scores(cards: list[ChildCard]) -> list[PatronScore]:
    """Per patron: children, visits logged, children overdue or missed now, and adherence
    (finished 14-day windows with a visit, over all its children)."""
    by_patron: dict[int, list[ChildCard]] = defaultdict(list)
    for card in cards:
        by_patron[card.patronage.patron_id].append(card)
    out = []
    for group in by_patron.values():
        over = sum(c.plan.windows_over for c in group)
        visited = sum(c.plan.windows_visited for c in group)
        out.append(
            PatronScore(
                patron=group[0].patronage.patron,
                children=len(group),
                visits=sum(c.visits for c in group),
                late=sum(c.plan.state in ("overdue", "missed") for c in group),
                adherence_percent=round(100 * visited / over) if over else None,
            )
        )
    return sorted(out, key=lambda s: (s.adherence_percent is None, s.adherence_percent or 0))


@dataclass(frozen=True, slots=True)
class Ledger:
    pledges: list[Pledge]
    pledged_rupiah: int
    delivered_rupiah: int
    verified_deliveries: int
    children_helped: int
    by_kelurahan: list[tuple[str, int]]
    by_period: list[tuple[str, int]]


def partner_ledger(org: Organisation) -> Ledger:
    """A partner's pledges with their deliveries and the rupiah totals (verified
    deliveries count as given), per kelurahan and per month."""
    pledges = list(
        Pledge.objects.filter(partner=org)
        .select_related("category", "need__case__kelurahan")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")
    )
    active = [p for p in pledges if p.status in (PledgeStatus.APPROVED, PledgeStatus.COMPLETED)]
    verified = Delivery.objects.filter(pledge__partner=org, status=DeliveryStatus.VERIFIED)
    by_kel = (
        verified.values("pledge__need__case__kelurahan__name")
        .annotate(total=Sum("amount_rupiah"))
        .order_by("-total")
    )
    by_month: dict[str, int] = defaultdict(int)
    for on, amount in verified.values_list("delivered_on", "amount_rupiah"):
        if on is not None:
            by_month[on.strftime("%Y-%m")] += amount
    return Ledger(
        pledges=pledges,
        pledged_rupiah=sum(p.amount_rupiah for p in active if not p.is_pool),
        delivered_rupiah=int(verified.aggregate(s=Sum("amount_rupiah"))["s"] or 0),
        verified_deliveries=verified.count(),
        children_helped=verified.values("pledge__need__case__child").distinct().count(),
        by_kelurahan=[
            (r["pledge__need__case__kelurahan__name"] or "-", r["total"]) for r in by_kel
        ],
        by_period=sorted(by_month.items()),
    )


@dataclass(frozen=True, slots=True)
class PublicRow:
    name: str
    kind: str
    delivered_rupiah: int
    children: int
    kelurahan: int


def public_recognition(*, since: dt.date | None = None) -> list[PublicRow]:
    """Partners that opted in, with what they gave in aggregate (never a child's data)."""
    verified = Q(pledges__deliveries__status=DeliveryStatus.VERIFIED)
    if since is not None:
        verified &= Q(pledges__deliveries__delivered_on__gte=since)
    rows = (
        Organisation.objects.filter(partner_profile__public_listing=True, status="active")
        .annotate(
            total=Sum("pledges__deliveries__amount_rupiah", filter=verified),
            children=Count("pledges__need__case__child", filter=verified, distinct=True),
            kel=Count("pledges__need__case__kelurahan", filter=verified, distinct=True),
        )
        .order_by("-total", "name")
    )
    return [
        PublicRow(o.name, o.get_kind_display(), int(o.total or 0), o.children, o.kel)
        for o in rows
        if o.total
    ]


def rupiah(value: int | Decimal | None) -> str:
    return "Rp " + f"{int(value or 0):,}".replace(",", ".")
