"""Facts behind the indicators: one flag set per subject (child, case, pregnancy) and month.

The same functions feed the aggregate refresh (``komando.services``) and the drill-down list
behind a number (``komando.selectors.drill``), so a list always holds exactly the subjects its
number counts. A subject is placed in the kelurahan where its family lives (the case's copied
kelurahan for cases) and in the posyandu where it is registered.

Optional sources plug in through :data:`PROVIDERS`: a ``"module:function"`` that is imported
only when the module exists (``tumbuh.cases.prevention`` and the partners app come later).
A provider is called as ``fn(month=..., end=..., within=...)`` and returns facts.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from tumbuh.growth.categories import Category
from tumbuh.komando.indicators import Subject
from tumbuh.registry.models import (
    BreastfeedingKind,
    BreastfeedingPeriod,
    Child,
    ChildStatus,
    Measurement,
    Pregnancy,
    PregnancyOutcome,
)
from tumbuh.registry.risks import anc_too_few

UNDER_FIVE_DAYS = 1826  # 5 x 365.25 days: the 60-month bound used by the registry
SIX_MONTHS_DAYS = 183
TTD_FULL = 90
TTD_CHECK_WEEKS = 36

STUNTED = {Category.STUNTED.value, Category.SEVERELY_STUNTED.value}
WASTED = {Category.WASTED.value, Category.SEVERELY_WASTED.value}
UNDERWEIGHT = {Category.UNDERWEIGHT.value, Category.SEVERELY_UNDERWEIGHT.value}


@dataclass(frozen=True, slots=True)
class Within:
    """Which subjects to compute: everything (both None), those living in these kelurahan
    (residence codes), or those registered at these posyandu."""

    kelurahan_codes: frozenset[str] | None = None
    posyandu_ids: frozenset[int] | None = None
    #: A region code: subjects living there at any depth (the drill list of a kecamatan).
    region_code: str | None = None

    def residence_q(self, path: str) -> Q:
        """Filter on a kelurahan code at lookup ``path`` (``person__family__kelurahan__code``)."""
        rule = Q()
        if self.kelurahan_codes is not None:
            rule &= Q(**{f"{path}__in": sorted(self.kelurahan_codes)})
        if self.region_code is not None:
            rule &= Q(**{path: self.region_code}) | Q(
                **{f"{path}__startswith": self.region_code + "."}
            )
        return rule

    def posyandu_q(self, path: str) -> Q:
        if self.posyandu_ids is None:
            return Q()
        return Q(**{f"{path}__in": sorted(self.posyandu_ids)})

    def q(self, residence: str, posyandu: str) -> Q:
        return self.residence_q(residence) & self.posyandu_q(posyandu)


EVERYTHING = Within()


@dataclass(slots=True)
class Fact:
    subject: Subject
    subject_id: int
    kelurahan_code: str | None
    posyandu_id: int | None
    flags: set[str] = field(default_factory=set)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of ``month``."""
    start = month.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def _aware(day: dt.date, end_of_day: bool = False) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
    return timezone.make_aware(moment)


# --- children ---------------------------------------------------------------------------------


