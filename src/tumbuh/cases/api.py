"""``/api/v1`` routers for the needs catalogue, organisations, cases and tasks (the
ARCHITECTURE.md contract), on the cases selectors and services exactly as the pages use them.

Another area's case or task: 404 and an audited ``denied``; a step out of order: 409 with a
message (``TransitionError``); a bad value: 422 ``{"detail": [{"field", "message"}]}``
(``CaseInputError``; both mapped in ``tumbuh.api.api``); a role that may not: 403.
An OPD user sees only the cases of its tasks, and on them no clinical detail: the timeline
it gets holds the needs, interventions, tasks, escalations and the outcome.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from tumbuh.accounts.models import User
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases.models import Case, NeedCategory, Task
from tumbuh.cases.selectors import (
    allowed_transitions,
    case_list,
    case_timeline,
    is_overdue,
    overdue_q,
    task_list,
)
from tumbuh.cases.services import (
    case_assess,
    case_close,
    case_open,
    case_reopen,
    case_review,
    case_verify,
    intervention_plan,
    task_accept,
    task_complete,
    task_open,
    task_progress,
    task_reject,
)
from tumbuh.organisations.models import Organisation
from tumbuh.organisations.models import Status as OrgStatus

catalogue_router = Router(tags=["catalogue"])
organisations_router = Router(tags=["organisations"])
cases_router = Router(tags=["cases"])
tasks_router = Router(tags=["tasks"])

MAX_PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by BearerToken
    assert isinstance(user, User)
    return user


#: The largest id a database column holds (SQLite INTEGER, PostgreSQL bigint): a bigger number
#: in a filter is a 422, not an overflow in the database driver.
ID_MAX = 2**63 - 1


def _page(qs: QuerySet[Any], page: int, page_size: int) -> tuple[list[Any], dict[str, int]]:
    page_size = max(1, min(MAX_PAGE_SIZE, page_size))
    count = qs.count()
    pages = max(1, math.ceil(count / page_size))
    page = max(1, min(page, pages))
    items = list(qs[(page - 1) * page_size : page * page_size])
    return items, {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages if count else 0,
    }


# --- catalogue and organisations --------------------------------------------------------------
class NeedOut(Schema):
    code: str
    name: str
    kind: str = Field(description="specific atau sensitive")
    unit: str
    unit_cost_min_rupiah: int | None
    unit_cost_max_rupiah: int | None
    partner_can_help: bool
    default_owner: int | None
    source: str


@catalogue_router.get("/needs", response=list[NeedOut], summary="Katalog kebutuhan")
def needs_catalogue(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "code": n.code,
            "name": n.name,
            "kind": n.kind,
            "unit": n.unit,
            "unit_cost_min_rupiah": n.unit_cost_min_rupiah,
            "unit_cost_max_rupiah": n.unit_cost_max_rupiah,
            "partner_can_help": n.partner_can_help,
            "default_owner": n.default_owner_id,
            "source": n.source,
        }
        for n in NeedCategory.objects.filter(is_active=True)
    ]


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str = Field(description="opd untuk perangkat daerah, atau jenis mitra")
    opd_type: str
    region: str | None
    is_demo: bool


@organisations_router.get("", response=list[OrganisationOut], summary="OPD dan mitra aktif")
def organisation_list(request: HttpRequest, kind: str = "") -> list[dict[str, object]]:
    qs = Organisation.objects.filter(status=OrgStatus.ACTIVE).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    return [
        {
            "id": o.pk,
            "name": o.name,
            "short_name": o.short_name,
            "kind": o.kind,
            "opd_type": o.opd_type,
            "region": o.region.code if o.region else None,
            "is_demo": o.is_demo,
        }
        for o in qs.order_by("kind", "name")
    ]


# --- cases ------------------------------------------------------------------------------------
class CaseOut(Schema):
    id: int
    child: int | None
    pregnancy: int | None
    kind: str
    severity: str
    status: str
    outcome: str
    suggested_outcome: str = Field(description="usulan aturan (mis. recovered); kosong bila tidak")
    priority: int
    kelurahan: str | None = Field(description="kode kelurahan")
    opened_at: dt.datetime
    last_measured_on: dt.date | None
    overdue: bool = Field(description="ada tugas yang lewat tenggat")
    allowed: list[str] = Field(description="langkah yang boleh diambil pengguna sekarang")


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[CaseOut]


class TimelineOut(Schema):
    at: dt.datetime
    kind: str
    actor: str
    text: str


class SubjectOut(Schema):
    name: str
    address: str | None


class CaseDetail(CaseOut):
    subject: SubjectOut
    needs: list[str]
    timeline: list[TimelineOut]


def _overdue_ids(cases: list[Case]) -> set[int]:
    today = timezone.localdate()
    return set(
        Task.objects.filter(overdue_q(today), case_id__in=[c.pk for c in cases]).values_list(
            "case_id", flat=True
        )
    )


def _case_out(user: User, case: Case, overdue: set[int]) -> dict[str, object]:
    return {
        "id": case.pk,
        "child": case.child_id,
        "pregnancy": case.pregnancy_id,
        "kind": case.kind,
        "severity": case.severity,
        "status": case.status,
        "outcome": case.outcome,
        "suggested_outcome": case.suggested_outcome,
        "priority": case.priority,
        "kelurahan": case.kelurahan.code if case.kelurahan else None,
        "opened_at": case.opened_at,
        "last_measured_on": case.last_measured_on,
        "overdue": case.pk in overdue,
        "allowed": allowed_transitions(case, user),
    }


@cases_router.get("", response=CasePage, summary="Daftar kasus (menurut prioritas)")
def cases_list(
    request: HttpRequest,
    child: int | None = Query(None, ge=1, le=ID_MAX),
    status: str = "",
    kind: str = "",
    kecamatan: str = "",
    kelurahan: str = "",
    posyandu: int | None = Query(None, ge=1, le=ID_MAX),
    owner: int | None = Query(None, ge=1, le=ID_MAX),
    overdue: bool | None = None,
    page: int = 1,
    page_size: int = 25,
) -> dict[str, object]:
    """Cases in the user's scope (an OPD: those of its tasks). Audited as a list view."""
    user = _user(request)
    qs = case_list(
        user, child=child, status=status or None, kind=kind or None,
        kecamatan=kecamatan or None, kelurahan=kelurahan or None, posyandu=posyandu,
        owner=owner, overdue=overdue,
    )  # fmt: skip
    items, paging = _page(qs, page, page_size)
    audit_record(
        actor=user, action=Action.VIEW, object_type=object_type_of(Case),
        detail={"list": True, "ids": [c.pk for c in items], "api": True},
        context=AuditContext.from_request(request),
    )  # fmt: skip
    late = _overdue_ids(items)
    return {**paging, "items": [_case_out(user, c, late) for c in items]}


