"""Concurrent weighings on the embedded SQLite default: errors and latency (ADR 0051).

Run by ``make bench`` (or ``.venv/bin/python benchmarks/concurrency_bench.py``). It builds a
fresh file SQLite database in a temporary folder (migrations, Kota Bogor's wilayah), registers
one child per writer through the registry's services, and then starts ``--writers`` threads at
the same moment (a barrier). Each thread is one kader recording ``--per-writer`` monthly
weighings of its own child, one after the other, with its own database connection:

* ``--mode services`` (default): ``measurement_record`` called directly, the write path every
  page, the API and the chatbot share;
* ``--mode http``: ``POST /api/v1/children/{id}/measurements`` over loopback HTTP against a
  threaded WSGI server in this process (one bearer token per kader);
* ``--mode chat``: ``POST /api/v1/chat`` (one conversation per writer; rate limits off), the
  chatbot's writes (conversation state, messages).

``--with-import ROWS`` runs an e-PPGBM import of ROWS rows (``run_job``, as the CLI does) in
another thread while the writers write: the import commits in groups (ADR 0051), so the
writers must still see no error, and the import must finish DONE.

Prints writes, errors (any exception or non-201 answer, with the first messages), p50/p95/max
latency and writes per second, then PASS/FAIL (0 errors). ``--old-settings`` runs the same load
with the settings before ADR 0051 (deferred transactions, 20 s timeout) for comparison.
``--json`` prints one JSON object instead (used by tests/field/test_sqlite_concurrency.py).
The temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PASSWORD = "bench-sandi-yang-panjang-1"


def _setup_django(folder: Path, *, old_settings: bool) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'concurrency_bench.sqlite3'}"
    os.environ["TUMBUH_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tumbuh.config.settings"
    os.environ["SECRET_KEY"] = "concurrency-bench-only-" + "x" * 40
    os.environ["DEBUG"] = "0"
    os.environ["TASKS_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if old_settings:
        options = settings.DATABASES["default"]["OPTIONS"]
        options.pop("transaction_mode", None)
        options["timeout"] = 20
        options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    call_command("migrate", verbosity=0, interactive=False)


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def build(writers: int, per_writer: int) -> tuple[list[Any], list[Any], dt.date]:
    """``writers`` kader of one posyandu, each with one child born ``per_writer + 13`` months
    before today (so every weighing date lies in the past)."""
    from django.utils import timezone

    from tumbuh.accounts.models import Role, User
    from tumbuh.registry.services import child_register
    from tumbuh.wilayah.models import Posyandu, Puskesmas, Region
    from tumbuh.wilayah.services import region_load

    region_load(code="32.71")
    sempur = Region.objects.get(code="32.71.03.1006")
    puskesmas = Puskesmas.objects.get(name="Sempur")
    puskesmas.service_area.add(sempur)
    posyandu = Posyandu.objects.create(name="Mawar", kelurahan=sempur, puskesmas=puskesmas)
    today = timezone.localdate()
    birth = _months_after(today, -(per_writer + 13))
    kader, children = [], []
    for n in range(writers):
        user = User(username=f"kader-{n}", role=Role.KADER, posyandu=posyandu)
        user.set_password(PASSWORD)
        user.save()
        kader.append(user)
        children.append(
            child_register(
                actor=user,
                name=f"Anak Uji {n}",
                sex=1 + n % 2,
                birth_date=birth,
                mother_name=f"Ibu Uji {n}",
                kelurahan=sempur,
                rw=1,
                rt=1 + n % 9,
                posyandu=posyandu,
                consent_given_by=f"Ibu Uji {n}",
                consent_relationship="Ibu",
                is_demo=True,
                not_duplicate=True,  # "Anak Uji 1" and "Anak Uji 10" are different children
                today=today,
            )
        )
    return kader, children, birth


def _values(sex: int, age_days: int) -> tuple[str, str]:
    """WHO median weight and length at ``age_days``: never flagged."""
    from tumbuh.growth.lms import value_at
    from tumbuh.growth.tables import Table, load

    weight = float(value_at(0.0, *load(Table.WFA).row(sex, age_days)))
    length = float(value_at(0.0, *load(Table.LHFA).row(sex, age_days)))
    return f"{weight:.2f}", f"{length:.1f}"


def _plan(child: Any, birth: dt.date, per_writer: int) -> list[dict[str, Any]]:
    rows = []
    for month in range(per_writer):
        day = _months_after(birth, 13 + month)
        weight, length = _values(child.person.sex, (day - birth).days)
        rows.append({"measured_on": day, "weight_kg": weight, "length_cm": length, "position": "l"})
    return rows


def _import_file(rows: int, birth: dt.date) -> bytes:
    """An e-PPGBM CSV of ``rows`` children in Sempur, one plausible weighing each."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Nama Balita", "JK", "Tgl Lahir", "Nama Ortu", "Desa/Kelurahan",
                     "Kecamatan", "Tanggal Pengukuran", "Berat (kg)", "Tinggi (cm)",
                     "Cara Ukur"])  # fmt: skip
    for n in range(rows):
        sex = 1 + n % 2
        day = _months_after(birth, 1 + n % 12)
        weight, length = _values(sex, (day - birth).days)
        writer.writerow([f"Anak Impor {n:06d}", "L" if sex == 1 else "P",
                         birth.strftime("%d/%m/%Y"), f"Ibu Impor {n:06d}", "Sempur",
                         "Bogor Tengah", day.strftime("%d/%m/%Y"), weight, length,
                         "berbaring"])  # fmt: skip
    return out.getvalue().encode()


