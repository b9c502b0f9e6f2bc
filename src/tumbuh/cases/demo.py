"""Demo cases on top of the registry's demo city (``seed_demo`` calls :func:`seed_cases`).

Everything goes through the real services, so the demo shows the loop working: the rules
open suspected cases from the latest weighings; in the demo tenaga gizi's area some cases
are verified, rejected, assessed, given interventions with tasks to the demo OPD (Dinas
Kesehatan) that are on time, late and escalated, one delivered; children whose earlier
stunting has recovered get a case that the recovery rule marks and the tenaga gizi closes
as recovered; others are closed as moved away or lost to follow-up (the job). Pregnancies
are run through the pregnancy rules. Two OPD logins: ``demo-opd`` (officer) and
``demo-opd-kepala`` (head, whom overdue tasks escalate to).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tumbuh.accounts.models import Role, User
from tumbuh.cases.jobs import close_lost_to_follow_up, escalate_overdue_tasks, evaluate_pregnancies
from tumbuh.cases.models import Case, CaseKind, CaseStatus, Outcome, Task
from tumbuh.cases.reference import needs_load, organisations_load
from tumbuh.cases.selectors import cases_visible_to
from tumbuh.cases.services import (
    case_assess,
    case_close,
    case_verify,
    cases_update_for_children,
    intervention_plan,
    task_accept,
    task_complete,
    task_progress,
)
from tumbuh.organisations.models import Membership, Organisation
from tumbuh.registry.models import Child, Measurement

DEMO_PASSWORD = "tumbuh-demo"


@dataclass
class CasesDemoReport:
    opened: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    tasks: int = 0
    escalations: int = 0

    def summary(self) -> str:
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items()))
        return (
            f"Kasus DEMO: {self.opened} dibuka otomatis ({states}); {self.tasks} tugas OPD, "
            f"{self.escalations} langkah eskalasi."
        )


def _opd_users(dinkes: Organisation) -> tuple[User, User]:
    officer, _ = User.objects.get_or_create(
        username="demo-opd",
        defaults={"role": Role.OPD, "first_name": "Dinas", "last_name": "Kesehatan (demo)",
                  "organisation": "Dinas Kesehatan", "is_demo": True},
    )  # fmt: skip
    head, _ = User.objects.get_or_create(
        username="demo-opd-kepala",
        defaults={"role": Role.OPD, "first_name": "Kepala", "last_name": "Dinkes (demo)",
                  "organisation": "Dinas Kesehatan", "is_demo": True},
    )  # fmt: skip
    for user in (officer, head):
        if not user.password:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, defaults={"organisation": dinkes, "is_head": user == head}
        )
    return officer, head


def _recovered_children(limit: int) -> list[int]:
    """Children of the demo whose series went below -2 SD TB/U and then back above it on the
    two latest weighings (the recovery rule), a few of them."""
    found = []
    latest_ok = Child.objects.filter(
        is_demo=True, latest_measurement__zlen__gte=-2, latest_measurement__flen=False
    ).values_list("pk", flat=True)
    for child_id in latest_ok.order_by("pk")[:3000]:
        series = list(
            Measurement.objects.filter(child_id=child_id)
            .order_by("measured_on")
            .values_list("pk", "zlen", "flen")
        )
        usable = [(pk, z) for pk, z, f in series if z is not None and not f]
        if len(usable) < 4 or usable[-2][1] < -2:
            continue
        low = [pk for pk, z in usable[:-2] if z < -2]
        if low:
            found.append((child_id, low[-1]))
        if len(found) >= limit:
            break
    return [c for c, _ in found]


def seed_cases(
    *,
    today: dt.date | None = None,
    seed: int = 2025,
    progress: Callable[[str], None] | None = None,
) -> CasesDemoReport:
    """Open and move demo cases (see the module text). Run after the registry's demo."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    report = CasesDemoReport()
    organisations_load()
    needs_load()
    dinkes = Organisation.objects.get(code="dinkes")
    dinsos = Organisation.objects.get(code="dinsos")
    officer, _head = _opd_users(dinkes)
    gizi = User.objects.filter(username="demo-gizi").first()
    tpps = User.objects.filter(username="demo-tpps").first()
    with transaction.atomic():
        ids = list(
            Child.objects.filter(is_demo=True, latest_measurement__isnull=False).values_list(
                "pk", flat=True
            )
        )
        report.opened = cases_update_for_children(child_ids=ids, source="demo").opened
        Case.objects.filter(child__is_demo=True).update(is_demo=True)
        if progress:
            progress(f"  {report.opened} kasus terduga dibuka oleh aturan")
        if gizi is not None and tpps is not None:
            _move_cases(gizi, tpps, officer, dinkes, dinsos, rng, today, report)
        evaluate_pregnancies(today=today)
        Case.objects.filter(pregnancy__is_demo=True).update(is_demo=True)
        close_lost_to_follow_up(today=today)
        report.escalations = escalate_overdue_tasks(today=today)
    report.tasks = Task.objects.filter(is_demo=True).count()
    for status in CaseStatus.values:
        report.by_status[status] = Case.objects.filter(status=status, is_demo=True).count()
    return report


