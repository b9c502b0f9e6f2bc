"""Import pages: upload, job status with progress, error report, duplicates queue. Thin:
checking and writing are in ``jobs``/``services``, scoping in ``selectors``."""

from __future__ import annotations

import csv
import io
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tumbuh.audit.context import AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.imports import jobs
from tumbuh.imports.forms import DecisionForm, UploadForm
from tumbuh.imports.headers import documented_table
from tumbuh.imports.models import DuplicateStatus, ImportJob
from tumbuh.imports.reader import MAX_ROWS
from tumbuh.imports.selectors import duplicates_visible_to, jobs_visible_to
from tumbuh.imports.services import can_decide, duplicate_dismiss, duplicate_merge
from tumbuh.imports.validation import file_refusal
from tumbuh.registry.models import Child
from tumbuh.registry.services import child_open


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    job = jobs_visible_to(request.user).filter(pk=job_id).select_related("created_by").first()
    if job is None:
        raise Http404(_("Impor tidak ditemukan."))
    return job


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    refusal = file_refusal(request.user)
    if refusal:
        raise PermissionDenied(refusal)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        job = jobs.job_create(
            actor=request.user,
            file_name=upload_file.name,
            data=upload_file.read(),
            dry_run=form.cleaned_data["dry_run"],
        )
        earlier = jobs.earlier_import(job)
        if earlier is not None and earlier.finished_at is not None:
            messages.info(
                request,
                _(
                    "Berkas yang sama sudah diimpor pada %(when)s; impor ulang tidak menambah "
                    "data yang sudah ada."
                )
                % {"when": earlier.finished_at.strftime("%d-%m-%Y %H:%M")},
            )
        jobs.job_start(job, context=AuditContext.from_request(request))
        return redirect("imports:job_detail", job_id=job.pk)
    recent = list(jobs_visible_to(request.user).order_by("-created_at")[:10])
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "recent": recent,
            "max_rows": MAX_ROWS,
            "columns": documented_table(),
            "can_decide": can_decide(request.user),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    done, total = jobs.live_progress(job)
    percent = 100 if job.is_finished else (min(99, int(100 * done / total)) if total else 0)
    errors = _first_errors(job.error_report)
    audit_record(  # the page shows values from the file (issue 11, finding 8)
        actor=request.user,
        action=Action.VIEW,
        object_type=object_type_of(ImportJob),
        object_id=job.pk,
        detail={"errors_shown": len(errors)},
        context=AuditContext.from_request(request),
    )
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "done": done,
            "total": total,
            "percent": percent,
            "stale": jobs.is_stale(job),
            "errors": errors,
        },
    )


@login_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    """For scripts and pages that poll: status and progress of one job."""
    job = _job(request, job_id)
    done, total = jobs.live_progress(job)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "finished": job.is_finished,
            "rows_done": done,
            "rows_total": total,
            "error_count": job.error_count,
            "children_created": job.children_created,
            "measurements_created": job.measurements_created,
            "duplicates_queued": job.duplicates_queued,
            "message": job.message,
        }
    )


@login_required
def error_report(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    report = ImportJob.objects.values_list("error_report", flat=True).get(pk=job.pk)
    if not report:
        raise Http404(_("Impor ini tidak punya laporan kesalahan."))
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type=object_type_of(ImportJob),
        object_id=job.pk,
        detail={"error_report": True, "rows": report.count("\n") - 1},
        context=AuditContext.from_request(request),
    )
    response = HttpResponse("\ufeff" + report, content_type="text/csv; charset=utf-8")
    stem = job.file_name.rsplit(".", 1)[0].replace('"', "")[:80] or "impor"
    response["Content-Disposition"] = f'attachment; filename="{stem}-kesalahan.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", DuplicateStatus.OPEN)
    if status not in DuplicateStatus.values:
        status = DuplicateStatus.OPEN
    qs = duplicates_visible_to(request.user, status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type=object_type_of(Child),
        detail={
            "list": True,
            "duplicates": [d.pk for d in page.object_list],
            "ids": sorted(
                {i for d in page.object_list for i in (d.existing_id, d.incoming_id) if i}
            ),
        },
        context=AuditContext.from_request(request),
    )
    return render(
        request,
        "imports/duplicate_list.html",
        {
            "page": page,
            "status": status,
            "statuses": DuplicateStatus.choices,
            "querystring": f"status={status}",
        },
    )


def _side(child: Child) -> dict[str, object]:
    person = child.person
    family = person.family
    return {
        "child": child,
        "name": person.name,
        "nik": person.nik_masked or "—",
        "sex": person.get_sex_display(),
        "birth_date": person.birth_date,
        "mother": child.mother.person.name if child.mother else "—",
        "address": family.address if family else "—",
        "posyandu": child.posyandu or "—",
        "measurements": child.measurements.count(),
        "created": child.created_at,
    }


@login_required
def duplicate_detail(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = duplicates_visible_to(request.user, status=None).filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404(_("Data ganda tidak ditemukan."))
    context = AuditContext.from_request(request)
    sides = []
    for child_id in (candidate.existing_id, candidate.incoming_id):
        if child_id is not None:
            sides.append(_side(child_open(actor=request.user, child_id=child_id, context=context)))
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide(request.user):
            raise PermissionDenied(_("Peran Anda tidak memutuskan data ganda."))
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            note = form.cleaned_data["note"]
            try:
                if decision == "dismiss":
                    duplicate_dismiss(
                        actor=request.user, candidate=candidate, note=note, context=context
                    )
                    messages.success(request, _("Dicatat: dua anak berbeda."))
                    return redirect("imports:duplicate_list")
                kept = duplicate_merge(
                    actor=request.user,
                    candidate=candidate,
                    keep="existing" if decision == "keep_existing" else "incoming",
                    note=note,
                    context=context,
                )
            except ValidationError as error:
                for messages_ in error.message_dict.values():
                    for message in messages_:
                        form.add_error(None, message)
            else:
                messages.success(request, _("Data digabung."))
                return redirect("registry:child_detail", child_id=kept.pk)
    return render(
        request,
        "imports/duplicate_detail.html",
        {
            "candidate": candidate,
            "sides": sides,
            "form": form,
            "can_decide": can_decide(request.user) and candidate.status == DuplicateStatus.OPEN,
        },
        status=422 if request.method == "POST" else 200,
    )


def _first_errors(report: str, limit: int = 50) -> list[list[str]]:
    """The first rows of the CSV error report as cells (row, column, value, reason)."""
    if not report:
        return []
    rows = list(itertools.islice(csv.reader(io.StringIO(report)), limit + 1))
    return rows[1:]