def child_facts(month: dt.date, within: Within = EVERYTHING) -> list[Fact]:
    """S, D, N, 2T, BGM, the status indicators and the child-level coverage indicators."""
    start, end = month_bounds(month)
    area = within.q("person__family__kelurahan__code", "posyandu_id")
    rows = (
        Child.objects.filter(area)
        .filter(
            status=ChildStatus.ACTIVE,
            person__birth_date__lte=end,
            person__birth_date__gt=end - dt.timedelta(days=UNDER_FIVE_DAYS),
        )
        .values_list("pk", "person__birth_date", "person__family__kelurahan__code", "posyandu_id")
    )
    facts: dict[int, Fact] = {}
    young: set[int] = set()
    for pk, birth_date, kel_code, posyandu_id in rows.iterator(chunk_size=5000):
        fact = Fact(Subject.CHILD, pk, kel_code, posyandu_id, {"s"})
        if (end - birth_date).days < SIX_MONTHS_DAYS:
            fact.flags.add("under6m")
            young.add(pk)
        facts[pk] = fact
    if not facts:
        return []
    child_area = within.q("child__person__family__kelurahan__code", "child__posyandu_id")
    measurements = (
        Measurement.objects.filter(child_area, measured_on__gte=start, measured_on__lte=end)
        .order_by("child_id", "measured_on")
        .values_list(
            "child_id",
            "weight_kg",
            "category_bbu",
            "category_tbu",
            "category_bbtb",
            "trend",
            "two_t",
        )
    )
    last: dict[int, tuple] = {}  # type: ignore[type-arg]  # the values_list row above
    for row in measurements.iterator(chunk_size=5000):
        if row[0] in facts:
            last[row[0]] = row  # ordered by date: the month's last measurement wins
    for child_id, weight, bbu, tbu, bbtb, trend, two_t in last.values():
        flags = facts[child_id].flags
        if weight is not None:
            flags.add("d")
            if trend == "N":
                flags.add("n")
            if two_t:
                flags.add("t2")
        if bbu:
            flags.add("measured_w")
            if bbu in UNDERWEIGHT:
                flags.add("underweight")
            if bbu == Category.SEVERELY_UNDERWEIGHT.value and weight is not None:
                flags.add("bgm")
        if tbu:
            flags.add("measured_h")
            if tbu in STUNTED:
                flags.add("stunted")
        if bbtb:
            flags.add("measured_wh")
            if bbtb in WASTED:
                flags.add("wasted")
                if bbtb == Category.SEVERELY_WASTED.value:
                    flags.add("severely_wasted")
                else:
                    flags.add("moderate_wasted")
    if young:
        exclusive = BreastfeedingPeriod.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=end),
            child_id__in=young,
            kind=BreastfeedingKind.EXCLUSIVE,
            started_on__lte=end,
        ).values_list("child_id", flat=True)
        for child_id in exclusive:
            facts[child_id].flags.add("exclusive_bf")
    _wasting_coverage(facts, start, end)
    return list(facts.values())


def _wasting_coverage(facts: dict[int, Fact], start: dt.date, end: dt.date) -> None:
    """sw_managed / mw_fed from the cases app: a wasting case handled during the month."""
    wasted = [f.subject_id for f in facts.values() if "wasted" in f.flags]
    if not wasted:
        return
    from tumbuh.cases.models import Case, CaseKind, CaseStatus, InterventionStatus

    handled = Case.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=_aware(start)),
        child_id__in=wasted,
        kind=CaseKind.WASTING,
        opened_at__lte=_aware(end, end_of_day=True),
    ).exclude(status=CaseStatus.REJECTED)
    for child_id in handled.values_list("child_id", flat=True):
        flags = facts[child_id].flags
        if "severely_wasted" in flags:
            flags.add("sw_managed")
    fed = handled.filter(
        interventions__status=InterventionStatus.DELIVERED, interventions__delivered_on__lte=end
    ).values_list("child_id", flat=True)
    for child_id in fed:
        flags = facts[child_id].flags
        if "moderate_wasted" in flags:
            flags.add("mw_fed")


# --- cases ------------------------------------------------------------------------------------


def case_facts(month: dt.date, within: Within = EVERYTHING) -> list[Fact]:
    """New, open at the end of the month, closed, and closed by outcome."""
    from tumbuh.cases.models import Case, CaseStatus, Outcome

    start, end = month_bounds(month)
    first, last = _aware(start), _aware(end, end_of_day=True)
    rows = (
        Case.objects.filter(within.q("kelurahan__code", "posyandu_id"))
        .exclude(status=CaseStatus.REJECTED)
        .filter(opened_at__lte=last)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=first))
        .values_list("pk", "kelurahan__code", "posyandu_id", "opened_at", "closed_at", "outcome")
    )
    outcome_flag = {
        Outcome.RECOVERED.value: "cases_recovered",
        Outcome.STILL_STUNTED_AT_5.value: "cases_still_stunted",
        Outcome.LOST_TO_FOLLOW_UP.value: "cases_lost",
    }
    facts = []
    for pk, kel_code, posyandu_id, opened_at, closed_at, outcome in rows.iterator(chunk_size=5000):
        fact = Fact(Subject.CASE, pk, kel_code, posyandu_id)
        if opened_at >= first:
            fact.flags.add("cases_new")
        if closed_at is None or closed_at > last:
            fact.flags.add("cases_open")
        elif closed_at >= first:
            fact.flags.add("cases_closed")
            if outcome in outcome_flag:
                fact.flags.add(outcome_flag[outcome])
        if fact.flags:
            facts.append(fact)
    return facts


# --- pregnancies ------------------------------------------------------------------------------


def _pregnancy_start(p: Pregnancy) -> dt.date:
    if p.hpht is not None:
        return p.hpht
    if p.due_date is not None:
        return p.due_date - dt.timedelta(days=280)
    return timezone.localdate(p.created_at)


