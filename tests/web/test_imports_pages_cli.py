"""Import pages (upload, status, error report, duplicates queue, merge/dismiss) and the
``tumbuh import`` command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from importing import csv_bytes, row, run

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.cli import main
from tumbuh.imports.models import DuplicateCandidate, DuplicateStatus, ImportJob, JobStatus
from tumbuh.registry.models import Child, Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_imports(settings):  # type: ignore[no-untyped-def]
    settings.TUMBUH_IMPORT_BACKGROUND = False


def upload(client, data: bytes, name: str = "eppgbm.csv", **extra):  # type: ignore[no-untyped-def]
    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data), **extra})


def test_upload_page_is_for_recording_roles(client_for) -> None:
    assert client_for("tenaga_gizi").get(reverse("imports:upload")).status_code == 200
    assert client_for("kader").get(reverse("imports:upload")).status_code == 200
    assert client_for("tpps").get(reverse("imports:upload")).status_code == 403


def test_upload_runs_the_job_and_shows_the_result(client_for) -> None:
    client = client_for("tenaga_gizi")
    response = upload(client, csv_bytes([row()]))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job_detail", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Impor selesai" in page.content.decode()
    status = client.get(reverse("imports:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["measurements_created"] == 1


def test_upload_refuses_other_file_types(client_for) -> None:
    response = upload(client_for("tenaga_gizi"), b"hello", name="foto.jpg")
    assert response.status_code == 422
    assert not ImportJob.objects.exists()


def test_second_upload_of_the_same_file_is_announced(client_for) -> None:
    client = client_for("tenaga_gizi")
    upload(client, csv_bytes([row()]))
    response = upload(client, csv_bytes([row()]))
    page = client.get(response["Location"])
    assert "sudah diimpor" in page.content.decode()


def test_error_report_download_is_audited_and_private(client_for) -> None:
    client = client_for("tenaga_gizi")
    upload(client, csv_bytes([row(**{"Berat (kg)": "=1+1"})]))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.REJECTED
    url = reverse("imports:error_report", args=[job.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.startswith("baris,kolom,nilai,alasan")
    assert "'=1+1" in body
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(job.pk)).exists()
    assert client_for("kader").get(url).status_code == 404  # someone else's job
    assert client_for("admin").get(url).status_code == 200


def _queue_one(world) -> DuplicateCandidate:  # type: ignore[no-untyped-def]
    child = world.child_a
    data = csv_bytes([row(NIK="", **{
        "Nama Balita": child.person.name + "h", "Tgl Lahir": child.person.birth_date.isoformat(),
        "Nama Ortu": child.mother.person.name, "JK": "L",
        "Tanggal Pengukuran": "2026-09-01"})])  # fmt: skip
    job = run(data, world.users["tenaga_gizi"])
    assert job.duplicates_queued == 1
    return DuplicateCandidate.objects.get()


def test_duplicates_queue_is_scoped(world, client_for) -> None:
    candidate = _queue_one(world)
    url = reverse("imports:duplicate_detail", args=[candidate.pk])
    listing = client_for("tenaga_gizi").get(reverse("imports:duplicate_list"))
    assert listing.status_code == 200 and url in listing.content.decode()
    assert url not in client_for("partner").get(reverse("imports:duplicate_list")).content.decode()
    assert client_for("tenaga_gizi").get(url).status_code == 200
    assert client_for("partner").get(url).status_code == 404


def test_merge_keeps_one_child_with_all_measurements(world, client_for) -> None:
    candidate = _queue_one(world)
    existing, incoming = candidate.existing, candidate.incoming
    client = client_for("tenaga_gizi")
    response = client.post(
        reverse("imports:duplicate_detail", args=[candidate.pk]),
        {"decision": "keep_existing", "note": "sama"},
    )
    assert response.status_code == 302
    assert not Child.objects.filter(pk=incoming.pk).exists()
    assert existing.measurements.count() == 1
    existing.refresh_from_db()
    assert existing.latest_measurement is not None
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.MERGED and candidate.decided_by.username == "gizi"
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="registry.child", object_id=str(incoming.pk),
        detail__merged_into=existing.pk,
    ).exists()  # fmt: skip


def test_dismiss_keeps_both(world, client_for) -> None:
    candidate = _queue_one(world)
    response = client_for("tenaga_gizi").post(
        reverse("imports:duplicate_detail", args=[candidate.pk]), {"decision": "dismiss"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED
    assert Child.objects.filter(pk=candidate.incoming_id).exists()


def test_kader_may_look_but_not_decide(world, client_for) -> None:
    candidate = _queue_one(world)
    url = reverse("imports:duplicate_detail", args=[candidate.pk])
    response = client_for("admin").post(url, {"decision": "bogus"})
    assert response.status_code == 422
    response = client_for("kader").post(url, {"decision": "dismiss"})
    assert response.status_code in (403, 404)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_merge_refuses_conflicting_measurements_on_one_day(world, client_for) -> None:
    candidate = _queue_one(world)
    from tumbuh.registry.services import measurement_record

    measurement_record(
        actor=None, child=candidate.existing, measured_on=dt.date(2026, 9, 1), weight_kg="8.0",
        today=dt.date(2026, 11, 15),
    )  # fmt: skip
    response = client_for("tenaga_gizi").post(
        reverse("imports:duplicate_detail", args=[candidate.pk]), {"decision": "keep_existing"}
    )
    assert response.status_code == 422
    assert "hasil berbeda" in response.content.decode()
    assert Child.objects.filter(pk=candidate.incoming_id).exists()


# -- command line ------------------------------------------------------------------------------


def test_cli_imports_and_exits_0(world, tmp_path: Path) -> None:
    source = tmp_path / "eppgbm.csv"
    source.write_bytes(csv_bytes([row()]))
    result = CliRunner().invoke(main, ["import", str(source), "--user", "gizi"])
    assert result.exit_code == 0, result.output
    assert "pengukuran baru 1" in result.output
    again = CliRunner().invoke(main, ["import", str(source), "--user", "gizi"])
    assert again.exit_code == 0
    assert "sudah diimpor" in again.output and "pengukuran baru 0" in again.output


def test_cli_rejected_file_exits_2_with_the_report(world, tmp_path: Path) -> None:
    source = tmp_path / "eppgbm.csv"
    source.write_bytes(csv_bytes([row(**{"Berat (kg)": "abc"})]))
    result = CliRunner().invoke(main, ["import", str(source), "--user", "gizi"])
    assert result.exit_code == 2
    assert "Berat (kg)" in result.output
    report = Path(str(source) + ".errors.csv").read_text(encoding="utf-8-sig")
    assert report.startswith("baris,kolom,nilai,alasan") and "abc" in report


def test_cli_dry_run_unknown_user_missing_file(world, tmp_path: Path) -> None:
    source = tmp_path / "eppgbm.csv"
    source.write_bytes(csv_bytes([row()]))
    dry = CliRunner().invoke(main, ["import", str(source), "--dry-run"])
    assert dry.exit_code == 0 and "Uji coba" in dry.output
    assert not Measurement.objects.exists()
    nobody = CliRunner().invoke(main, ["import", str(source), "--user", "nobody"])
    assert nobody.exit_code == 2 and "nobody" in nobody.output
    missing = CliRunner().invoke(main, ["import", str(tmp_path / "missing.csv")])
    assert missing.exit_code == 2
    outside = CliRunner().invoke(main, ["import", str(source), "--user", "tpps"])
    assert outside.exit_code == 2 and "Peran Anda" in outside.output


def test_cli_help_lists_import() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "import" in result.output