def _subject(user: User, case: Case) -> dict[str, object]:
    if case.child_id is not None and case.child is not None:
        person = case.child.person
    elif case.pregnancy is not None:
        person = case.pregnancy.mother.person
    else:  # pragma: no cover - a case always has a subject (database constraint)
        return {"name": "", "address": None}
    family = person.family
    return {"name": person.name, "address": family.address if family else None}


def _detail(user: User, case: Case) -> dict[str, object]:
    timeline = case_timeline(case, viewer=user)
    return {
        **_case_out(user, case, _overdue_ids([case])),
        "subject": _subject(user, case),
        "needs": list(case.needs.values_list("category__code", flat=True)),
        "timeline": [
            {"at": e.at, "kind": e.kind, "actor": e.actor, "text": e.text} for e in timeline
        ],
    }


@cases_router.get("/{case_id}", response=CaseDetail, summary="Satu kasus dengan riwayatnya")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, object]:
    user = _user(request)
    case = case_open(actor=user, case_id=case_id, context=AuditContext.from_request(request))
    return _detail(user, case)


class VerifyIn(Schema):
    confirmed: bool
    note: str = Field("", max_length=4000)


class NeedsIn(Schema):
    needs: list[str]
    note: str = Field("", max_length=4000)


class InterventionIn(Schema):
    need: str
    owner: int
    due_date: dt.date
    package: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)


class CloseIn(Schema):
    outcome: str
    note: str = Field("", max_length=4000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=4000)


class NoteIn(Schema):
    note: str = Field(..., max_length=4000)


class InterventionCreated(Schema):
    id: int
    task: int
    case: CaseDetail


def _open_for_write(request: HttpRequest, case_id: int) -> tuple[User, Case, AuditContext]:
    user = _user(request)
    context = AuditContext.from_request(request)
    return user, case_open(actor=user, case_id=case_id, context=context), context


@cases_router.post("/{case_id}/verify", response=CaseDetail, summary="Verifikasi atau tolak")
def case_verify_api(request: HttpRequest, case_id: int, payload: VerifyIn) -> dict[str, object]:
    user, case, context = _open_for_write(request, case_id)
    case = case_verify(
        case=case, actor=user, confirmed=payload.confirmed, note=payload.note, context=context
    )
    return _detail(user, case)


@cases_router.post("/{case_id}/needs", response=CaseDetail, summary="Nilai kebutuhan")
def case_needs_api(request: HttpRequest, case_id: int, payload: NeedsIn) -> dict[str, object]:
    user, case, context = _open_for_write(request, case_id)
    case = case_assess(
        case=case, actor=user, needs=payload.needs, note=payload.note, context=context
    )
    return _detail(user, case)


