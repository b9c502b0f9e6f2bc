"""Writes of the command centre: refreshing the aggregate tables (ADR 0080).

* :func:`stats_refresh_month`: full rebuild of one month (every area, every indicator, the
  organisations' scorecards), in one transaction: readers see the old month or the new one.
* :func:`stats_refresh_dirty`: recompute only the kelurahan marked dirty by the receivers
  (``komando.receivers``) and re-add their kecamatan and the city from the kelurahan rows.
* :func:`mark_dirty`: called by the receivers inside the writing transaction.

Only counts are stored; every share is ``value / denominator`` on reading.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record
from tumbuh.komando import facts as F
from tumbuh.komando.indicators import BY_CODE, INDICATORS, OPTIONAL, opd_score
from tumbuh.komando.models import AreaLevel, AreaMonthStat, DirtyArea, OrgMonthStat
from tumbuh.wilayah.models import Level, Posyandu, Region

ORGANISATIONS = "*"  # DirtyArea code for the scorecards


def posyandu_code(posyandu_id: int) -> str:
    return f"pos-{posyandu_id}"


def kecamatan_of(code: str) -> str:
    return ".".join(code.split(".")[:3])


def city_of(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _stored_indicators() -> list[str]:
    present = F.installed_optional_modules()
    return [i.code for i in INDICATORS if i.code not in OPTIONAL or OPTIONAL[i.code] in present]


@dataclass(slots=True)
class _Counts:
    by_kelurahan: dict[str, Counter[str]]
    by_posyandu: dict[int, Counter[str]]


def _count(facts: Iterable[F.Fact]) -> _Counts:
    by_kel: dict[str, Counter[str]] = defaultdict(Counter)
    by_pos: dict[int, Counter[str]] = defaultdict(Counter)
    for fact in facts:
        if fact.kelurahan_code:
            by_kel[fact.kelurahan_code].update(fact.flags)
        if fact.posyandu_id:
            by_pos[fact.posyandu_id].update(fact.flags)
    return _Counts(by_kel, by_pos)


def _rows(
    *,
    area_code: str,
    level: AreaLevel,
    parent_code: str,
    month: dt.date,
    counts: Counter[str],
    codes: list[str],
    now: dt.datetime,
    keep_zero: bool = True,
) -> list[AreaMonthStat]:
    rows = []
    for code in codes:
        value = counts.get(code, 0)
        if not value and not keep_zero:
            continue
        denominator_code = BY_CODE[code].denominator
        rows.append(
            AreaMonthStat(
                area_code=area_code,
                level=level,
                parent_code=parent_code,
                month=month,
                indicator=code,
                value=value,
                denominator=counts.get(denominator_code, 0) if denominator_code else None,
                computed_at=now,
            )
        )
    return rows


def _kelurahan_of_city(city_code: str) -> list[Region]:
    return list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith=city_code + ".").only("code")
    )


def _write_areas(
    *,
    month: dt.date,
    counts: _Counts,
    kelurahan_codes: list[str],
    posyandu: dict[int, str],
    now: dt.datetime,
) -> int:
    """Replace the kelurahan and posyandu rows given, then re-add kecamatan and city rows."""
    codes = _stored_indicators()
    rows: list[AreaMonthStat] = []
    for code in kelurahan_codes:
        rows += _rows(
            area_code=code,
            level=AreaLevel.KELURAHAN,
            parent_code=kecamatan_of(code),
            month=month,
            counts=counts.by_kelurahan.get(code, Counter()),
            codes=codes,
            now=now,
        )
    for pk, kel_code in posyandu.items():
        rows += _rows(
            area_code=posyandu_code(pk),
            level=AreaLevel.POSYANDU,
            parent_code=kel_code,
            month=month,
            counts=counts.by_posyandu.get(pk, Counter()),
            codes=codes,
            now=now,
            keep_zero=False,
        )
    replaced = [*kelurahan_codes, *(posyandu_code(pk) for pk in posyandu)]
    stats = AreaMonthStat.objects.filter(month=month)
    for chunk in _chunks(replaced, 500):
        stats.filter(area_code__in=chunk).delete()
    AreaMonthStat.objects.bulk_create(rows, batch_size=2000)
    # Kecamatan and city rows: sums of all kelurahan rows of the month (additive counts).
    parents = sorted({kecamatan_of(c) for c in kelurahan_codes})
    cities = sorted({city_of(c) for c in kelurahan_codes})
    stats.filter(area_code__in=parents + cities).delete()
    upper: list[AreaMonthStat] = []
    for level, area_codes, depth in (
        (AreaLevel.KECAMATAN, parents, 3),
        (AreaLevel.CITY, cities, 2),
    ):
        for area_code in area_codes:
            totals: Counter[str] = Counter()
            for indicator, value in stats.filter(
                level=AreaLevel.KELURAHAN, area_code__startswith=area_code + "."
            ).values_list("indicator", "value"):
                totals[indicator] += value
            upper += _rows(
                area_code=area_code,
                level=level,
                parent_code=".".join(area_code.split(".")[: depth - 1]),
                month=month,
                counts=totals,
                codes=codes,
                now=now,
            )
    AreaMonthStat.objects.bulk_create(upper, batch_size=2000)
    return len(rows) + len(upper)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@transaction.atomic
def stats_refresh_month(
    *, month: dt.date, city_code: str | None = None, today: dt.date | None = None
) -> int:
    """Rebuild every row of ``month`` (for the city ``city_code``, else every city with
    kelurahan). Returns the number of rows written. Audited as a system ``update``."""
    today = today or timezone.localdate()
    month = month.replace(day=1)
    now = timezone.now()
    if city_code is None:
        kelurahan = list(Region.objects.filter(level=Level.VILLAGE).only("code"))
        within = F.EVERYTHING
    else:
        kelurahan = _kelurahan_of_city(city_code)
        within = F.Within(region_code=city_code)
    counts = _count(F.all_facts(month, within))
    posyandu = dict(
        Posyandu.objects.filter(kelurahan__in=kelurahan).values_list("pk", "kelurahan__code")
    )
    written = _write_areas(
        month=month,
        counts=counts,
        kelurahan_codes=[k.code for k in kelurahan],
        posyandu=posyandu,
        now=now,
    )
    written += _write_organisations(month=month, today=today, now=now)
    DirtyArea.objects.filter(month=month).delete()
    audit_record(
        actor=None,
        action=Action.UPDATE,
        object_type="komando.areamonthstat",
        detail={"month": month.isoformat(), "rows": written, "full": True},
    )
    return written


@transaction.atomic
def stats_refresh_dirty(*, today: dt.date | None = None) -> int:
    """Recompute the kelurahan (and the scorecards) marked dirty. Returns rows written."""
    today = today or timezone.localdate()
    snapshot = timezone.now()
    marks = list(DirtyArea.objects.filter(marked_at__lte=snapshot))
    if not marks:
        return 0
    by_month: dict[dt.date, set[str]] = defaultdict(set)
    for mark in marks:
        by_month[mark.month].add(mark.area_code)
    DirtyArea.objects.filter(pk__in=[m.pk for m in marks], marked_at__lte=snapshot).delete()
    written = 0
    now = timezone.now()
    for month, codes in sorted(by_month.items()):
        if ORGANISATIONS in codes:
            written += _write_organisations(month=month, today=today, now=now)
            codes.discard(ORGANISATIONS)
        if not codes:
            continue
        posyandu = dict(
            Posyandu.objects.filter(kelurahan__code__in=sorted(codes)).values_list(
                "pk", "kelurahan__code"
            )
        )
        by_residence = _count(F.all_facts(month, F.Within(kelurahan_codes=frozenset(codes))))
        by_registration = _count(F.all_facts(month, F.Within(posyandu_ids=frozenset(posyandu))))
        counts = _Counts(by_residence.by_kelurahan, by_registration.by_posyandu)
        written += _write_areas(
            month=month, counts=counts, kelurahan_codes=sorted(codes), posyandu=posyandu, now=now
        )
    audit_record(
        actor=None,
        action=Action.UPDATE,
        object_type="komando.areamonthstat",
        detail={"months": [m.isoformat() for m in sorted(by_month)], "rows": written},
    )
    return written


def stats_refresh_missing(*, today: dt.date | None = None, months: int = 13) -> list[dt.date]:
    """Full refresh of every month of the last ``months`` (up to ``today``'s) that has no rows
    yet for a city with children (a fresh install or demo, a new city). Returns those months."""
    from tumbuh.registry.models import Child

    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1
    wanted = [dt.date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(months)]
    cities = sorted(
        {
            city_of(code)
            for code in Child.objects.filter(person__family__isnull=False)
            .values_list("person__family__kelurahan__code", flat=True)
            .distinct()[:10000]
            if code
        }
    )
    done = []
    for city in cities:
        present = set(
            AreaMonthStat.objects.filter(area_code=city, month__in=wanted).values_list(
                "month", flat=True
            )
        )
        for month in wanted:
            if month not in present:
                stats_refresh_month(month=month, city_code=city, today=today)
                done.append(month)
    return done


def mark_dirty(*, kelurahan_codes: Iterable[str], months: Iterable[dt.date]) -> None:
    """Note that these kelurahan (or ``ORGANISATIONS``) need recomputing for these months."""
    for month in {m.replace(day=1) for m in months}:
        for code in {c for c in kelurahan_codes if c}:
            DirtyArea.objects.update_or_create(area_code=code, month=month)


# --- scorecards -------------------------------------------------------------------------------

ORG_INDICATORS = ("due", "on_time", "done", "median_days", "overdue", "escalated", "score")


@dataclass(slots=True)
class _Card:
    due: int = 0
    on_time: int = 0
    done: int = 0
    overdue: int = 0
    escalated: int = 0
    days: list[float] | None = None

    def values(self) -> dict[str, float | None]:
        days = self.days or []
        return {
            "due": self.due,
            "on_time": self.on_time,
            "done": self.done,
            "median_days": round(statistics.median(days), 1) if days else None,
            "overdue": self.overdue,
            "escalated": self.escalated,
            "score": opd_score(due=self.due, on_time=self.on_time, overdue=self.overdue),
        }


def _write_organisations(*, month: dt.date, today: dt.date, now: dt.datetime) -> int:
    """Tasks due, on time, done, median days to complete, overdue at the end of the month
    (or today, for the running month), escalated; and the score (``indicators.opd_score``)."""
    from tumbuh.cases.models import Task, TaskStatus, TaskUpdate, TaskUpdateKind

    start, end = F.month_bounds(month)
    as_of = min(end, today)
    first, last = F._aware(start), F._aware(as_of, end_of_day=True)
    month_last = F._aware(end, end_of_day=True)
    cards: dict[int, _Card] = defaultdict(_Card)
    tasks = (
        Task.objects.filter(
            Q(due_date__gte=start, due_date__lte=end)
            | Q(completed_at__gte=first, completed_at__lte=month_last)
            | Q(due_date__lt=as_of, assigned_at__lte=last)
        )
        .exclude(status=TaskStatus.REJECTED)
        .values_list("owner_id", "due_date", "assigned_at", "completed_at")
    )
    for owner, due_date, assigned_at, completed_at in tasks.iterator():
        card = cards[owner]
        done_on = timezone.localdate(completed_at) if completed_at else None
        if start <= due_date <= end:
            card.due += 1
            if done_on is not None and done_on <= due_date:
                card.on_time += 1
        if done_on is not None and start <= done_on <= end:
            card.done += 1
            card.days = [*(card.days or []), (completed_at - assigned_at).total_seconds() / 86400]
        if (done_on is None or done_on > as_of) and due_date < as_of and assigned_at <= last:
            card.overdue += 1
    escalated = (
        TaskUpdate.objects.filter(
            kind__in=[TaskUpdateKind.ESCALATED_HEAD, TaskUpdateKind.ESCALATED_TPPS],
            at__gte=first,
            at__lte=month_last,
        )
        .values_list("task__owner_id", "task_id")
        .distinct()
    )
    for owner, _task in escalated:
        cards[owner].escalated += 1
    values: dict[tuple[int, str], float | None] = {
        (owner, k): v for owner, card in cards.items() for k, v in card.values().items()
    }
    from tumbuh.komando.optional import partner_cards

    # A partner can own tasks too (a pledge's intervention): its partner card, scored by the
    # partner rule, wins where the two share an indicator name (one row per org and indicator).
    for org, card_values in partner_cards(month=start, end=end).items():
        for k, v in card_values.items():
            values[(org, k)] = v
    rows = [
        OrgMonthStat(organisation_id=org, month=month, indicator=k, value=v, computed_at=now)
        for (org, k), v in values.items()
    ]
    OrgMonthStat.objects.filter(month=month).delete()
    OrgMonthStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
