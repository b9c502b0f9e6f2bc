"""The OPD inbox ``/tugas/`` ("Tugas saya") and one task's page: accept, reject with a reason,
report progress, complete with evidence. An OPD sees only what its task needs (who, where,
what, by when); every view is audited (``task_open``; the list as one ``view`` row)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tumbuh.accounts.models import Role
from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.cases import forms as case_forms
from tumbuh.cases.errors import CaseError, TransitionError
from tumbuh.cases.models import Task, TaskStatus
from tumbuh.cases.selectors import is_overdue, task_list
from tumbuh.cases.services import (
    TASK_STEPS,
    organisation_of,
    task_accept,
    task_complete,
    task_open,
    task_progress,
    task_reject,
)
from tumbuh.cases.views.cases import _address, subject_name

PAGE_SIZE = 25


@login_required
def task_index(request: HttpRequest) -> HttpResponse:
    """An OPD member's tasks (its organisation's); for the command and the puskesmas, the
    tasks of the cases they see. Open ones first by due date; filters: status, overdue."""
    user = request.user
    outsider = user.role in (Role.PARTNER, Role.PARENT, Role.KADER, "")
    if not user.is_superuser and outsider and organisation_of(user) is None:
        raise PermissionDenied(_("Peran Anda tidak menerima tugas."))
    today = timezone.localdate()
    status = request.GET.get("status", "")
    status = status if status in TaskStatus.values or status == "semua" else ""
    overdue = {"1": True, "0": False}.get(request.GET.get("terlambat", ""))
    chosen = status if status in TaskStatus.values else None
    qs = task_list(user, status=chosen, overdue=overdue, today=today)
    if not status:  # the inbox: what still waits for the owner
        qs = qs.filter(status__in=[TaskStatus.OPEN, TaskStatus.ACCEPTED])
    qs = qs.select_related(
        "case__child__person__family__kelurahan",
        "case__pregnancy__mother__person__family__kelurahan",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type_of(Task),
        detail={"list": True, "ids": [t.pk for t in page.object_list]},
        context=AuditContext.from_request(request),
    )
    rows = [
        {
            "t": t,
            "name": subject_name(user, t.case),
            "kelurahan": t.case.kelurahan.name if t.case.kelurahan_id else "",
            "overdue": is_overdue(t, today),
        }
        for t in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/task_list.html",
        {
            "rows": rows,
            "page": page,
            "status": status,
            "statuses": TaskStatus.choices,
            "terlambat": request.GET.get("terlambat", ""),
            "organisation": organisation_of(user),
            "querystring": params.urlencode(),
        },
    )


#: form name -> (form class, the service step of ``services.TASK_STEPS`` it takes)
TASK_FORMS = {
    "reject": (case_forms.TaskRejectForm, "reject"),
    "progress": (case_forms.TaskProgressForm, "progress"),
    "complete": (case_forms.TaskCompleteForm, "complete"),
}


def _forms(task: Task) -> dict[str, object]:
    """The forms of the steps the task's status allows now (the services' table)."""
    return {
        name: form_class(prefix=name)
        for name, (form_class, step) in TASK_FORMS.items()
        if task.status in TASK_STEPS[step][0]
    }


def _render_task(
    request: HttpRequest, task: Task, forms: dict[str, object] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    shown = _forms(task)
    shown.update(forms or {})
    org = organisation_of(user)
    may_act = user.is_superuser or (org is not None and org.pk == task.owner_id)
    case = task.case
    return render(
        request,
        "cases/task_detail.html",
        {
            "task": task,
            "case": case,
            "name": subject_name(user, case),
            "address": _address(case),
            "overdue": is_overdue(task),
            "updates": list(task.updates.select_related("actor").order_by("at", "pk")),
            "forms": shown if may_act else {},
            "may_act": may_act,
            "can_accept": may_act and task.status == TaskStatus.OPEN,
        },
        status=status,
    )


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_open(
        actor=request.user, task_id=task_id, context=AuditContext.from_request(request)
    )
    return _render_task(request, task)


@login_required
def task_evidence(request: HttpRequest, task_id: int) -> FileResponse:
    """The task's evidence file, for those who may see the task (scoped and audited as a view
    of the task); never served as a public media URL."""
    task = task_open(
        actor=request.user, task_id=task_id, context=AuditContext.from_request(request)
    )
    if not task.evidence_file:
        raise Http404(_("Tugas ini tidak mempunyai bukti."))
    try:
        handle = task.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas bukti tidak ditemukan.")) from exc
    name = task.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_POST
def task_step(request: HttpRequest, task_id: int, step: str) -> HttpResponse:
    user = request.user
    context = AuditContext.from_request(request)
    task = task_open(actor=user, task_id=task_id, context=context)
    if step == "terima":
        try:
            task_accept(task=task, actor=user, context=context)
        except CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tugas diterima."))
        return redirect("cases:task_detail", task_id=task.pk)
    which = {"tolak": "reject", "kemajuan": "progress", "selesai": "complete"}.get(step)
    if which is None:
        raise PermissionDenied(_("Langkah tidak dikenal."))
    form_class = TASK_FORMS[which][0]
    form = form_class(request.POST, request.FILES, prefix=which)
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            if which == "reject":
                task_reject(task=task, reason=d["reason"], actor=user, context=context)
                done = _("Tugas ditolak; TPPS akan menugaskan pihak lain.")
            elif which == "progress":
                task_progress(task=task, text=d["text"], actor=user, context=context)
                done = _("Laporan kemajuan tersimpan.")
            else:
                task_complete(
                    task=task, note=d["note"], evidence_file=d["evidence_file"], actor=user,
                    context=context,
                )  # fmt: skip
                done = _("Tugas selesai. Terima kasih.")
        except CaseError as exc:
            status = 409 if isinstance(exc, TransitionError) else 422
            case_forms.apply_case_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:task_detail", task_id=task.pk)
    task.refresh_from_db()
    return _render_task(request, task, {which: form}, status=status)