def run_load(
    *,
    writers: int,
    per_writer: int,
    mode: str,
    old_settings: bool = False,
    with_import: int = 0,
) -> dict[str, Any]:
    """Build a fresh database, run the load once, return the figures."""
    with tempfile.TemporaryDirectory(prefix="tumbuh-conc-") as tmp:
        _setup_django(Path(tmp), old_settings=old_settings)
        from django.db import connection, connections

        kader, children, birth = build(writers, per_writer)
        plans = [_plan(c, birth, per_writer) for c in children]
        connection.close()
        server = None
        base = ""
        tokens: list[str] = []
        if mode == "http":
            from tumbuh.api.services import token_create

            tokens = [token_create(actor=u, user=u, name="bench")[1] for u in kader]
        if mode in ("http", "chat"):
            from django.conf import settings

            settings.CHAT_RATE_PER_MINUTE = 0
            settings.CHAT_RATE_PER_IP_MINUTE = 0
            connection.close()
            server, base = _start_server()
        import_job = None
        if with_import:
            from tumbuh.accounts.models import User
            from tumbuh.imports import jobs

            admin = User.objects.create(username="bench-admin", is_superuser=True)
            import_job = jobs.job_create(
                actor=admin, file_name="bench.csv", data=_import_file(with_import, birth)
            )
            connection.close()
        barrier = threading.Barrier(writers)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def writer(n: int) -> None:
            from tumbuh.registry.models import Child
            from tumbuh.registry.services import measurement_record

            client = None
            if mode in ("http", "chat"):
                import httpx

                headers = {"Authorization": f"Bearer {tokens[n]}"} if mode == "http" else {}
                client = httpx.Client(base_url=base, headers=headers, timeout=120)
            child = Child.objects.select_related("person").get(pk=children[n].pk)
            connections.close_all()
            barrier.wait()
            for i, row in enumerate(plans[n]):
                start = time.perf_counter()
                try:
                    if mode == "chat":
                        assert client is not None
                        answer = client.post("/api/v1/chat", json={
                            "conversation": f"bench-{n}", "text": ("halo", "apa itu stunting",
                            "anak saya 2 tahun tinggi 80 cm", "terima kasih")[i % 4]})  # fmt: skip
                        if answer.status_code != 200:
                            raise RuntimeError(f"HTTP {answer.status_code}: {answer.text[:200]}")
                    elif client is not None:
                        body = {**row, "measured_on": row["measured_on"].isoformat()}
                        answer = client.post(f"/api/v1/children/{child.pk}/measurements",
                                             json={**body, "confirmed": True})  # fmt: skip
                        if answer.status_code != 201:
                            raise RuntimeError(f"HTTP {answer.status_code}: {answer.text[:200]}")
                    else:
                        measurement_record(actor=kader[n], child=child, **row)
                except Exception as exc:  # every failure counts, whatever it is
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:300])
                else:
                    with lock:
                        latencies.append((time.perf_counter() - start) * 1000)
            if client is not None:
                client.close()
            connections.close_all()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        imported: dict[str, Any] = {}

        def importer() -> None:
            from tumbuh.imports import jobs

            assert import_job is not None
            started = time.perf_counter()
            done = jobs.run_job(import_job)
            seconds = round(time.perf_counter() - started, 1)
            imported.update(
                status=str(done.status),
                seconds=seconds,
                measurements=done.measurements_created,
                problems=(done.error_report or done.message or "")[:300],
            )
            connections.close_all()

        if import_job is not None:
            threads.append(threading.Thread(target=importer))
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        if server is not None:
            server.shutdown()
        from tumbuh.registry.models import Measurement

        stored = Measurement.objects.exclude(source="import").count()
        connection.close()
    ordered = sorted(latencies)
    return {
        "mode": mode,
        "writers": writers,
        "per_writer": per_writer,
        "old_settings": old_settings,
        "attempted": writers * per_writer,
        "ok": len(latencies),
        "stored": stored,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 1) if ordered else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "writes_per_s": round(len(latencies) / elapsed, 1) if elapsed else None,
        "import": imported,
    }


