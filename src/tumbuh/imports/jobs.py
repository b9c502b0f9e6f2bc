"""Running an import job: read, check, match, then write everything or nothing.

Web uploads run in a background thread of the web process (``TUMBUH_IMPORT_BACKGROUND``,
default on) so the status page can poll; the command line and the tests run the same
:func:`run_job` in the foreground. Progress is written to the job row while rows are checked
(outside any transaction, so the status page sees it) and kept in memory while the one write
transaction runs (its rows are invisible until commit). See docs/decisions/0030.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Final

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from tumbuh.accounts.models import User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.exports import safe_cell
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record, object_type_of
from tumbuh.imports.matching import match
from tumbuh.imports.models import ImportJob, JobStatus
from tumbuh.imports.reader import ImportFileError, read_sheet
from tumbuh.imports.services import ImportScopeError, import_write
from tumbuh.imports.validation import Checked, RowError, check_sheet

log = logging.getLogger(__name__)

REPORT_HEADER: Final = ("baris", "kolom", "nilai", "alasan")
#: A job that has not moved for this long while "running" was cut off (server restart).
STALE_AFTER: Final = dt.timedelta(minutes=15)

#: job id -> (rows done, rows total) while a write transaction hides the job row's progress.
_LIVE: dict[int, tuple[int, int]] = {}
_LIVE_LOCK = threading.Lock()


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def error_report_csv(errors: Iterable[RowError], *, note: str = "") -> str:
    """The downloadable report: row, column, value, reason (Indonesian), injection-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_HEADER)
    for error in errors:
        writer.writerow(
            [error.row, safe_cell(error.column), safe_cell(error.value), safe_cell(error.reason)]
        )
    if note:
        writer.writerow(["", "", "", safe_cell(note)])
    return out.getvalue()


def job_create(
    *, actor: User | None, file_name: str, data: bytes, dry_run: bool = False
) -> ImportJob:
    """A pending job holding the uploaded bytes."""
    return ImportJob.objects.create(
        created_by=actor if actor is not None and actor.is_authenticated else None,
        file_name=file_name[:255],
        file_size=len(data),
        checksum=checksum_of(data),
        content=data,
        dry_run=dry_run,
    )


def earlier_import(job: ImportJob) -> ImportJob | None:
    """A finished import of the same bytes, if there was one."""
    return (
        ImportJob.objects.filter(checksum=job.checksum, status=JobStatus.DONE)
        .exclude(pk=job.pk)
        .order_by("-finished_at")
        .first()
    )


