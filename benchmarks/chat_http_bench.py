"""Chat HTTP benchmark: messages per second through ``POST /api/v1/chat`` (target >= 100/s).

Run by ``make bench`` (or ``.venv/bin/python benchmarks/chat_http_bench.py``). It builds a fresh
SQLite database in a temporary folder (migrations, Kota Bogor's wilayah), then starts the Django
app in a separate process under a real WSGI server (the standard library's ``wsgiref``, one
thread per request) on 127.0.0.1 only, and sends a bounded number of chat messages from
client threads over plain HTTP: growth checks in free text, questions for the knowledge base,
greetings, a kelurahan, each conversation a few turns long. Every reply is checked (HTTP 200,
non-empty reply). A hard time limit stops the run; the server is always terminated and the
folder removed.

Prints messages/s, latency median and p95, errors, then PASS/FAIL against the target.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_PER_SECOND = 100.0
MESSAGES = [
    "anak laki2 1 thn 8 bln tinggi 78 cm bb 9,5 kg",
    "apa itu stunting",
    "kapan mulai mpasi",
    "halo",
    "Sempur",
    "asi saya sedikit gimana ya",
    "anak perempuan 2 tahun tinggi 86 cm berat 12 kg",
    "tablet tambah darah ibu hamil diminum kapan",
]
TURNS_PER_CONVERSATION = 4


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'chat_bench.sqlite3'}",
        TUMBUH_VAR_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="tumbuh.config.settings",
        SECRET_KEY="chat-bench-only-" + "x" * 40,
        DEBUG="0",
        CHAT_RATE_PER_IP_MINUTE="0",  # every client is 127.0.0.1 here
        CHAT_RATE_PER_MINUTE="1000",
        OMP_NUM_THREADS="1",
        LOG_LEVEL="ERROR",
    )
    return env


def serve(port: int) -> None:
    """The server process: Django under wsgiref with a thread per request."""
    import django

    django.setup()
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application

    from tumbuh.messaging.bot import get_bot

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True
        request_queue_size = 128

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    app = get_wsgi_application()
    get_bot()  # build the index before the first request (as a warm worker would be)
    httpd = make_server("127.0.0.1", port, app, server_class=Server, handler_class=Quiet)
    print("ready", flush=True)
    httpd.serve_forever()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(port: int, conversation: str, text: str) -> tuple[int, float, str]:
    body = json.dumps({"conversation": conversation, "text": text})
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/api/v1/chat", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    elapsed = time.perf_counter() - start
    reply = json.loads(data).get("reply", "") if response.status == 200 else ""
    return response.status, elapsed, reply


def run(port: int, total: int, clients: int, limit_s: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + limit_s

    def worker(index: int) -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            conversation = f"bench-{index}-{n // TURNS_PER_CONVERSATION}"
            try:
                status, elapsed, reply = _post(port, conversation, MESSAGES[n % len(MESSAGES)])
                ok = status == 200 and bool(reply)
            except (OSError, ValueError, http.client.HTTPException):
                ok, elapsed = False, 0.0
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    for i in range(20):  # warm-up, not counted
        _post(port, f"warm-{i}", MESSAGES[i % len(MESSAGES)])
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    done = len(latencies)
    return {
        "done": done,
        "errors": errors,
        "wall": wall,
        "rate": done / wall if wall else 0.0,
        "median_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) > 20 else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--limit", type=float, default=60.0, help="hard time limit, seconds")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0

    with tempfile.TemporaryDirectory(prefix="tumbuh-chat-bench-") as tmp:
        folder = Path(tmp)
        env = _env(folder)
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        subprocess.run(
            [*manage, "load_wilayah", "32.71"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            if line.strip() != "ready":
                print("server did not start", file=sys.stderr)
                return 1
            result = run(port, args.messages, args.clients, args.limit)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(
        f"chat over HTTP (POST /api/v1/chat, wsgiref threads, SQLite, {args.clients} clients): "
        f"{result['done']:.0f} messages in {result['wall']:.2f} s = {result['rate']:.0f} msg/s; "
        f"median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms; "
        f"errors {result['errors']:.0f}"
    )
    ok = result["rate"] >= TARGET_PER_SECOND and result["errors"] == 0
    print(f"{'PASS' if ok else 'FAIL'}: target >= {TARGET_PER_SECOND:.0f} msg/s, no errors")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
