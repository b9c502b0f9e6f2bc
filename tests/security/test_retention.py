"""Finding 10 of issue 11: a NIK typed into the chat is not kept in the conversation state
(nor the log or a handoff transcript); a killed import's uploaded file is removed; old chat
state, verification codes and import files are purged by a scheduled job."""

from __future__ import annotations

import datetime as dt
import json

from django.core.cache import cache
from django.test import Client

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.audit.retention import purge
from tumbuh.imports import jobs
from tumbuh.imports.models import ImportJob, JobStatus
from tumbuh.messaging.bot import reset_bot
from tumbuh.messaging.models import ConversationState, OneTimeCode
from tumbuh.messaging.scrub import scrub, scrub_text

NIK = "3271035003250001"
NOW = dt.datetime(2026, 11, 15, 3, 0, tzinfo=dt.UTC)


def test_nik_typed_in_the_chat_is_not_kept(db):
    cache.clear()
    reset_bot()
    client = Client()
    for text in (f"NIK saya {NIK}", "3271 0350 0325 0001 ini nomor KK saya"):
        response = client.post(
            "/api/v1/chat",
            data=json.dumps({"conversation": "uji-nik", "text": text}),
            content_type="application/json",
        )
        assert response.status_code == 200
    stored = json.dumps([row.data for row in ConversationState.objects.all()])
    assert ConversationState.objects.exists()
    assert NIK not in stored and "3271 0350 0325 0001" not in stored
    reset_bot()


def test_scrub():
    assert scrub_text(f"nik {NIK}.") == "nik [nomor identitas dihapus]."
    assert scrub_text("berat 9,5 kg umur 24 bulan, hp 081234567890") == (
        "berat 9,5 kg umur 24 bulan, hp 081234567890"
    )
    assert scrub({"t": [["user", NIK, "x"]], "n": 3}) == {
        "t": [["user", "[nomor identitas dihapus]", "x"]],
        "n": 3,
    }


def _job(world, *, status=JobStatus.WRITING, age=dt.timedelta(hours=1)):  # type: ignore[no-untyped-def]
    job = jobs.job_create(actor=world.users["kader"], file_name="a.csv", data=b"NIK,Nama\n1,x\n")
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, updated_at=NOW - age, created_at=NOW - age
    )
    return job


def test_killed_import_file_is_removed(world):
    killed = _job(world)
    running = _job(world, age=dt.timedelta(minutes=2))
    result = purge(now=NOW)
    killed.refresh_from_db()
    running.refresh_from_db()
    assert killed.status == JobStatus.CRASHED and bytes(killed.content) == b""
    assert running.status == JobStatus.WRITING and bytes(running.content) != b""
    assert result.abandoned_imports == 1


def test_old_files_states_and_codes_are_purged_by_period(world, settings):
    settings.RETENTION_IMPORT_FILE_DAYS = 7
    old_pending = _job(world, status=JobStatus.PENDING, age=dt.timedelta(days=8))
    ConversationState.objects.create(conversation_id="lama", channel="web", data={"x": 1})
    ConversationState.objects.create(conversation_id="baru", channel="web", data={"x": 2})
    ConversationState.objects.filter(conversation_id="lama").update(
        updated_at=NOW - dt.timedelta(days=31)
    )
    ConversationState.objects.filter(conversation_id="baru").update(updated_at=NOW)
    OneTimeCode.objects.create(
        phone="0812", code_hash="x" * 64, expires_at=NOW - dt.timedelta(days=2)
    )
    OneTimeCode.objects.create(phone="0813", code_hash="y" * 64, expires_at=NOW)
    result = purge(now=NOW)
    assert list(ConversationState.objects.values_list("conversation_id", flat=True)) == ["baru"]
    assert list(OneTimeCode.objects.values_list("phone", flat=True)) == ["0813"]
    old_pending.refresh_from_db()
    assert bytes(old_pending.content) == b""
    assert result.chat_states == 1 and result.one_time_codes == 1
    assert AuditEvent.objects.filter(action=Action.PURGE).exists()


def test_purge_is_a_huey_periodic_task():
    from huey.api import PeriodicTask
    from huey.contrib.djhuey import HUEY

    from tumbuh.audit import tasks

    task = tasks.retention_purge.s()
    assert isinstance(task, PeriodicTask)
    assert task.validate_datetime(dt.datetime(2026, 11, 15, 2, 30))
    assert not task.validate_datetime(dt.datetime(2026, 11, 15, 3, 30))
    assert tasks.retention_purge.task_class in HUEY._registry._periodic_tasks