@cases_router.post(
    "/{case_id}/interventions",
    response={201: InterventionCreated},
    summary="Rencanakan intervensi (membuat tugas untuk pemiliknya)",
)
def case_intervention_api(
    request: HttpRequest, case_id: int, payload: InterventionIn
) -> Status[dict[str, object]]:
    user, case, context = _open_for_write(request, case_id)
    owner = Organisation.objects.filter(pk=payload.owner).first()
    intervention = intervention_plan(
        case=case, need=payload.need, owner=owner, due_date=payload.due_date,
        package=payload.package, note=payload.note, actor=user, context=context,
    )  # fmt: skip
    case.refresh_from_db()
    return Status(
        201,
        {"id": intervention.pk, "task": intervention.task.pk, "case": _detail(user, case)},
    )


@cases_router.post("/{case_id}/review", response=CaseDetail, summary="Tinjau kasus")
def case_review_api(request: HttpRequest, case_id: int, payload: NoteIn) -> dict[str, object]:
    user, case, context = _open_for_write(request, case_id)
    return _detail(user, case_review(case=case, actor=user, note=payload.note, context=context))


@cases_router.post("/{case_id}/close", response=CaseDetail, summary="Tutup dengan hasil akhir")
def case_close_api(request: HttpRequest, case_id: int, payload: CloseIn) -> dict[str, object]:
    user, case, context = _open_for_write(request, case_id)
    case = case_close(
        case=case, outcome=payload.outcome, note=payload.note, actor=user, context=context
    )
    return _detail(user, case)


@cases_router.post("/{case_id}/reopen", response=CaseDetail, summary="Buka kembali")
def case_reopen_api(request: HttpRequest, case_id: int, payload: ReasonIn) -> dict[str, object]:
    user, case, context = _open_for_write(request, case_id)
    return _detail(user, case_reopen(case=case, reason=payload.reason, actor=user, context=context))


# --- tasks ------------------------------------------------------------------------------------
class TaskOut(Schema):
    id: int
    case: int
    owner: int
    owner_name: str
    title: str
    need: str | None
    due_date: dt.date
    status: str = Field(description="open, accepted, done atau rejected")
    overdue: bool
    escalation_level: int


class TaskPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[TaskOut]


class TextIn(Schema):
    text: str = Field(..., max_length=4000)


def _task_out(task: Task) -> dict[str, object]:
    need = None
    if task.intervention_id and task.intervention is not None:
        need = task.intervention.need.category.code
    return {
        "id": task.pk,
        "case": task.case_id,
        "owner": task.owner_id,
        "owner_name": str(task.owner),
        "title": task.title,
        "need": need,
        "due_date": task.due_date,
        "status": task.status,
        "overdue": is_overdue(task),
        "escalation_level": task.escalation_level,
    }


@tasks_router.get("", response=TaskPage, summary="Tugas (OPD: tugas organisasinya)")
def tasks_list(
    request: HttpRequest,
    status: str = "",
    overdue: bool | None = None,
    case: int | None = None,
    page: int = 1,
    page_size: int = 25,
) -> dict[str, object]:
    user = _user(request)
    qs = task_list(user, status=status or None, overdue=overdue, case=case).select_related(
        "intervention__need__category"
    )
    items, paging = _page(qs, page, page_size)
    audit_record(
        actor=user, action=Action.VIEW, object_type=object_type_of(Task),
        detail={"list": True, "ids": [t.pk for t in items], "api": True},
        context=AuditContext.from_request(request),
    )  # fmt: skip
    return {**paging, "items": [_task_out(t) for t in items]}


def _task_for_write(request: HttpRequest, task_id: int) -> tuple[User, Task, AuditContext]:
    user = _user(request)
    context = AuditContext.from_request(request)
    return user, task_open(actor=user, task_id=task_id, context=context), context


@tasks_router.post("/{task_id}/accept", response=TaskOut, summary="Terima tugas")
def task_accept_api(request: HttpRequest, task_id: int) -> dict[str, object]:
    user, task, context = _task_for_write(request, task_id)
    return _task_out(task_accept(task=task, actor=user, context=context))


@tasks_router.post("/{task_id}/reject", response=TaskOut, summary="Tolak tugas dengan alasan")
def task_reject_api(request: HttpRequest, task_id: int, payload: ReasonIn) -> dict[str, object]:
    user, task, context = _task_for_write(request, task_id)
    return _task_out(task_reject(task=task, reason=payload.reason, actor=user, context=context))


@tasks_router.post("/{task_id}/progress", response=TaskOut, summary="Laporkan kemajuan")
def task_progress_api(request: HttpRequest, task_id: int, payload: TextIn) -> dict[str, object]:
    user, task, context = _task_for_write(request, task_id)
    return _task_out(task_progress(task=task, text=payload.text, actor=user, context=context))


@tasks_router.post("/{task_id}/complete", response=TaskOut, summary="Selesaikan tugas")
def task_complete_api(request: HttpRequest, task_id: int, payload: NoteIn) -> dict[str, object]:
    user, task, context = _task_for_write(request, task_id)
    return _task_out(task_complete(task=task, note=payload.note, actor=user, context=context))
