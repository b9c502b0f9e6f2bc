"""Page benchmark: time to render a child page with 60 measurements (target: median < 100 ms).

Run by ``make bench`` (or ``.venv/bin/python benchmarks/page_bench.py [--profile]``). It builds
a fresh SQLite database in a temporary folder (migrations, Kota Bogor's wilayah), registers one
child through the registry's services and records 60 monthly measurements (birth to 59 months)
with ``measurement_record``, so every z-score, trend and category is the engine's. A kader of
the child's posyandu and a TPPS user (the whole kota) log in with Django's test client; each
GETs ``/anak/<id>/`` 5 times to warm up and then 50 times, timed one by one. The full page is
rendered each time: scoping query, audit row, measurement table, three SVG growth charts.

Prints median, p95, min and max per role, the SQL queries per page and the page size, then
PASS/FAIL for the kader's median against 100 ms. ``--profile`` adds cProfile's top functions
for 20 more requests. The temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 100.0
MEASUREMENTS = 60
WARMUP = 5
RUNS = 50
PASSWORD = "bench-sandi-yang-panjang-1"


def _setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'page_bench.sqlite3'}"
    os.environ["TUMBUH_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tumbuh.config.settings"
    os.environ["SECRET_KEY"] = "page-bench-only-" + "x" * 40
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def build() -> tuple[Any, dict[str, Any]]:
    """One child with MEASUREMENTS monthly measurements, and the users who may see it."""
    from django.utils import timezone

    from tumbuh.accounts.models import Role, User
    from tumbuh.growth.lms import value_at
    from tumbuh.growth.tables import Table, load
    from tumbuh.registry.services import child_register, measurement_record
    from tumbuh.wilayah.models import Posyandu, Puskesmas, Region
    from tumbuh.wilayah.services import region_load

    region_load(code="32.71")
    kota = Region.objects.get(code="32.71")
    sempur = Region.objects.get(code="32.71.03.1006")
    puskesmas = Puskesmas.objects.get(name="Sempur")
    puskesmas.service_area.add(sempur)
    posyandu = Posyandu.objects.create(name="Mawar", kelurahan=sempur, puskesmas=puskesmas)
    users = {}
    for username, extra in (
        ("kader", {"role": Role.KADER, "posyandu": posyandu}),
        ("tpps", {"role": Role.TPPS, "region": kota}),
    ):
        user = User(username=f"bench-{username}", **extra)
        user.set_password(PASSWORD)
        user.save()
        users[username] = user

    today = timezone.localdate()
    birth = _months_after(today, -(MEASUREMENTS + 1))
    child = child_register(
        actor=users["kader"],
        name="Anak Uji Halaman",
        sex=2,
        birth_date=birth,
        nik=f"327103{birth.day + 40:02d}{birth:%m%y}9001",
        mother_name="Ibu Uji Halaman",
        father_name="Ayah Uji Halaman",
        kelurahan=sempur,
        rw=1,
        rt=2,
        address_line="Jl. Contoh No. 1",
        posyandu=posyandu,
        consent_given_by="Ibu Uji Halaman",
        consent_relationship="Ibu",
        is_demo=True,
        over_five_confirmed=True,  # 61 months: the page shows both WHO references
        today=today,
    )
    # A girl growing along -1.5 SD length-for-age and -1 SD weight-for-age (WHO medians/spreads).
    lhfa, wfa = load(Table.LHFA), load(Table.WFA)
    for month in range(MEASUREMENTS):
        day = _months_after(birth, month)
        age = (day - birth).days
        length = float(value_at(-1.5, *lhfa.row(2, age)))
        weight = float(value_at(-1.0, *wfa.row(2, age)))
        measurement_record(
            actor=users["kader"],
            child=child,
            measured_on=day,
            weight_kg=f"{weight:.2f}",
            length_cm=f"{length:.1f}",
            position="l" if age < 731 else "h",
            arm_circumference_cm="14.5" if month >= 6 else None,
            today=today,
        )
    return child, users


def _client(username: str) -> Any:
    from django.test import Client

    client = Client(HTTP_USER_AGENT="page-bench/1.0", REMOTE_ADDR="127.0.0.1")
    assert client.login(username=username, password=PASSWORD), username
    return client


def _time(client: Any, url: str) -> tuple[list[float], int, int]:
    """Milliseconds per GET (after the warm-up), SQL queries of one GET, page bytes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return times, len(queries), len(response.content)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _profile(client: Any, url: str) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tumbuh-page-bench-") as tmp:
        started = time.perf_counter()
        _setup_django(Path(tmp))
        child, users = build()
        from tumbuh.registry.models import Measurement

        stored = Measurement.objects.filter(child=child).count()
        assert stored == MEASUREMENTS, stored
        url = f"/anak/{child.pk}/"
        print(
            f"Child page {url}: {stored} measurements, SQLite "
            f"(setup {time.perf_counter() - started:.1f} s); {WARMUP} warm-up + {RUNS} timed GETs"
        )
        results = {}
        for role in ("kader", "tpps"):
            client = _client(users[role].username)
            times, queries, size = _time(client, url)
            results[role] = times
            print(
                f"  {role:<5}  median {statistics.median(times):6.1f} ms   "
                f"p95 {_p95(times):6.1f} ms   min {min(times):6.1f}   max {max(times):6.1f}   "
                f"{queries} SQL queries   {size / 1024:.0f} KiB"
            )
        median = statistics.median(results["kader"])
        verdict = "PASS" if median < TARGET_MS else "FAIL"
        print(f"{verdict}: child page median {median:.1f} ms (kader) vs target {TARGET_MS:.0f} ms")
        if args.profile:
            print(_profile(_client(users["kader"].username), url))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
