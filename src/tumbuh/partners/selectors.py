"""Scoped reads for the partners area: one function per entity (``*_visible_to(user)``), and
the pseudonymised open-needs list partners browse. Rules: ``tumbuh.partners.access``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from tumbuh.accounts.models import Role, User
from tumbuh.cases.models import OPEN_STATUSES, CaseNeed, NeedStatus
from tumbuh.organisations.models import PARTNER_KINDS, Organisation
from tumbuh.partners.access import (
    AREA,
    NOTHING,
    active,
    area_q,
    case_scope_q,
    city_code,
    partner_of,
)
from tumbuh.partners.models import (
    ACTIVE_PLEDGE_STATUSES,
    Delivery,
    Patronage,
    Pledge,
    Visit,
)
from tumbuh.registry.models import Sex
from tumbuh.registry.selectors import children_visible_to

DAYS_PER_MONTH = 30.4375


def _partner_city_q(org: Organisation, case_path: str) -> Q:
    city = city_code(org)
    if city is None:
        return NOTHING
    return Q(**{f"{case_path}__kelurahan__code__startswith": city + "."})


def needs_in_scope(user: User | None) -> QuerySet[CaseNeed]:
    """Needs of a child's case in ``user``'s area (a partner: its city), of any kind."""
    qs = CaseNeed.objects.filter(case__child__isnull=False).select_related("case", "category")
    if not active(user):
        return qs.none()
    assert user is not None
    org = partner_of(user)
    if org is not None:
        return qs.filter(_partner_city_q(org, "case"))
    return qs.filter(case_scope_q(user, "case"))


def needs_visible_to(user: User | None) -> QuerySet[CaseNeed]:
    """Needs partners can help with (``partner_can_help``), of a child's case, that ``user``
    may see: a partner those of its city, officers those of their area."""
    return needs_in_scope(user).filter(category__partner_can_help=True)


def open_needs_q() -> Q:
    """Still open, on an open case, and not already held by a pledge."""
    held = Pledge.objects.filter(need=OuterRef("pk"), status__in=ACTIVE_PLEDGE_STATUSES)
    return Q(status=NeedStatus.OPEN) & Q(case__status__in=list(OPEN_STATUSES)) & ~Exists(held)


@dataclass(frozen=True, slots=True)
class OpenNeed:
    """One open need as partners see it: nothing that names or locates the child."""

    id: int
    age_months: int
    sex: str
    kelurahan: str
    kelurahan_code: str
    need: str
    need_code: str
    kind: str
    quantity: str
    period_months: int | None
    unit: str
    unit_cost_min_rupiah: int | None
    unit_cost_max_rupiah: int | None

    @property
    def estimate_rupiah(self) -> int | None:
        cost = self.unit_cost_max_rupiah or self.unit_cost_min_rupiah
        return cost * (self.period_months or 1) if cost else None


#: What the open-needs list may be sorted by: only columns partners see.
SORTS = {
    "kelurahan": ("case__kelurahan__name", "category__sort_order", "pk"),
    "kebutuhan": ("category__sort_order", "case__kelurahan__name", "pk"),
    "terbaru": ("-pk",),
}


def open_needs(
    user: User | None,
    *,
    today: dt.date,
    kelurahan_code: str = "",
    need_code: str = "",
    sex: int | None = None,
    sort: str = "kelurahan",
) -> QuerySet[CaseNeed]:
    """The open needs ``user`` may see, filtered only on what the list shows (kelurahan, the
    need, sex). Turn the rows into :class:`OpenNeed` with :func:`open_need_rows`."""
    qs = needs_visible_to(user).filter(open_needs_q())
    if kelurahan_code:
        qs = qs.filter(case__kelurahan__code=kelurahan_code)
    if need_code:
        qs = qs.filter(category__code=need_code)
    if sex in (Sex.MALE, Sex.FEMALE):
        qs = qs.filter(case__child__person__sex=sex)
    return qs.order_by(*SORTS.get(sort, SORTS["kelurahan"]))


def open_need_rows(qs: QuerySet[CaseNeed], *, today: dt.date) -> list[OpenNeed]:
    """Pseudonymised rows, read with one query of plain values (the birth date is used for
    the age in whole months and never leaves this function)."""
    sexes = {value: str(label) for value, label in Sex.choices}
    rows = qs.values_list(
        "pk",
        "case__child__person__birth_date",
        "case__child__person__sex",
        "case__kelurahan__name",
        "case__kelurahan__code",
        "category__name",
        "category__code",
        "category__kind",
        "quantity",
        "period_months",
        "category__unit",
        "category__unit_cost_min_rupiah",
        "category__unit_cost_max_rupiah",
    )
    out = []
    for pk, birth, sex, kel, kel_code, name, code, kind, qty, period, unit, cmin, cmax in rows:
        out.append(
            OpenNeed(
                id=pk,
                age_months=int((today - birth).days // DAYS_PER_MONTH) if birth else 0,
                sex=sexes.get(sex, ""),
                kelurahan=kel or "",
                kelurahan_code=kel_code or "",
                need=name,
                need_code=code,
                kind=kind,
                quantity=qty,
                period_months=period,
                unit=unit,
                unit_cost_min_rupiah=cmin,
                unit_cost_max_rupiah=cmax,
            )
        )
    return out


def pledges_visible_to(user: User | None) -> QuerySet[Pledge]:
    """A partner: its own organisation's pledges. Officers: pledges on needs of cases they
    see; TPPS also the pools of partners working in its area."""
    qs = Pledge.objects.all()
    if not active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    org = partner_of(user)
    if org is not None:
        return qs.filter(partner=org)
    if user.role == Role.PARTNER:
        return qs.none()
    rule = Q(need__isnull=False) & case_scope_q(user, "need__case")
    if user.role in AREA and user.region is not None:
        partners = Organisation.objects.filter(
            Q(area_q(user.region, "covers")) | Q(region=user.region)
        ).values("pk")
        rule |= Q(need__isnull=True, partner__in=partners)
    return qs.filter(rule)


def deliveries_visible_to(user: User | None) -> QuerySet[Delivery]:
    return Delivery.objects.filter(pledge__in=pledges_visible_to(user))


def patronages_visible_to(user: User | None) -> QuerySet[Patronage]:
    """A patron: its own (open and ended, but see :func:`open_patronage` for access to the
    child). Officers: those of the children in their area."""
    qs = Patronage.objects.all()
    if not active(user):
        return qs.none()
    assert user is not None
    if user.is_superuser:
        return qs
    if user.role == Role.PARTNER:
        return qs.filter(patron=user)
    if user.role in AREA:
        if user.region is None:
            return qs.none()
        return qs.filter(area_q(user.region, "child__person__family__kelurahan"))
    if user.role in (Role.KADER, Role.NUTRITION_OFFICER):
        return qs.filter(child__in=children_visible_to(user))
    return qs.none()


def active_patronages_of(user: User | None) -> QuerySet[Patronage]:
    """The children a patron may see now (consent given and not withdrawn)."""
    if not active(user):
        return Patronage.objects.none()
    assert user is not None
    return Patronage.objects.filter(
        patron=user, ended_on__isnull=True, assignment__ended_on__isnull=True
    )


def visits_visible_to(user: User | None) -> QuerySet[Visit]:
    return Visit.objects.filter(patronage__in=patronages_visible_to(user))


def partners_for(user: User) -> QuerySet[Organisation]:
    """Partners of every status working in the TPPS user's area."""
    qs = Organisation.objects.filter(kind__in=PARTNER_KINDS)
    if user.is_superuser:
        return qs.order_by("status", "name")
    if user.region is None:
        return qs.none()
    inside = Organisation.objects.filter(
        Q(area_q(user.region, "covers")) | Q(region=user.region)
    ).values("pk")
    return qs.filter(pk__in=inside).order_by("status", "name")
