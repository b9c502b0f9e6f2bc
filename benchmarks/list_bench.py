"""List pages under 50 concurrent users (issue 12 item 3): p95 per role against 300 ms.

Run by ``make bench`` (or ``.venv/bin/python benchmarks/list_bench.py [--children N]``;
``--children 84000`` is Kota Bogor's city scale, as ``seed_demo --scale city``). It builds a
fresh file SQLite database in a temporary folder with the demo city (``seed_demo``), serves the
whole site as ``make run`` does (gunicorn, ``--workers`` x 4 threads, on a free loopback port;
``--server thread`` for a threaded WSGI server in this process), and starts ``--users``
client threads at one barrier, half of them the demo TPPS (the whole city) and half the demo
kader (one posyandu). Each signed-in client GETs ``--requests`` list pages one after the other:
``/anak/?page=<random>`` (TPPS and kader) and ``/timbang/`` (kader). Nothing leaves 127.0.0.1.

Prints pages, errors, p50/p95/max per role and PASS/FAIL for every p95 against 300 ms. The
temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET_MS = 300.0


def _setup(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'list_bench.sqlite3'}"
    os.environ["TUMBUH_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tumbuh.config.settings"
    os.environ["SECRET_KEY"] = "list-bench-only-" + "x" * 40
    os.environ["DEBUG"] = "0"
    os.environ["TASKS_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _cookie(username: str) -> str:
    from django.test import Client

    from tumbuh.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(q * len(ordered) + 0.999999) - 1)]


def _gunicorn(folder: Path, workers: int) -> tuple[Any, str]:
    """gunicorn with ``make run``'s options on a free loopback port, the bench's database."""
    import socket
    import subprocess

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "SECURE_COOKIES": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tumbuh.config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4",
         "--worker-class", "gthread", "--backlog", "2048", "--log-level", "warning"],
        env=env, cwd=str(root),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/akun/masuk/", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.1)

    class Stop:
        def shutdown(self) -> None:
            process.terminate()
            process.wait(timeout=30)

    return Stop(), base


def run(
    *, children: int, users: int, requests: int, server_kind: str = "gunicorn", workers: int = 3
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tumbuh-list-") as tmp:
        _setup(Path(tmp))
        from concurrency_bench import _start_server  # type: ignore[import-not-found]
        from django.db import connection, connections

        from tumbuh.registry.demo.seed import seed_demo

        started = time.perf_counter()
        seed_demo(children=children, months=6, seed=3)
        seeded_s = time.perf_counter() - started
        cookies = {name: _cookie(name) for name in ("demo-tpps", "demo-kader")}
        connection.close()
        server, base = _start_server() if server_kind == "thread" else _gunicorn(Path(tmp), workers)
        barrier = threading.Barrier(users)
        times: dict[str, list[float]] = {"tpps /anak/": [], "kader /anak/": [],
                                         "kader /timbang/": []}  # fmt: skip
        errors: list[str] = []
        lock = threading.Lock()

        def client(n: int) -> None:
            import httpx

            role = "tpps" if n % 2 == 0 else "kader"
            rng = random.Random(n)
            http = httpx.Client(base_url=base, cookies={"sessionid": cookies[f"demo-{role}"]},
                                timeout=120, follow_redirects=False)  # fmt: skip
            barrier.wait()
            for i in range(requests):
                path = "/timbang/" if role == "kader" and i % 2 else "/anak/"
                url = path + (f"?page={rng.randint(1, 40)}" if path == "/anak/" else "")
                start = time.perf_counter()
                try:
                    answer = http.get(url)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{url}: HTTP {answer.status_code}")
                except Exception as exc:  # every failure counts
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:200])
                    continue
                with lock:
                    times[f"{role} {path}"].append((time.perf_counter() - start) * 1000)
            http.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(users)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        server.shutdown()
        connections.close_all()
    return {
        "children": children,
        "users": users,
        "seeded_s": round(seeded_s, 1),
        "pages": sum(len(v) for v in times.values()),
        "pages_per_s": round(sum(len(v) for v in times.values()) / elapsed, 1),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:3],
        "roles": {
            key: {
                "n": len(v),
                "p50_ms": round(statistics.median(v), 1),
                "p95_ms": round(_percentile(v, 0.95), 1),
                "max_ms": round(max(v), 1),
            }
            for key, v in times.items()
            if v
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=6)
    parser.add_argument("--server", choices=("gunicorn", "thread"), default="gunicorn")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    figures = run(
        children=args.children,
        users=args.users,
        requests=args.requests,
        server_kind=args.server,
        workers=args.workers,
    )
    print(
        f"List pages, {figures['users']} concurrent users, {figures['children']} demo children "
        f"(seeded in {figures['seeded_s']} s): {figures['pages']} pages, "
        f"{figures['pages_per_s']} pages/s, errors {figures['errors']}"
    )
    ok = figures["errors"] == 0
    for key, row in figures["roles"].items():
        passed = row["p95_ms"] < TARGET_MS
        ok = ok and passed
        print(
            f"  {key:<16} n={row['n']:<4} p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
            f"max {row['max_ms']:>7} ms  {'PASS' if passed else 'FAIL'} (p95 < {TARGET_MS:.0f})"
        )
    for sample in figures["error_samples"]:
        print(f"  error: {sample}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