def _move_cases(
    gizi: User,
    tpps: User,
    officer: User,
    dinkes: Organisation,
    dinsos: Organisation,
    rng: random.Random,
    today: dt.date,
    report: CasesDemoReport,
) -> None:
    visible = set(cases_visible_to(gizi).values_list("pk", flat=True))
    admin = User.objects.filter(is_superuser=True, is_demo=True).order_by("pk").first()
    suspected = list(
        Case.objects.filter(child__isnull=False, status=CaseStatus.SUSPECTED).order_by("pk")
    )
    # the demo tenaga gizi's own cases first (so its login shows them), then the city's
    suspected.sort(key=lambda c: (c.pk not in visible, c.kind != CaseKind.STUNTING, c.pk))
    plan = ["reject", "verify", "assess", "ontime", "late", "escalated", "delivered",
            "progress", "ontime", "late", "escalated", "moved", "assess", "keep"]  # fmt: skip
    for case, step in zip(suspected, plan, strict=False):
        worker = gizi if case.pk in visible or admin is None else admin
        if step == "keep":
            continue
        if step == "reject":
            note = "Salah ukur: anak tidak berdiri tegak; diukur ulang normal."
            case_verify(case=case, actor=worker, confirmed=False, note=note)
            continue
        if step == "moved":
            case_close(case=case, outcome=Outcome.MOVED_AWAY, note="Pindah ke Kab. Bogor.",
                       actor=worker)  # fmt: skip
            continue
        case_verify(case=case, actor=worker, confirmed=True, note="Terkonfirmasi saat ukur ulang.")
        if step == "verify":
            continue
        case_assess(case=case, actor=worker, needs=["protein_food", "jkn_bpjs", "asi_mpasi"],
                    note="Asupan protein kurang; JKN belum aktif.")  # fmt: skip
        if step == "assess":
            continue
        due = {
            "ontime": today + dt.timedelta(days=rng.randint(7, 21)),
            "progress": today + dt.timedelta(days=5),
            "delivered": today + dt.timedelta(days=3),
            "late": today - dt.timedelta(days=rng.randint(1, 5)),
            "escalated": today - dt.timedelta(days=rng.randint(9, 20)),
        }[step]
        intervention = intervention_plan(
            case=case, need="protein_food", owner=dinkes, due_date=due,
            package="30 butir telur per bulan, 3 bulan", actor=tpps,
            today=min(today, due - dt.timedelta(days=14)),
        )  # fmt: skip
        intervention_plan(
            case=case, need="jkn_bpjs", owner=dinsos, due_date=today + dt.timedelta(days=30),
            package="aktivasi PBI", actor=tpps,
        )  # fmt: skip
        task = intervention.task
        if step in ("progress", "delivered", "late"):
            task_accept(task=task, actor=officer)
        if step == "progress":
            task_progress(task=task, text="Telur dibeli, diantar minggu ini.", actor=officer)
        if step == "delivered":
            task_complete(task=task, note="Telur diantar ke rumah; diterima ibu.", actor=officer)
    for child_id in _recovered_children(3):
        if Case.objects.filter(child_id=child_id, kind=CaseKind.STUNTING).exists():
            continue
        series = list(Measurement.objects.filter(child_id=child_id).order_by("measured_on"))
        low = [m for m in series[:-2] if m.zlen is not None and m.zlen < -2 and not m.flen][-1]
        child = Child.objects.select_related("person__family").get(pk=child_id)
        case = Case.objects.create(
            kind=CaseKind.STUNTING, status=CaseStatus.VERIFIED, child=child,
            kelurahan_id=child.person.family.kelurahan_id if child.person.family else None,
            posyandu_id=child.posyandu_id, rule="stunting", trigger_measurement=low,
            latest_measurement=low, last_measured_on=low.measured_on, priority=60,
            opened_at=timezone.now(), verified_at=timezone.now(), is_demo=True,
        )  # fmt: skip
        cases_update_for_children(child_ids=[child_id], source="demo")
        case.refresh_from_db()
        if case.suggested_outcome == Outcome.RECOVERED:
            case_close(case=case, outcome=Outcome.RECOVERED, actor=None,
                       note="Dua penimbangan terakhir di atas -2 SD.")  # fmt: skip
    Task.objects.filter(case__is_demo=True).update(is_demo=True)
