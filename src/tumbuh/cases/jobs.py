"""Daily jobs on cases and tasks: pure functions of ``today`` (tests move the clock by
passing it), each idempotent and safe to run twice, plus huey periodic wrappers.

* :func:`escalate_overdue_tasks`: the escalation ladder of ``settings.TASK_ESCALATION``:
  a reminder ``reminder_days_before`` the due date, to the OPD head once the task is
  ``head_after_days_overdue`` late, to TPPS once it is ``tpps_after_days_overdue`` late.
  Each step is taken once per task (a ``TaskUpdate`` constraint); the head and TPPS steps are
  written on the case timeline too. Notifications are the ``notified`` usernames on the
  step (no SMS is sent).
* :func:`close_lost_to_follow_up`: open child cases with no weighing for 3 months.
* :func:`close_aged_out`: open stunting cases of children who turned 5: still stunted.
* :func:`evaluate_pregnancies`: the pregnancy rules on ``today`` (ANC and TTD milestones
  are reached by time passing, without any new record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tumbuh.accounts.models import Role, User
from tumbuh.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    EventKind,
    Outcome,
    Task,
    TaskStatus,
    TaskUpdate,
    TaskUpdateKind,
)
from tumbuh.cases.services.opening import cases_update_for_pregnancies
from tumbuh.cases.services.transitions import apply_transition
from tumbuh.organisations.models import Membership
from tumbuh.registry.models import Pregnancy, PregnancyOutcome

DEFAULT_ESCALATION: Mapping[str, int] = {
    "reminder_days_before": 2,
    "head_after_days_overdue": 1,
    "tpps_after_days_overdue": 7,
}
#: A child case with no weighing for this many months is lost to follow-up.
LOST_AFTER_MONTHS = 3
#: Stunting cases of children this old are closed as still stunted.
AGED_OUT_YEARS = 5


def escalation_ladder() -> dict[str, int]:
    return {**DEFAULT_ESCALATION, **getattr(settings, "TASK_ESCALATION", {})}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the last day of a shorter month)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _tpps_usernames(kelurahan_code: str) -> list[str]:
    users = User.objects.filter(role=Role.TPPS, is_active=True, region__isnull=False)
    return sorted(
        u.username
        for u in users.select_related("region")
        if kelurahan_code == u.region.code or kelurahan_code.startswith(u.region.code + ".")
    )


def escalate_overdue_tasks(*, today: dt.date) -> int:
    """Take the due steps of the ladder for every open task; the number of steps taken."""
    ladder = escalation_ladder()
    horizon = today + dt.timedelta(days=ladder["reminder_days_before"])
    tasks = list(
        Task.objects.filter(
            status__in=[TaskStatus.OPEN, TaskStatus.ACCEPTED], due_date__lte=horizon
        ).select_related("case__kelurahan", "owner")
    )
    if not tasks:
        return 0
    taken = set(
        TaskUpdate.objects.filter(
            task__in=tasks,
            kind__in=[
                TaskUpdateKind.REMINDER,
                TaskUpdateKind.ESCALATED_HEAD,
                TaskUpdateKind.ESCALATED_TPPS,
            ],
        ).values_list("task_id", "kind")
    )
    members: dict[int, list[str]] = {}
    heads: dict[int, list[str]] = {}
    for org_id, username, is_head in Membership.objects.filter(
        organisation_id__in={t.owner_id for t in tasks}, user__is_active=True
    ).values_list("organisation_id", "user__username", "is_head"):
        members.setdefault(org_id, []).append(username)
        if is_head:
            heads.setdefault(org_id, []).append(username)
    now = timezone.now()
    steps = 0
    with transaction.atomic():
        for task in tasks:
            late = (today - task.due_date).days
            wanted: list[tuple[TaskUpdateKind, int, list[str], str]] = []
            if late >= ladder["tpps_after_days_overdue"]:
                code = task.case.kelurahan.code if task.case.kelurahan else ""
                wanted.append((TaskUpdateKind.ESCALATED_TPPS, 3, _tpps_usernames(code),
                               _("Terlambat %(days)s hari: dieskalasi ke TPPS.")))  # fmt: skip
            if late >= ladder["head_after_days_overdue"]:
                head_text = _("Terlambat %(days)s hari: dieskalasi ke pimpinan OPD.")
                wanted.append((TaskUpdateKind.ESCALATED_HEAD, 2, heads.get(task.owner_id, []),
                               head_text))  # fmt: skip
            elif late <= 0:
                wanted.append((TaskUpdateKind.REMINDER, 1, members.get(task.owner_id, []),
                               _("Pengingat: tenggat %(due)s.")))  # fmt: skip
            level = task.escalation_level
            for kind, step_level, notified, template in reversed(wanted):
                if (task.pk, kind) in taken:
                    continue
                text = template % {"days": late, "due": task.due_date.isoformat()}
                TaskUpdate.objects.create(
                    task=task, at=now, kind=kind, text=text, notified=notified
                )
                taken.add((task.pk, kind))
                steps += 1
                level = max(level, step_level)
                if kind != TaskUpdateKind.REMINDER:
                    CaseEvent.objects.create(
                        case_id=task.case_id, at=now, kind=EventKind.ESCALATION,
                        text=_("Tugas '%(title)s' (%(owner)s): %(text)s")
                        % {"title": task.title, "owner": task.owner, "text": text},
                        data={"task": task.pk, "step": kind, "notified": notified},
                    )  # fmt: skip
            if level != task.escalation_level:
                Task.objects.filter(pk=task.pk).update(escalation_level=level)
    return steps


def _close_all(cases: list[Case], *, outcome: Outcome, text: str, at: dt.datetime) -> int:
    closed = 0
    for case in cases:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if locked.status not in OPEN_STATUSES:
                continue
            action = "close_unverified" if locked.status == CaseStatus.SUSPECTED else "close"
            apply_transition(
                case=locked, action=action, actor=None, text=text, at=at,
                params={"outcome": outcome},
                updates={"outcome": outcome, "closed_at": at, "close_note": text},
                data={"outcome": outcome, "job": True},
            )  # fmt: skip
            closed += 1
    return closed


def close_lost_to_follow_up(*, today: dt.date) -> int:
    """Close open child cases whose child has not been weighed for 3 months."""
    cutoff = months_before(today, LOST_AFTER_MONTHS)
    stale = Q(child__latest_measurement__measured_on__lt=cutoff) | Q(
        child__latest_measurement__isnull=True, opened_at__date__lt=cutoff
    )
    cases = list(Case.objects.filter(child__isnull=False, status__in=OPEN_STATUSES).filter(stale))
    text = _("Ditutup otomatis: tidak ditimbang sejak sebelum %(date)s (3 bulan).") % {
        "date": cutoff.isoformat()
    }
    return _close_all(cases, outcome=Outcome.LOST_TO_FOLLOW_UP, text=text, at=timezone.now())


def close_aged_out(*, today: dt.date) -> int:
    """Close verified (or later) stunting cases of children aged 5 or more as still stunted.
    A suspected case is left for the puskesmas to verify or reject first."""
    born_by = today.replace(year=today.year - AGED_OUT_YEARS)
    cases = list(
        Case.objects.filter(
            kind=CaseKind.STUNTING,
            status__in=[CaseStatus.VERIFIED, CaseStatus.ASSESSED, CaseStatus.IN_INTERVENTION],
            child__person__birth_date__lte=born_by,
        )
    )
    text = _("Ditutup otomatis: anak berumur 5 tahun dan masih stunting.")
    return _close_all(cases, outcome=Outcome.STILL_STUNTED_AT_5, text=text, at=timezone.now())


def evaluate_pregnancies(*, today: dt.date) -> int:
    """Run the pregnancy rules on every ongoing pregnancy on ``today``; cases opened."""
    ids = list(
        Pregnancy.objects.filter(outcome=PregnancyOutcome.ONGOING).values_list("pk", flat=True)
    )
    return cases_update_for_pregnancies(pregnancy_ids=ids, today=today).opened


@db_periodic_task(crontab(hour="1", minute="10"))
def daily_case_jobs() -> dict[str, int]:
    """Every night: escalations, lost to follow-up, aged out, pregnancy rules."""
    today = timezone.localdate()
    return {
        "escalations": escalate_overdue_tasks(today=today),
        "lost_to_follow_up": close_lost_to_follow_up(today=today),
        "aged_out": close_aged_out(today=today),
        "pregnancy_cases": evaluate_pregnancies(today=today),
    }
