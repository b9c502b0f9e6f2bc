"""Cases benchmark: what opening cases adds to an import of 100,000 measurements, and how fast
the case list answers.

Run by ``make bench``. The same e-PPGBM file as ``import_bench.py`` (20,000 children x 5
weighings, about a fifth of them stunted) is imported twice into fresh databases: once with
the cases receiver of ``measurements_changed`` disconnected (the baseline) and once with it
(rules evaluated, suspected cases and their timeline written in the import's transaction).
The ratio of the two times is the cost of the cases; because two runs on a shared machine
vary more than that, the run with cases also times its receiver, and the target is checked on
``time with cases / (time with cases - time in the receiver)``. Then the first page of the case list
(``cases.selectors.case_list`` for a TPPS user, serialised as the API does) is timed 50 times.

Targets (issue 7): the ratio at most 1.15 (PostgreSQL); the case list p95 < 200 ms.
``CASES_BENCH_CHILDREN`` makes the file smaller for a quick run; ``CASES_BENCH_DATABASES``
(``sqlite,postgresql``) chooses the databases.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import import_bench

import_bench.BENCH_DB = "tumbuh_cases_bench"  # not the import benchmark's database
TARGET_RATIO = 1.15
TARGET_P95_MS = 200.0


def child(database_url: str, with_cases: bool) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumbuh.config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from tumbuh.accounts.models import Role, User
    from tumbuh.cases.models import Case, CaseEvent
    from tumbuh.imports import jobs
    from tumbuh.imports.models import JobStatus
    from tumbuh.registry.signals import measurements_changed
    from tumbuh.wilayah.models import Level, Region
    from tumbuh.wilayah.services import region_load

    spent = [0.0]
    if not with_cases:
        assert measurements_changed.disconnect(dispatch_uid="cases.measurements")
    else:
        # Time spent in the cases receiver within the same run: a ratio that the load of a
        # shared machine between two runs does not blur.
        from tumbuh.cases import apps as cases_apps

        measurements_changed.disconnect(dispatch_uid="cases.measurements")

        def timed(sender: object, **kwargs: object) -> None:
            t0 = time.perf_counter()
            cases_apps._on_measurements(sender, **kwargs)
            spent[0] += time.perf_counter() - t0

        measurements_changed.connect(timed, dispatch_uid="cases.measurements.timed", weak=False)
    region_load(code="32.71")
    kelurahan = [
        (r.name, r.parent.name)
        for r in Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.03.")
        .select_related("parent")
    ]  # fmt: skip
    data = import_bench.generate(kelurahan)
    job = jobs.job_create(actor=None, file_name="bench.csv", data=data)
    start = time.perf_counter()
    job = jobs.run_job(job, today=import_bench.TODAY)
    seconds = time.perf_counter() - start
    if job.status != JobStatus.DONE:
        raise SystemExit(f"import failed: {job.status} {job.message}")
    result: dict[str, object] = {
        "seconds": round(seconds, 2),
        "measurements": job.measurements_created,
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "in_receiver": round(spent[0], 2),
    }
    if with_cases:
        from django.db import connection

        from tumbuh.cases.api import _case_out, _overdue_ids

        # What autovacuum does soon after a bulk load: without statistics on the freshly
        # COPY'd tables PostgreSQL joins everything before sorting (0.5 s instead of 25 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        from tumbuh.cases.selectors import case_list

        tpps = User.objects.create(username="bench-tpps", role=Role.TPPS,
                                   region=Region.objects.get(code="32.71"))  # fmt: skip
        times = []
        for _ in range(50):
            t0 = time.perf_counter()
            qs = case_list(tpps, kecamatan="32.71.03")
            count = qs.count()
            items = list(qs[:25])
            late = _overdue_ids(items)
            [_case_out(tpps, c, late) for c in items]
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        result["list_count"] = count
        result["list_p50_ms"] = round(statistics.median(times), 1)
        result["list_p95_ms"] = round(times[int(len(times) * 0.95) - 1], 1)
    print(json.dumps(result))


def _run(url: str, with_cases: bool) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, "on" if with_cases else "off"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _pair(make_url: object) -> tuple[dict[str, object], dict[str, object]]:
    assert callable(make_url)
    return make_url(False), make_url(True)


def main() -> None:
    children = int(os.environ.get("CASES_BENCH_CHILDREN", import_bench.CHILDREN))
    import_bench.CHILDREN = children
    rows = children * import_bench.WEIGHINGS
    print(f"Cases benchmark: import of {rows:,} measurements without and with case opening.")
    report = []
    wanted = os.environ.get("CASES_BENCH_DATABASES", "sqlite,postgresql").split(",")
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as folder:

            def sqlite(with_cases: bool) -> dict[str, object]:
                name = "on" if with_cases else "off"
                return _run(f"sqlite:///{Path(folder) / f'bench-{name}.sqlite3'}", with_cases)

            report.append(("SQLite", *_pair(sqlite)))
    pg_url = import_bench._postgres_url() if "postgresql" in wanted else None
    if pg_url:
        try:

            def postgres(with_cases: bool) -> dict[str, object]:
                url = import_bench._postgres_url()
                assert url is not None
                return _run(url, with_cases)

            report.append(("PostgreSQL", *_pair(postgres)))
        finally:
            import_bench._drop_postgres(pg_url)
    failed = False
    for name, off, on in report:
        ratio = float(on["seconds"]) / float(off["seconds"])  # type: ignore[arg-type]
        with_s, inner = float(on["seconds"]), float(on["in_receiver"])  # type: ignore[arg-type]
        inside = with_s / (with_s - inner)
        print(
            f"  {name:<10} without cases {off['seconds']} s, with cases {on['seconds']} s "
            f"({on['cases']} cases, {on['events']} timeline lines): ratio {ratio:.3f}; "
            f"in the same run {inner} s in the cases receiver: ratio {inside:.3f}"
        )
        print(
            f"  {name:<10} case list (TPPS, kecamatan, {on['list_count']} cases): "
            f"p50 {on['list_p50_ms']} ms, p95 {on['list_p95_ms']} ms"
        )
        if name == "PostgreSQL" or len(report) == 1:
            ok = inside <= TARGET_RATIO
            fast = float(on["list_p95_ms"]) < TARGET_P95_MS  # type: ignore[arg-type]
            print(f"  target ratio <= {TARGET_RATIO} ({name}): {'PASS' if ok else 'FAIL'}; "
                  f"list p95 < {TARGET_P95_MS:.0f} ms: {'PASS' if fast else 'FAIL'}")  # fmt: skip
            failed |= not (ok and fast)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        import_bench.CHILDREN = int(os.environ.get("CASES_BENCH_CHILDREN", import_bench.CHILDREN))
        child(sys.argv[2], sys.argv[3] == "on")
    else:
        main()
