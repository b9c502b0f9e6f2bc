"""Fact providers for sources that come from apps built beside the command centre: the
prevention list (``tumbuh.cases.prevention``) and the partners app (``tumbuh.partners``).

Each is used only when its module is present (``facts.PROVIDERS``); the partners models are
reached through the app registry, so nothing here imports an app that is not installed.

* prevention: children on the prevention (berisiko) list at the end of the month, as the list
  reads it for an administrator (the system), placed by residence and posyandu;
* visits: children in a bapak asuh's care with at least one 14-day window (the patronage's own
  interval) closing in the month (``visits_due``), and those visited in every such window
  (``visits_done``): the fortnightly visit adherence of seed article 001;
* contributions: partner deliveries scheduled in the month (``contributions_due``) and those
  recorded or verified as delivered by the end of the month (``contributions_delivered``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db.models import Q

from tumbuh.komando.facts import Fact, Within
from tumbuh.komando.indicators import Subject

DELIVERED = ("recorded", "verified")


def prevention_facts(*, month: dt.date, end: dt.date, within: Within) -> list[Fact]:
    from tumbuh.accounts.models import User
    from tumbuh.cases import prevention
    from tumbuh.registry.models import Child

    system = User(username="komando-system", is_superuser=True, is_active=True)
    ids = {
        getattr(entry, "child_id", None) or entry.child.pk
        for entry in prevention.prevention_children(system, today=end)
    }
    rows = Child.objects.filter(
        within.q("person__family__kelurahan__code", "posyandu_id"), pk__in=ids
    ).values_list("pk", "person__family__kelurahan__code", "posyandu_id")
    return [
        Fact(Subject.CHILD, pk, code, posyandu_id, {"prevention_list"})
        for pk, code, posyandu_id in rows.iterator(chunk_size=5000)
    ]


def closing_windows(started_on: dt.date, every: int, start: dt.date, last: dt.date) -> list[int]:
    """Indexes k of the windows [S + kN, S + (k+1)N) whose last day falls in [start, last]."""
    out = []
    k = max(0, (start - started_on).days // every - 1)
    while True:
        closes = started_on + dt.timedelta(days=(k + 1) * every - 1)
        if closes > last:
            return out
        if closes >= start:
            out.append(k)
        k += 1


def partner_facts(*, month: dt.date, end: dt.date, within: Within) -> list[Fact]:
    if not apps.is_installed("tumbuh.partners"):
        return []
    patronage_model = apps.get_model("partners", "Patronage")
    visit_model = apps.get_model("partners", "Visit")
    delivery_model = apps.get_model("partners", "Delivery")
    facts: list[Fact] = []
    patronages = list(
        patronage_model.objects.filter(
            within.q("child__person__family__kelurahan__code", "child__posyandu_id")
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month), started_on__lte=end)
        .values_list(
            "pk",
            "child_id",
            "started_on",
            "ended_on",
            "visit_every_days",
            "child__person__family__kelurahan__code",
            "child__posyandu_id",
        )
    )
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for patronage_id, visited_on in visit_model.objects.filter(
        patronage_id__in=[p[0] for p in patronages], visited_on__lte=end
    ).values_list("patronage_id", "visited_on"):
        visits[patronage_id].append(visited_on)
    for pk, child_id, started_on, ended_on, every, code, posyandu_id in patronages:
        last = min(end, ended_on) if ended_on else end
        windows = closing_windows(started_on, every or 14, month, last)
        if not windows:
            continue
        fact = Fact(Subject.CHILD, child_id, code, posyandu_id, {"visits_due"})
        visited = {(d - started_on).days // (every or 14) for d in visits[pk]}
        if all(k in visited for k in windows):
            fact.flags.add("visits_done")
        facts.append(fact)
    deliveries = delivery_model.objects.filter(
        within.q("pledge__need__case__kelurahan__code", "pledge__need__case__posyandu_id"),
        scheduled_on__gte=month,
        scheduled_on__lte=end,
        pledge__need__isnull=False,
    ).values_list(
        "pk",
        "status",
        "delivered_on",
        "pledge__need__case__kelurahan__code",
        "pledge__need__case__posyandu_id",
    )
    for pk, status, delivered_on, code, posyandu_id in deliveries:
        fact = Fact(Subject.OTHER, pk, code, posyandu_id, {"contributions_due"})
        if status in DELIVERED and delivered_on is not None and delivered_on <= end:
            fact.flags.add("contributions_delivered")
        facts.append(fact)
    return facts


# --- partner scorecards -----------------------------------------------------------------------

PARTNER_SCORE_RULE = (
    "Skor mitra = rata-rata dari bagian yang berlaku: kiriman tepat waktu (diantar paling lambat "
    "tanggal jadwal) ÷ kiriman terjadwal bulan ini, kiriman terverifikasi ÷ kiriman diantar, "
    "dan kepatuhan kunjungan (jendela 14 hari yang dikunjungi ÷ jendela yang berakhir bulan "
    "ini), × 100."
)


def partner_cards(*, month: dt.date, end: dt.date) -> dict[int, dict[str, float | None]]:
    """Per partner organisation: pledges delivered on time, verified share, visit adherence,
    children in care and children improved (latest PB/U z higher than at the start of care)."""
    if not apps.is_installed("tumbuh.partners"):
        return {}
    from tumbuh.registry.models import Measurement

    delivery_model = apps.get_model("partners", "Delivery")
    patronage_model = apps.get_model("partners", "Patronage")
    visit_model = apps.get_model("partners", "Visit")
    cards: dict[int, dict[str, float]] = defaultdict(
        lambda: {
            "deliveries_due": 0,
            "on_time": 0,
            "delivered": 0,
            "verified": 0,
            "windows": 0,
            "windows_visited": 0,
            "children": 0,
            "improved": 0,
        }
    )
    for org, status, scheduled_on, delivered_on in delivery_model.objects.filter(
        scheduled_on__gte=month, scheduled_on__lte=end
    ).values_list("pledge__partner_id", "status", "scheduled_on", "delivered_on"):
        card = cards[org]
        card["deliveries_due"] += 1
        if status in DELIVERED and delivered_on is not None:
            card["delivered"] += 1
            card["on_time"] += delivered_on <= scheduled_on
            card["verified"] += status == "verified"
    patronages = list(
        patronage_model.objects.filter(organisation__isnull=False, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month))
        .values_list(
            "pk", "organisation_id", "child_id", "started_on", "ended_on", "visit_every_days"
        )
    )
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for pid, day in visit_model.objects.filter(
        patronage_id__in=[p[0] for p in patronages], visited_on__lte=end
    ).values_list("patronage_id", "visited_on"):
        visits[pid].append(day)
    series: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    for child_id, day, zlen in (
        Measurement.objects.filter(
            child_id__in=[p[2] for p in patronages], measured_on__lte=end, zlen__isnull=False
        )
        .order_by("measured_on")
        .values_list("child_id", "measured_on", "zlen")
    ):
        series[child_id].append((day, zlen))
    for pk, org, child_id, started_on, ended_on, every in patronages:
        card = cards[org]
        card["children"] += 1
        every = every or 14
        windows = closing_windows(started_on, every, month, min(end, ended_on) if ended_on else end)
        visited = {(d - started_on).days // every for d in visits[pk]}
        card["windows"] += len(windows)
        card["windows_visited"] += sum(1 for k in windows if k in visited)
        points = series.get(child_id, [])
        before = [z for d, z in points if d <= started_on]
        after = [z for d, z in points if d > started_on]
        baseline = before[-1] if before else (after[0] if after else None)
        if baseline is not None and after and after[-1] > baseline:
            card["improved"] += 1
    out: dict[int, dict[str, float | None]] = {}
    for org, card in cards.items():
        parts = []
        if card["deliveries_due"]:
            parts.append(card["on_time"] / card["deliveries_due"])
        if card["delivered"]:
            parts.append(card["verified"] / card["delivered"])
        if card["windows"]:
            parts.append(card["windows_visited"] / card["windows"])
        values: dict[str, float | None] = dict(card)
        values["verified_share"] = (
            round(100 * card["verified"] / card["delivered"], 1) if card["delivered"] else None
        )
        values["adherence"] = (
            round(100 * card["windows_visited"] / card["windows"], 1) if card["windows"] else None
        )
        values["score"] = round(100 * sum(parts) / len(parts), 1) if parts else None
        out[org] = values
    return out
