"""Command-centre benchmark (issue 9): aggregate refresh time for a month at city scale, the
``/komando/`` page p95 for the TPPS, the rakor PDF time, and a simulated province.

Usage (``make bench`` runs the first form with a small city; the issue's figures need the
full city, which takes long to seed)::

    .venv/bin/python benchmarks/komando_bench.py [--children 84000] [--months 24]
    .venv/bin/python benchmarks/komando_bench.py --database-url sqlite:///var/city.sqlite3 --no-seed
    .venv/bin/python benchmarks/komando_bench.py --province --database-url postgres://.../bench \\
        [--stats-from sqlite:///var/city.sqlite3]

City: a fresh SQLite database in a temporary folder (migrations, Kota Bogor's wilayah,
``seed_demo`` with ``--children`` children and ``--months`` months of weighings), unless
``--database-url`` names one that already holds data (``--no-seed``). Then:

1. ``stats_refresh_month`` for the latest month (timed) and the 12 before it (for the trends);
2. ``GET /komando/?period=`` as the TPPS (city), a kecamatan and a kelurahan officer: 5 warm-up
   and 50 timed requests each -> median and p95, and the SQL queries per page;
3. the rakor PDF and XLSX for the city (timed).

Province (``--province``, PostgreSQL): a database with synthetic aggregates for West Java's
27 kabupaten/kota (~6,000 desa/kelurahan, 13 months, every indicator), Kota Bogor's rows copied
from ``--stats-from`` when given (else synthetic too); then the city-level page p95 for the
TPPS of Kota Bogor. The page reads only the aggregates, so their size is what matters.

Targets: page p95 < 300 ms (city, SQLite and PostgreSQL), rakor PDF < 10 s, province page
p95 < 1 s. Prints PASS/FAIL per target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench-sandi-yang-panjang-1"
WARMUP, RUNS = 5, 50
PAGE_P95_MS, PDF_S, PROVINCE_P95_MS = 300.0, 10.0, 1000.0


def _setup(database_url: str, folder: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["TUMBUH_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tumbuh.config.settings"
    os.environ.setdefault("SECRET_KEY", "komando-bench-only-" + "x" * 40)
    os.environ["DEBUG"] = "0"
    os.environ["TASKS_BACKEND"] = "immediate"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _user(username: str, **fields: object):  # type: ignore[no-untyped-def]
    from tumbuh.accounts.models import User

    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def _time_page(username: str, url: str) -> tuple[float, float, int]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_USER_AGENT="komando-bench/1.0", REMOTE_ADDR="127.0.0.1")
    assert client.login(username=username, password=PASSWORD), username
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), _p95(times), len(queries)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def city(args: argparse.Namespace, folder: Path) -> bool:
    from django.utils import timezone

    from tumbuh.accounts.models import Role
    from tumbuh.komando import rakor
    from tumbuh.komando.jobs import months_back
    from tumbuh.komando.overview import overview
    from tumbuh.komando.selectors import _area_of_region
    from tumbuh.komando.services import stats_refresh_month
    from tumbuh.registry.models import Child, Measurement
    from tumbuh.wilayah.models import Level, Region
    from tumbuh.wilayah.services import region_load

    if not args.no_seed:
        from tumbuh.registry.demo.seed import seed_demo

        region_load(code="32.71")
        began = time.perf_counter()
        seed_demo(children=args.children, months=args.months, seed=2025, region_code="32.71")
        print(f"seed_demo: {args.children} anak dalam {time.perf_counter() - began:.0f} s")
    children, measurements = Child.objects.count(), Measurement.objects.count()
    latest = Measurement.objects.order_by("-measured_on").values_list("measured_on", flat=True)[0]
    month = latest.replace(day=1)
    today = min(timezone.localdate(), latest + dt.timedelta(days=1))
    print(f"data: {children:,} anak, {measurements:,} pengukuran; bulan {month:%Y-%m}")
    began = time.perf_counter()
    rows = stats_refresh_month(month=month, city_code="32.71", today=today)
    refresh_s = time.perf_counter() - began
    print(f"refresh satu bulan (kota): {refresh_s:.2f} s, {rows:,} baris")
    if not args.skip_history:
        began = time.perf_counter()
        for m in months_back(month, 13)[:-1]:
            stats_refresh_month(month=m, city_code="32.71", today=today)
        print(f"refresh 12 bulan sebelumnya: {time.perf_counter() - began:.1f} s")
    kota = Region.objects.get(code="32.71")
    kec = Region.objects.filter(level=Level.DISTRICT, code__startswith="32.71.").first()
    kel = Region.objects.filter(level=Level.VILLAGE, code__startswith="32.71.").first()
    _user("bench-tpps", role=Role.TPPS, region=kota)
    _user("bench-kec", role=Role.KECAMATAN_OFFICER, region=kec)
    _user("bench-kel", role=Role.KELURAHAN_OFFICER, region=kel)
    ok = True
    url = f"/komando/?period={month:%Y-%m}"
    for username in ("bench-tpps", "bench-kec", "bench-kel"):
        median, p95, queries = _time_page(username, url)
        passed = p95 < PAGE_P95_MS
        ok &= passed
        print(
            f"halaman /komando/ {username}: median {median:.1f} ms, p95 {p95:.1f} ms, "
            f"{queries} kueri SQL -> {_verdict(passed)} (p95 < {PAGE_P95_MS:.0f} ms)"
        )
    ov_began = time.perf_counter()
    ov = overview(_area_of_region(kota), month, today=today)
    pdf = rakor.render(ov, "pdf")
    pdf_s = time.perf_counter() - ov_began
    began = time.perf_counter()
    xlsx = rakor.render(overview(_area_of_region(kota), month, today=today), "xlsx")
    xlsx_s = time.perf_counter() - began
    (folder / "rakor.pdf").write_bytes(pdf)
    ok &= pdf_s < PDF_S
    print(
        f"rakor PDF kota: {pdf_s:.2f} s ({len(pdf):,} byte) -> {_verdict(pdf_s < PDF_S)} "
        f"(< {PDF_S:.0f} s); XLSX {xlsx_s:.2f} s ({len(xlsx):,} byte)"
    )
    return ok


def province(args: argparse.Namespace) -> bool:
    """Synthetic aggregates for 27 kab/kota, then the Kota Bogor page p95."""
    from django.db import connections
    from django.utils import timezone

    from tumbuh.accounts.models import Role
    from tumbuh.komando.indicators import INDICATORS, OPTIONAL
    from tumbuh.komando.jobs import months_back
    from tumbuh.komando.models import AreaLevel, AreaMonthStat
    from tumbuh.wilayah.models import Region
    from tumbuh.wilayah.services import region_load

    region_load(code="32.71")
    AreaMonthStat.objects.all().delete()
    codes = [i.code for i in INDICATORS if i.code not in OPTIONAL]
    month = timezone.localdate().replace(day=1)
    months = months_back(month, 13)
    rng = random.Random(9)
    now = timezone.now()
    copied = 0
    if args.stats_from:
        import dj_database_url

        connections.databases["source"] = {
            **connections.databases["default"],
            **dj_database_url.parse(args.stats_from),
        }
        source = AreaMonthStat.objects.using("source")
        month = source.order_by("-month").values_list("month", flat=True)[0]
        months = months_back(month, 13)
        batch = [
            AreaMonthStat(**{k: v for k, v in row.items() if k != "id"})
            for row in source.filter(month__in=months).values()
        ]
        AreaMonthStat.objects.bulk_create(batch, batch_size=5000)
        copied = len(batch)
    began = time.perf_counter()
    total = 0
    # 26 other kab/kota x 23 kecamatan x 10 desa (~6,000 desa/kelurahan like West Java);
    # --other-cities 0: Kota Bogor alone (the city page on PostgreSQL).
    for city_no in range(1, args.other_cities + 1):
        city_code = f"32.{city_no:02d}"
        rows: list[AreaMonthStat] = []
        for m in months:
            for kec_no in range(1, 24):
                kec_code = f"{city_code}.{kec_no:02d}"
                for desa_no in range(1, 11):
                    s = rng.randint(200, 1200)
                    d = int(s * rng.uniform(0.6, 0.95))
                    for code in codes:
                        value = s if code == "s" else rng.randint(0, d)
                        rows.append(
                            AreaMonthStat(
                                area_code=f"{kec_code}.{2000 + desa_no}",
                                level=AreaLevel.KELURAHAN,
                                parent_code=kec_code,
                                month=m,
                                indicator=code,
                                value=value,
                                denominator=d if code != "s" else None,
                                computed_at=now,
                            )
                        )
        AreaMonthStat.objects.bulk_create(rows, batch_size=10000)
        total += len(rows)
    if not copied:
        print("(tanpa --stats-from: Kota Bogor pun sintetis)")
        from tumbuh.komando.services import stats_refresh_month

        for m in months:
            stats_refresh_month(month=m, city_code="32.71")
    print(
        f"provinsi sintetis: {total + copied:,} baris agregat ({copied:,} disalin dari kota) "
        f"dalam {time.perf_counter() - began:.0f} s"
    )
    if connections["default"].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE komando_areamonthstat")
    _user("bench-prov-tpps", role=Role.TPPS, region=Region.objects.get(code="32.71"))
    median, p95, queries = _time_page("bench-prov-tpps", f"/komando/?period={month:%Y-%m}")
    passed = p95 < PROVINCE_P95_MS
    print(
        f"provinsi, halaman kota: median {median:.1f} ms, p95 {p95:.1f} ms, {queries} kueri "
        f"-> {_verdict(passed)} (p95 < {PROVINCE_P95_MS:.0f} ms)"
    )
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--database-url")
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--skip-history", action="store_true")
    parser.add_argument("--province", action="store_true")
    parser.add_argument("--stats-from")
    parser.add_argument(
        "--other-cities", type=int, default=26, help="synthetic kab/kota beside Kota Bogor"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="komando-bench-") as tmp:
        folder = Path(tmp)
        _setup(args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}", folder)
        ok = province(args) if args.province else city(args, folder)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