def live_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows total) as recent as this process knows."""
    with _LIVE_LOCK:
        return _LIVE.get(job.pk, (job.rows_done, job.rows_total))


def is_stale(job: ImportJob) -> bool:
    return not job.is_finished and job.updated_at < timezone.now() - STALE_AFTER


def _save(job: ImportJob, **values: object) -> None:
    for key, value in values.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **values)


def _checking_progress(job: ImportJob) -> Callable[[int], None]:
    def update(done: int) -> None:
        with _LIVE_LOCK:
            _LIVE[job.pk] = (done, job.rows_total)
        if not connection.in_atomic_block:
            _save(job, rows_done=done)

    return update


def _writing_progress(job: ImportJob, total: int) -> Callable[[int], None]:
    def update(done: int) -> None:
        with _LIVE_LOCK:
            _LIVE[job.pk] = (done, total)

    return update


def _finish(job: ImportJob, status: JobStatus, checked: Checked | None, **values: object) -> None:
    if checked is not None:
        values.setdefault("error_count", checked.error_count)
        values.setdefault("warnings", checked.warnings[:60])
    _save(
        job,
        status=status,
        finished_at=timezone.now(),
        content=b"",
        rows_done=job.rows_total,
        **values,
    )
    with _LIVE_LOCK:
        _LIVE.pop(job.pk, None)


def run_job(
    job: ImportJob, *, context: AuditContext = SYSTEM, today: dt.date | None = None
) -> ImportJob:
    """Run ``job`` to the end; its status says what happened (never raises for bad files)."""
    today = today or timezone.localdate()
    actor = job.created_by
    _save(job, status=JobStatus.VALIDATING, started_at=timezone.now())
    checked: Checked | None = None
    try:
        sheet = read_sheet(bytes(job.content), job.file_name)
        _save(job, rows_total=len(sheet.rows))
        checked = check_sheet(sheet, user=actor, today=today, progress=_checking_progress(job))
        plan = match(checked, user=actor)
        if checked.error_count:
            note = ""
            if checked.error_count > len(checked.errors):
                note = (
                    f"Hanya {len(checked.errors)} dari {checked.error_count} kesalahan yang "
                    "tercantum; perbaiki ini lalu unggah lagi."
                )
            rows_bad = len({e.row for e in checked.errors})
            _finish(
                job,
                JobStatus.REJECTED,
                checked,
                error_report=error_report_csv(checked.errors, note=note),
                message=(
                    f"{checked.error_count} kesalahan pada {rows_bad} baris. Tidak ada yang "
                    "disimpan: perbaiki berkas (lihat laporan kesalahan) lalu unggah lagi."
                ),
            )
            _audit_rejected(job, actor, context)
            return job
        counts = {
            "children_created": plan.children_new,
            "children_matched": plan.children_matched,
            "measurements_created": plan.measurements_new,
            "measurements_skipped": plan.skipped,
            "duplicates_queued": plan.duplicates,
        }
        if job.dry_run:
            _finish(
                job,
                JobStatus.CHECKED,
                checked,
                message="Semua baris lolos pemeriksaan. Uji coba: tidak ada yang disimpan.",
                **counts,
            )
            return job
        _save(job, status=JobStatus.WRITING)
        written = import_write(
            plan=plan,
            actor=actor,
            job=job,
            context=context,
            progress=_writing_progress(job, plan.measurements_new),
        )
        message = "Impor selesai."
        if written.links_queued:
            message += (
                f" {written.links_queued} nomor KK/NIK ibu tercatat di luar wilayah Anda: anaknya "
                "didaftarkan tanpa ditautkan, dan permintaan penautan dikirim ke petugas "
                "wilayah yang melihat keduanya."
            )
        _finish(
            job,
            JobStatus.DONE,
            checked,
            message=message,
            children_created=written.children_created,
            children_matched=written.children_matched,
            measurements_created=written.measurements_created,
            measurements_skipped=written.measurements_skipped,
            duplicates_queued=written.duplicates_queued,
        )
    except ImportFileError as error:
        _finish(
            job,
            JobStatus.REJECTED,
            checked,
            error_count=1,
            message=str(error),
            error_report=error_report_csv([RowError(0, "", "", str(error))]),
        )
        _audit_rejected(job, actor, context)
    except ImportScopeError as error:
        _finish(job, JobStatus.REJECTED, checked, error_count=1, message=str(error))
        _audit_rejected(job, actor, context)
    except Exception as error:  # the job must end in a state a person can read
        log.exception("import job %s failed", job.pk)
        _finish(
            job,
            JobStatus.CRASHED,
            checked,
            message=f"Kesalahan sistem ({type(error).__name__}); tidak ada yang disimpan. "
            "Laporkan ke admin.",
        )
    return job


def _audit_rejected(job: ImportJob, actor: User | None, context: AuditContext) -> None:
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        object_type=object_type_of(ImportJob),
        object_id=job.pk,
        detail={"file": job.file_name, "status": "rejected", "errors": job.error_count},
        context=context,
    )


def _run_in_thread(job_id: int, context: AuditContext) -> None:
    close_old_connections()
    try:
        job = ImportJob.objects.select_related("created_by").get(pk=job_id)
        run_job(job, context=context)
    finally:
        connection.close()


def job_start(job: ImportJob, *, context: AuditContext = SYSTEM) -> None:
    """Run ``job`` now (tests, small setups) or in a background thread after commit."""
    if not getattr(settings, "TUMBUH_IMPORT_BACKGROUND", True):
        run_job(job, context=context)
        return

    def launch() -> None:
        threading.Thread(
            target=_run_in_thread, args=(job.pk, context), name=f"import-{job.pk}", daemon=True
        ).start()

    transaction.on_commit(launch)