def _start_server() -> tuple[Any, str]:
    """A threaded WSGI server on a free loopback port, serving the whole site."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 128  # the listen backlog (socketserver's default 5 resets clients)

    server = Server(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--per-writer", type=int, default=4)
    parser.add_argument("--mode", choices=("services", "http", "chat"), default="services")
    parser.add_argument("--with-import", type=int, default=0, metavar="ROWS")
    parser.add_argument("--old-settings", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = run_load(
        writers=args.writers,
        per_writer=args.per_writer,
        mode=args.mode,
        old_settings=args.old_settings,
        with_import=args.with_import,
    )
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"Concurrent weighings on SQLite ({figures['mode']}, "
        f"{'settings before ADR 0051' if args.old_settings else 'WAL + IMMEDIATE + busy timeout'})"
    )
    print(
        f"  {figures['writers']} writers x {figures['per_writer']} "
        f"{'chat messages' if args.mode == 'chat' else 'weighings'}: "
        f"{figures['ok']} stored of {figures['attempted']}, errors {figures['errors']}"
    )
    print(
        f"  latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
        f"max {figures['max_ms']} ms; {figures['writes_per_s']} writes/s"
    )
    if figures["import"]:
        print(
            f"  import beside them: {args.with_import} rows, {figures['import']['status']}, "
            f"{figures['import']['measurements']} measurements in {figures['import']['seconds']} s"
        )
        if figures["import"]["status"] != "done":
            print(f"  import problems: {figures['import']['problems']}")
    for sample in figures["error_samples"]:
        print(f"  error: {sample}")
    stored_ok = args.mode == "chat" or figures["stored"] == figures["attempted"]
    import_ok = not figures["import"] or figures["import"]["status"] == "done"
    ok = figures["errors"] == 0 and stored_ok and import_ok
    print("PASS: 0 errors" if ok else "FAIL: errors under concurrent writes")
    return 0 if ok or args.old_settings else 1


if __name__ == "__main__":
    sys.exit(main())
