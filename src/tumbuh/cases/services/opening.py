"""Opening and updating cases from stored facts (the registry's signals call these).

Every path that stores a measurement (form, import, API, correction) sends
``measurements_changed`` inside its transaction; :func:`cases_update_for_children` runs there:

* a rule crossed by the child's newest measurement opens a *suspected* case of that kind,
  unless one is open (one open case per child and kind, a database constraint): then the
  weighing is added to that case's timeline once (``Case.latest_measurement`` remembers it);
* a flagged (implausible) value opens nothing: an open case of that kind gets a
  "perlu ukur ulang" line;
* an open case whose indicator is back to normal is checked against the recovery rule
  (``rules.is_recovered``) and marked *ready to close* on the timeline.

Built for bulk imports: a few queries per 500 children and ``bulk_create`` of cases and
events, one audit row per batch of opened cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases.models import (
    OPEN_STATUSES,
    PREGNANCY_KINDS,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    EventKind,
    Outcome,
)
from tumbuh.cases.rules import (
    RECOVERY,
    RuleHit,
    evaluate_child,
    evaluate_pregnancy,
    is_recovered,
    priority_of,
    worst_by_kind,
)
from tumbuh.cases.services.transitions import apply_transition
from tumbuh.imports.fastinsert import insert
from tumbuh.registry.models import Child, Measurement, Pregnancy, PregnancyOutcome

BATCH = 500

#: The measurement fields the rules and the recovery check read (``needs_review``: when the
#: registry records whether a flagged value was confirmed).
RULE_FIELDS = tuple(
    name
    for name in (
        "id", "child_id", "measured_on", "age_days", "zlen", "zwei", "zwfl", "flen", "fwei",
        "fwfl", "oedema", "two_t", "trend", "needs_review",
    )
    if name.removesuffix("_id") in {f.name for f in Measurement._meta.get_fields()}
    or name == "id"
)  # fmt: skip


@dataclass
class UpdateCounts:
    opened: int = 0
    updated: int = 0
    remeasure: int = 0
    ready_to_close: int = 0
    closed: int = 0


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _z(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _opened_text(hit: RuleHit, m: Measurement) -> str:
    return _("Kasus terduga dibuka: %(rule)s (nilai %(value)s) pada pengukuran %(date)s.") % {
        "rule": hit.rule.description,
        "value": _z(hit.value),
        "date": m.measured_on.isoformat(),
    }


def _measurement_text(m: Measurement, hit: RuleHit | None, source: str = "") -> str:
    text = _measurement_line(m, hit)
    if source == "withdraw":
        return _("Pengukuran ditarik; kini yang terakhir: %(line)s") % {"line": text}
    if source == "correct":
        return _("Pengukuran dikoreksi. %(line)s") % {"line": text}
    return text


def _measurement_line(m: Measurement, hit: RuleHit | None) -> str:
    values = _("TB/U %(zlen)s, BB/TB %(zwfl)s, BB/U %(zwei)s") % {
        "zlen": _z(m.zlen),
        "zwfl": _z(m.zwfl),
        "zwei": _z(m.zwei),
    }
    if hit is None:
        return _("Pengukuran %(date)s: %(values)s; tidak lagi di bawah ambang.") % {
            "date": m.measured_on.isoformat(),
            "values": values,
        }
    return _("Pengukuran %(date)s: %(values)s; masih %(rule)s.") % {
        "date": m.measured_on.isoformat(),
        "values": values,
        "rule": hit.rule.description,
    }


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def cases_update_for_children(
    *,
    child_ids: Iterable[int],
    actor: User | None = None,
    context: AuditContext = SYSTEM,
    source: str = "",
) -> UpdateCounts:
    """Open or update the cases of these children from their newest measurement (see the
    module text). Runs inside the caller's transaction (the registry's write)."""
    counts = UpdateCounts()
    ids = sorted({int(i) for i in child_ids})
    with transaction.atomic():
        for chunk in _chunks(ids):
            _update_chunk(chunk, actor, context, source, counts)
    return counts


def _update_chunk(
    chunk: list[int],
    actor: User | None,
    context: AuditContext,
    source: str,
    counts: UpdateCounts,
) -> None:
    now = timezone.now()
    user = _user(actor)
    rows = list(
        Child.objects.filter(pk__in=chunk, latest_measurement__isnull=False).values_list(
            "pk", "latest_measurement_id", "posyandu_id", "person__family__kelurahan_id"
        )
    )
    if not rows:
        return
    latest = {
        m.pk: m for m in Measurement.objects.filter(pk__in=[r[1] for r in rows]).only(*RULE_FIELDS)
    }
    open_cases: dict[tuple[int, str], Case] = {}
    by_child: dict[int, list[Case]] = defaultdict(list)
    for case in Case.objects.filter(
        child_id__in=[r[0] for r in rows], status__in=OPEN_STATUSES
    ).select_related("trigger_measurement"):
        assert case.child_id is not None
        open_cases[(case.child_id, case.kind)] = case
        by_child[case.child_id].append(case)
    new_cases: list[tuple[Case, RuleHit, Measurement]] = []
    events: list[CaseEvent] = []
    changed: dict[int, Case] = {}
    recovery_candidates: list[Case] = []
    remeasured: set[int] = set()
    for child_id, measurement_id, posyandu_id, kelurahan_id in rows:
        m = latest.get(measurement_id)
        if m is None:
            continue
        hits = evaluate_child(None, [m])
        worst = worst_by_kind(hits)
        for hit in hits:
            case = open_cases.get((child_id, hit.kind))
            if (
                hit.action != "remeasure"
                or hit.kind in worst
                or case is None
                or case.latest_measurement_id == m.pk
            ):
                continue
            events.append(CaseEvent(
                case=case, at=now, kind=EventKind.REMEASURE, actor=user,
                text=_("Pengukuran %(date)s ditandai tidak wajar (%(rule)s); mohon ukur ulang.")
                % {"date": m.measured_on.isoformat(), "rule": hit.rule.description},
                data={"measurement": m.pk, "rule": hit.rule.code},
            ))  # fmt: skip
            case.latest_measurement_id = m.pk
            changed[case.pk] = case
            remeasured.add(case.pk)
            counts.remeasure += 1
        for kind, hit in worst.items():
            case = open_cases.get((child_id, kind))
            if case is None:
                new_cases.append((
                    Case(
                        kind=kind, severity=hit.severity, status=CaseStatus.SUSPECTED,
                        child_id=child_id, kelurahan_id=kelurahan_id, posyandu_id=posyandu_id,
                        rule=hit.rule.code, trigger_measurement_id=m.pk,
                        latest_measurement_id=m.pk, last_measured_on=m.measured_on,
                        priority=priority_of(kind, hit.severity), opened_at=now,
                    ),
                    hit,
                    m,
                ))  # fmt: skip
                continue
            if case.latest_measurement_id == m.pk and source != "correct":
                continue
            events.append(CaseEvent(
                case=case, at=now, kind=EventKind.MEASUREMENT, actor=user,
                text=_measurement_text(m, hit, source),
                data={"measurement": m.pk, "rule": hit.rule.code, "source": source},
            ))  # fmt: skip
            case.latest_measurement_id = m.pk
            case.last_measured_on = m.measured_on
            if hit.severity == "severe" and case.severity != "severe":
                case.severity = hit.severity
                case.priority = priority_of(kind, hit.severity)
            case.suggested_outcome = ""
            case.suggested_at = None
            changed[case.pk] = case
            counts.updated += 1
        for case in by_child.get(child_id, ()):
            kind = case.kind
            if kind in worst or kind in PREGNANCY_KINDS:
                continue
            if case.pk in remeasured:
                continue
            if case.latest_measurement_id == m.pk and source != "correct":
                continue
            events.append(CaseEvent(
                case=case, at=now, kind=EventKind.MEASUREMENT, actor=user,
                text=_measurement_text(m, None, source),
                data={"measurement": m.pk, "source": source},
            ))  # fmt: skip
            case.latest_measurement_id = m.pk
            case.last_measured_on = m.measured_on
            changed[case.pk] = case
            counts.updated += 1
            if kind in RECOVERY and not case.suggested_outcome:
                recovery_candidates.append(case)
    events += _recovery(recovery_candidates, now, counts)
    if new_cases:
        created = [c for c, _h, _m in new_cases]
        insert(Case, created)  # COPY on PostgreSQL, bulk_create elsewhere; sets the pks
        events += [
            CaseEvent(
                case=case, at=now, kind=EventKind.OPENED, actor=user,
                text=_opened_text(hit, m),
                data={"measurement": m.pk, "rule": hit.rule.code, "source": source},
            )
            for case, (_c, hit, m) in zip(created, new_cases, strict=True)
        ]  # fmt: skip
        counts.opened += len(created)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type=object_type_of(Case),
            detail={"ids": [c.pk for c in created], "rule": "opened", "source": source},
            context=context,
        )
    if changed:
        Case.objects.bulk_update(
            list(changed.values()),
            ["latest_measurement", "last_measured_on", "severity", "priority",
             "suggested_outcome", "suggested_at"],
        )  # fmt: skip
    if events:
        insert(CaseEvent, events)


def _recovery(cases: list[Case], now: dt.datetime, counts: UpdateCounts) -> list[CaseEvent]:
    """Mark ``cases`` ready to close as recovered when the rule holds (one query)."""
    if not cases:
        return []
    by_child: dict[int, list[Measurement]] = defaultdict(list)
    for m in (
        Measurement.objects.filter(child_id__in={c.child_id for c in cases})
        .only(*RULE_FIELDS)
        .order_by("child_id", "measured_on")
    ):
        by_child[m.child_id].append(m)
    events = []
    for case in cases:
        assert case.child_id is not None
        start = (
            case.trigger_measurement.measured_on
            if case.trigger_measurement is not None
            else timezone.localdate(case.opened_at)
        )
        since = [m for m in by_child[case.child_id] if m.measured_on > start]
        if not is_recovered(case.kind, since):
            continue
        case.suggested_outcome = Outcome.RECOVERED
        case.suggested_at = now
        counts.ready_to_close += 1
        events.append(
            CaseEvent(
                case=case,
                at=now,
                kind=EventKind.READY_TO_CLOSE,
                text=_("Siap ditutup sebagai pulih: %(rule)s.")
                % {"rule": RECOVERY[case.kind].description},
                data={"suggested_outcome": Outcome.RECOVERED},
            )
        )
    return events


def cases_update_for_pregnancies(
    *,
    pregnancy_ids: Iterable[int],
    actor: User | None = None,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> UpdateCounts:
    """Open, update or close the cases of these pregnancies (rules on ``today``): an ended
    pregnancy closes its open cases ("kehamilan berakhir"); a rule no longer crossed marks its
    case ready to close."""
    counts = UpdateCounts()
    on = today or timezone.localdate()
    now = timezone.now()
    user = _user(actor)
    ids = sorted({int(i) for i in pregnancy_ids})
    with transaction.atomic():
        for chunk in _chunks(ids):
            pregnancies = Pregnancy.objects.filter(pk__in=chunk).select_related(
                "mother__person__family", "mother"
            )
            open_cases: dict[tuple[int, str], Case] = {
                (c.pregnancy_id, c.kind): c  # type: ignore[misc]  # pregnancy cases have one
                for c in Case.objects.select_for_update().filter(
                    pregnancy_id__in=chunk, status__in=OPEN_STATUSES
                )
            }
            events: list[CaseEvent] = []
            for p in pregnancies:
                mine = {k: c for (pid, k), c in open_cases.items() if pid == p.pk}
                if p.outcome != PregnancyOutcome.ONGOING:
                    for case in mine.values():
                        action = "close_unverified" if case.status == "suspected" else "close"
                        apply_transition(
                            case=case, action=action, actor=None, context=context,
                            text=_("Ditutup otomatis: kehamilan berakhir (%(outcome)s).")
                            % {"outcome": p.get_outcome_display()},
                            params={"outcome": Outcome.PREGNANCY_ENDED},
                            updates={"outcome": Outcome.PREGNANCY_ENDED, "closed_at": now},
                        )  # fmt: skip
                        counts.closed += 1
                    continue
                worst = worst_by_kind(evaluate_pregnancy(p, today=on))
                family = p.mother.person.family
                for kind, hit in worst.items():
                    case = mine.get(kind)
                    if case is None:
                        case = Case.objects.create(
                            kind=kind, severity=hit.severity, pregnancy=p,
                            kelurahan_id=family.kelurahan_id if family else None,
                            posyandu_id=p.mother.posyandu_id, rule=hit.rule.code,
                            priority=priority_of(kind, hit.severity), opened_at=now,
                        )  # fmt: skip
                        events.append(CaseEvent(
                            case=case, at=now, kind=EventKind.OPENED, actor=user,
                            text=_("Kasus terduga dibuka: %(rule)s (nilai %(value)s).")
                            % {"rule": hit.rule.description, "value": _z(hit.value)},
                            data={"rule": hit.rule.code, "pregnancy": p.pk},
                        ))  # fmt: skip
                        audit_record(
                            actor=actor, action=Action.CREATE, object_type=object_type_of(Case),
                            object_id=case.pk, detail={"rule": hit.rule.code}, context=context,
                        )  # fmt: skip
                        counts.opened += 1
                    elif case.suggested_outcome:
                        case.suggested_outcome = ""
                        case.suggested_at = None
                        case.save(update_fields=["suggested_outcome", "suggested_at"])
                for kind, case in mine.items():
                    if kind in worst or case.suggested_outcome:
                        continue
                    case.suggested_outcome = Outcome.RECOVERED
                    case.suggested_at = now
                    case.save(update_fields=["suggested_outcome", "suggested_at"])
                    events.append(CaseEvent(
                        case=case, at=now, kind=EventKind.READY_TO_CLOSE, actor=user,
                        text=_("Siap ditutup: aturan %(kind)s tidak lagi terpenuhi.")
                        % {"kind": CaseKind(kind).label},
                        data={"suggested_outcome": Outcome.RECOVERED},
                    ))  # fmt: skip
                    counts.ready_to_close += 1
            CaseEvent.objects.bulk_create(events)
    return counts
