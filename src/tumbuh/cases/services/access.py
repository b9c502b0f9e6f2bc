"""Opening one case or task for a user: the scoped record (an audited ``view``), or 404
after an audited ``denied`` (another area's case, an OPD's case without its task)."""

from __future__ import annotations

from django.http import Http404

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases.models import Case, Task
from tumbuh.cases.selectors import cases_visible_to, tasks_visible_to


def case_open(*, actor: User, case_id: int, context: AuditContext = SYSTEM) -> Case:
    case = (
        cases_visible_to(actor)
        .select_related(
            "child__person__family__kelurahan__parent",
            "pregnancy__mother__person__family__kelurahan",
            "kelurahan__parent",
            "posyandu",
            "verified_by",
        )
        .filter(pk=case_id)
        .first()
    )
    audit_record(
        actor=actor,
        action=Action.VIEW if case is not None else Action.DENIED,
        object_type=object_type_of(Case),
        object_id=case_id,
        detail={"child": case.child_id if case is not None else None},
        context=context,
    )
    if case is None:
        raise Http404("kasus tidak ditemukan")
    return case


def task_open(*, actor: User, task_id: int, context: AuditContext = SYSTEM) -> Task:
    task = (
        tasks_visible_to(actor)
        .select_related("case", "owner", "intervention__need__category")
        .filter(pk=task_id)
        .first()
    )
    audit_record(
        actor=actor,
        action=Action.VIEW if task is not None else Action.DENIED,
        object_type=object_type_of(Task),
        object_id=task_id,
        detail={"case": task.case_id if task is not None else None},
        context=context,
    )
    if task is None:
        raise Http404("tugas tidak ditemukan")
    return task
