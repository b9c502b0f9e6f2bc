"""Issue 12 item 12: the sample e-PPGBM file in examples/ imports cleanly."""

from __future__ import annotations

from pathlib import Path

from importing import report_rows, run

from tumbuh.imports.models import JobStatus
from tumbuh.registry.models import Child, Measurement

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "e-ppgbm-contoh.csv"


def test_the_sample_file_imports_without_a_problem(world) -> None:
    before = Child.objects.count()
    job = run(EXAMPLE.read_bytes(), world.users["kader"], name=EXAMPLE.name)
    assert job.status == JobStatus.DONE, report_rows(job)[:5]
    assert report_rows(job) == []
    rows = len(EXAMPLE.read_text(encoding="utf-8").splitlines()) - 1
    assert Measurement.objects.count() == rows == 60
    assert Child.objects.count() - before == 10
    assert not Measurement.objects.filter(needs_review=True).exists()
    # The kader's posyandu is given to every child (the file leaves Posyandu empty).
    assert set(Measurement.objects.values_list("posyandu", flat=True)) == {world.pos_a.pk}
    again = run(EXAMPLE.read_bytes(), world.users["kader"], name=EXAMPLE.name)
    assert Measurement.objects.count() == 60, again.status  # importing twice adds nothing
