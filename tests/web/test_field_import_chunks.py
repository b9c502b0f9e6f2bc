"""Issue 12 item 1: a large import commits in groups of children (ADR 0051), with the same
result as one transaction: one family per KK, duplicates within the file queued, counts."""

from __future__ import annotations

import pytest
from importing import csv_bytes, report_rows, row, run

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.imports import services
from tumbuh.imports.models import DuplicateCandidate, JobStatus
from tumbuh.registry.models import Child, Family, Measurement, Mother

KK = "3271030101250001"


def _file() -> bytes:
    rows = [
        row(NIK="", **{"Nama Balita": "Adik Satu", "No. KK": KK, "Nama Ortu": "Ibu Sama"}),
        row(NIK="", **{"Nama Balita": "Kakak Dua", "No. KK": KK, "Nama Ortu": "Ibu Sama",
                       "Tgl Lahir": "10/03/2024", "Berat (kg)": "11,2", "Tinggi (cm)": "84"}),
        row(NIK="", **{"Nama Balita": "Citra Lestari", "Nama Ortu": "Rina"}),
        row(NIK="", **{"Nama Balita": "Citra Lestary", "Nama Ortu": "Rina",
                       "Alamat": "Jl. Lain 1", "RT": "5"}),
        row(NIK="", **{"Nama Balita": "Dodi", "Nama Ortu": "Tuti"}),
    ]  # fmt: skip
    return csv_bytes(rows)


def _result() -> tuple[int, int, int, int, int]:
    return (
        Child.objects.count(),
        Family.objects.filter(kk_number=KK).count(),
        Mother.objects.filter(person__name="Ibu Sama").count(),
        Measurement.objects.count(),
        DuplicateCandidate.objects.count(),
    )


@pytest.mark.parametrize("per_commit", [1, 2, 2000])
def test_groups_of_any_size_give_the_same_result(world, monkeypatch, per_commit: int) -> None:
    before = Child.objects.count()
    monkeypatch.setattr(services, "COMMIT_CHILDREN", per_commit)
    job = run(_file(), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)
    children, families, mothers, measurements, duplicates = _result()
    assert children - before == 5 and families == 1 and mothers == 1
    assert measurements == 5 and duplicates == 1 == job.duplicates_queued
    event = AuditEvent.objects.get(action=Action.IMPORT, object_type="imports.importjob")
    groups = {1: 4, 2: 3, 2000: 1}[per_commit]  # the KK family is never split
    assert event.detail["transactions"] == groups + 1
    again = run(_file(), world.users["tenaga_gizi"])
    assert (again.children_created, again.measurements_created) == (0, 0)