def pregnancy_facts(month: dt.date, within: Within = EVERYTHING) -> list[Fact]:
    """Pregnant women at the end of the month and their risks; deliveries in the month."""
    from tumbuh.cases.models import Case, CaseKind, CaseStatus, InterventionStatus

    start, end = month_bounds(month)
    area = within.q("mother__person__family__kelurahan__code", "mother__posyandu_id")
    candidates = (
        Pregnancy.objects.filter(area)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .exclude(outcome=PregnancyOutcome.MISCARRIAGE, ended_on__lt=start)
        .values(
            "pk",
            "hpht",
            "due_date",
            "created_at",
            "ended_on",
            "outcome",
            "is_kek",
            "is_anaemic",
            "anc_visits",
            "iron_tablets_taken",
            "mother__posyandu_id",
            "mother__person__family__kelurahan__code",
        )
    )
    facts: dict[int, Fact] = {}
    for row in candidates.iterator(chunk_size=5000):
        p = Pregnancy(
            pk=row["pk"],
            hpht=row["hpht"],
            due_date=row["due_date"],
            created_at=row["created_at"],
            ended_on=row["ended_on"],
            outcome=row["outcome"],
            is_kek=row["is_kek"],
            is_anaemic=row["is_anaemic"],
            anc_visits=row["anc_visits"],
            iron_tablets_taken=row["iron_tablets_taken"],
        )
        fact = Fact(
            Subject.PREGNANCY,
            p.pk,
            row["mother__person__family__kelurahan__code"],
            row["mother__posyandu_id"],
        )
        began = _pregnancy_start(p)
        ended_in_month = p.ended_on is not None and start <= p.ended_on <= end
        if ended_in_month and p.outcome in (
            PregnancyOutcome.LIVE_BIRTH,
            PregnancyOutcome.STILLBIRTH,
        ):
            fact.flags.add("preg_ended")
            if p.iron_tablets_taken >= TTD_FULL:
                fact.flags.add("preg_ttd90")
        stale = p.due_date is not None and p.due_date + dt.timedelta(days=42) < end
        ongoing_at_end = began <= end and (p.ended_on is None or p.ended_on > end) and not stale
        if ongoing_at_end:
            fact.flags.add("preg")
            if p.is_kek:
                fact.flags.add("preg_kek")
            if p.is_anaemic:
                fact.flags.add("preg_anaemia")
            # The risk rule reads the pregnancy as ongoing on that day.
            p.outcome = PregnancyOutcome.ONGOING
            if anc_too_few(p, end):
                fact.flags.add("preg_anc_few")
            if (end - began).days // 7 >= TTD_CHECK_WEEKS:
                fact.flags.add("preg_late")
                if p.iron_tablets_taken < TTD_FULL:
                    fact.flags.add("preg_ttd_few")
        if fact.flags:
            facts[p.pk] = fact
    kek = [pk for pk, f in facts.items() if "preg_kek" in f.flags]
    if kek:
        fed = Case.objects.filter(
            pregnancy_id__in=kek,
            kind=CaseKind.PREGNANCY_KEK,
            interventions__status=InterventionStatus.DELIVERED,
            interventions__delivered_on__lte=end,
        ).exclude(status=CaseStatus.REJECTED)
        for pk in fed.values_list("pregnancy_id", flat=True):
            facts[pk].flags.add("preg_kek_fed")
    return list(facts.values())


# --- optional providers -----------------------------------------------------------------------

Provider = Callable[..., Iterable[Fact]]

#: (module that must be present, "module:function" of the provider). A provider is called as
#: ``fn(month=first day, end=last day, within=Within)`` and returns facts.
PROVIDERS: tuple[tuple[str, str], ...] = (
    ("tumbuh.cases.prevention", "tumbuh.komando.optional:prevention_facts"),
    ("tumbuh.partners", "tumbuh.komando.optional:partner_facts"),
)


def _module_present(name: str) -> bool:
    from django.apps import apps

    if name == "tumbuh.partners":
        return apps.is_installed(name)
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def optional_providers() -> Iterator[tuple[str, Provider]]:
    for required, target in PROVIDERS:
        if not _module_present(required):
            continue
        module_name, _, attribute = target.partition(":")
        yield required, getattr(importlib.import_module(module_name), attribute)


def installed_optional_modules() -> set[str]:
    return {name for name, _ in optional_providers()}


def all_facts(month: dt.date, within: Within = EVERYTHING) -> list[Fact]:
    start, end = month_bounds(month)
    facts = child_facts(month, within) + case_facts(month, within) + pregnancy_facts(month, within)
    for _name, provider in optional_providers():
        facts.extend(provider(month=start, end=end, within=within))
    return facts
