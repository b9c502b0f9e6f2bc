"""Retention (issue 11, finding 10; docs/security.md "Retention"): what Tumbuh keeps only
while it is needed is deleted by :func:`purge`, run daily (02:30 UTC) by the huey periodic task in
``tumbuh.audit.tasks``. Periods are settings (days):

======================================  ===============================================
``RETENTION_CHAT_STATE_DAYS`` (30)      chatbot conversation state untouched that long
``RETENTION_OTP_DAYS`` (1)              verification codes expired that long ago
``RETENTION_IMPORT_FILE_DAYS`` (7)      uploaded files of import jobs (normally emptied
                                        when the job ends)
======================================  ===============================================

An import job that stopped without finishing (its process was killed) is marked crashed and
its uploaded file removed at once, by :func:`abandoned_imports_close` (also part of the
purge). The audit log itself is kept (it is append-only, by design).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_record


@dataclass(frozen=True, slots=True)
class Purged:
    chat_states: int
    one_time_codes: int
    import_files: int
    abandoned_imports: int


def _days(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, name, default)))


def abandoned_imports_close(*, now: dt.datetime) -> int:
    """Jobs that stopped part-way (no progress for ``imports.jobs.STALE_AFTER``): marked
    crashed, their uploaded file removed. Returns how many."""
    from tumbuh.imports.jobs import STALE_AFTER
    from tumbuh.imports.models import FINISHED, ImportJob, JobStatus

    stale = ImportJob.objects.exclude(status__in=FINISHED).filter(updated_at__lt=now - STALE_AFTER)
    return stale.update(
        status=JobStatus.CRASHED,
        content=b"",
        finished_at=now,
        message="Impor terhenti (prosesnya mati) dan dibatalkan; berkas yang diunggah dihapus. "
        "Unggah ulang berkasnya.",
        updated_at=now,
    )


@transaction.atomic
def purge(*, now: dt.datetime | None = None) -> Purged:
    """Delete what is past its retention period; one audit row with the counts."""
    from tumbuh.imports.models import ImportJob
    from tumbuh.messaging.models import ConversationState, OneTimeCode

    now = now or timezone.now()
    abandoned = abandoned_imports_close(now=now)
    chat, _ = ConversationState.objects.filter(
        updated_at__lt=now - _days("RETENTION_CHAT_STATE_DAYS", 30)
    ).delete()
    codes, _ = OneTimeCode.objects.filter(
        expires_at__lt=now - _days("RETENTION_OTP_DAYS", 1)
    ).delete()
    files = (
        ImportJob.objects.exclude(content=b"")
        .filter(created_at__lt=now - _days("RETENTION_IMPORT_FILE_DAYS", 7))
        .update(content=b"")
    )
    result = Purged(chat, codes, files, abandoned)
    audit_record(
        actor=None, action=Action.PURGE, object_type="audit.retention", detail=asdict(result)
    )
    return result
