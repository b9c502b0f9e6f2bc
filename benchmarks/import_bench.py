"""Import benchmark: rows per second importing 100,000 e-PPGBM measurements (z-scores
included) into SQLite and, when reachable, PostgreSQL.

Run by ``make bench``. For each database it makes a fresh one (a temporary SQLite file; a
``tumbuh_import_bench`` database on the PostgreSQL of ``DATABASE_URL`` or 127.0.0.1:5432,
dropped at the end), migrates it, loads Kota Bogor, generates a CSV of 20,000 children with
5 monthly weighings each (plausible lengths and weights from the WHO medians, NIK on most
children) and times ``tumbuh.imports.jobs.run_job`` end to end: reading, checking every row,
matching, the one write transaction with z-scores from ``tumbuh.growth.zscores``, audit rows.
Then it imports the same file again (nothing new may be created) and times that too.

Target (platform issue): at least 5,000 rows/s on PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILDREN = 20_000
WEIGHINGS = 5
TARGET_PG = 5_000
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "tumbuh_import_bench"
TODAY = dt.date(2026, 11, 15)


def generate(kelurahan: list[tuple[str, str]]) -> bytes:
    """The CSV: e-PPGBM headers, one row per weighing."""
    rng = random.Random(20260101)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["NIK", "Nama Balita", "JK", "Tgl Lahir", "Nama Ortu", "Alamat", "RT", "RW",
                     "Desa/Kelurahan", "Kecamatan", "Tanggal Pengukuran", "Berat (kg)",
                     "Tinggi (cm)", "Cara Ukur"])  # fmt: skip
    serial: dict[str, int] = {}
    for i in range(CHILDREN):
        kel_name, kec_name = kelurahan[i % len(kelurahan)]
        sex = rng.choice((1, 2))
        birth = TODAY - dt.timedelta(days=rng.randint(200, 1700))
        prefix = "327103"
        day = birth.day + (40 if sex == 2 else 0)
        stem = f"{prefix}{day:02d}{birth:%m%y}"
        serial[stem] = serial.get(stem, 0) + 1
        nik = f"{stem}{serial[stem]:04d}" if rng.random() < 0.8 else ""
        z = rng.gauss(-0.8, 1.0)
        for k in range(WEIGHINGS):
            visit = TODAY - dt.timedelta(days=30 * (WEIGHINGS - k) + rng.randint(0, 5))
            age = (visit - birth).days
            months = age / 30.4375
            length = 49.9 + 25.0 * (1 - 2.71828 ** (-months / 9.0)) + 0.55 * months * 0.4
            length += z * 3.0 + rng.gauss(0, 0.3)
            weight = max(2.5, 3.3 + 0.6 * months**0.78 + z * 0.9 + rng.gauss(0, 0.15))
            writer.writerow([
                nik, f"Anak Bench {i}", "L" if sex == 1 else "P", birth.strftime("%d/%m/%Y"),
                f"Ibu Bench {i}", f"Jl. Uji {i}", 1 + i % 9, 1 + i % 12, kel_name, kec_name,
                visit.isoformat(), f"{weight:.1f}".replace(".", ","), f"{length:.1f}",
                "berbaring" if age < 731 else "berdiri",
            ])  # fmt: skip
    return out.getvalue().encode()


def child(database_url: str) -> None:
    """Runs in a subprocess with DATABASE_URL set: migrate, load, import twice, print JSON."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumbuh.config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from tumbuh.imports import jobs
    from tumbuh.imports.models import JobStatus
    from tumbuh.registry.models import Measurement
    from tumbuh.wilayah.models import Level, Region
    from tumbuh.wilayah.services import region_load

    region_load(code="32.71")
    kelurahan = [
        (r.name, r.parent.name)
        for r in Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.03.")
        .select_related("parent")
    ]  # fmt: skip
    data = generate(kelurahan)
    rows = CHILDREN * WEIGHINGS
    results = {}
    for label in ("first", "again"):
        job = jobs.job_create(actor=None, file_name="bench.csv", data=data)
        start = time.perf_counter()
        job = jobs.run_job(job, today=TODAY)
        seconds = time.perf_counter() - start
        if job.status != JobStatus.DONE:
            raise SystemExit(f"import failed: {job.status} {job.message} {job.error_report[:500]}")
        results[label] = {
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds),
            "measurements_created": job.measurements_created,
            "children_created": job.children_created,
        }
    results["measurements_in_db"] = Measurement.objects.count()
    results["with_zscores"] = Measurement.objects.filter(zlen__isnull=False).count()
    print(json.dumps(results))


def _postgres_url() -> str | None:
    base = os.environ.get("DATABASE_URL", "")
    if base and not base.startswith("postgres"):
        return None
    base = base or PG_DEFAULT
    try:
        import psycopg
    except ImportError:
        return None
    admin = base.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
    except Exception as error:  # no server, no rights: skip PostgreSQL
        print(f"PostgreSQL not reachable ({type(error).__name__}); skipped.")
        return None
    return base.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def _drop_postgres(url: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def _run(url: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", url], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    rows = CHILDREN * WEIGHINGS
    print(f"Import benchmark: {rows:,} measurements ({CHILDREN:,} children x {WEIGHINGS}).")
    with tempfile.TemporaryDirectory() as folder:
        sqlite = _run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    report = [("SQLite", sqlite)]
    pg_url = _postgres_url()
    if pg_url:
        try:
            report.append(("PostgreSQL", _run(pg_url)))
        finally:
            _drop_postgres(pg_url)
    failed = False
    for name, result in report:
        first, again = result["first"], result["again"]
        assert isinstance(first, dict) and isinstance(again, dict)
        print(
            f"  {name:<10} first import {first['seconds']:>6} s = {first['rows_per_s']:>6} rows/s "
            f"({first['measurements_created']} measurements, {first['children_created']} "
            f"children); same file again {again['seconds']} s = {again['rows_per_s']} rows/s, "
            f"created {again['measurements_created']}"
        )
        if again["measurements_created"] != 0 or result["measurements_in_db"] != rows:
            failed = True
            print(f"  {name}: FAIL idempotency ({result})")
        if name == "PostgreSQL":
            ok = int(first["rows_per_s"]) >= TARGET_PG
            failed |= not ok
            print(f"  target >= {TARGET_PG} rows/s on PostgreSQL: {'PASS' if ok else 'FAIL'}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
