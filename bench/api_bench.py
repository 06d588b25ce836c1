"""API list throughput against a bare Django JSON view on the same server (DESIGN.md §9:
the API list answers at least 50 % as many requests per second, with no errors).

    .venv/bin/python bench/api_bench.py --referrals 2000 --seconds 20 --connections 8

Builds a SQLite database under ``var/bench/`` (or uses PostgreSQL with ``--postgres-url``): a
service provider with ``--referrals`` referrals (invented data, made with the test factories)
and a caseworker with a read-only API token. Starts gunicorn (``--workers`` sync workers) on
the app with one extra URL, a bare Django JSON view answering the same 50 rows
(``bench/api_bench_urls.py``). Then, for each endpoint in turn, ``--connections`` client threads
with keep-alive connections request it for ``--seconds`` after a warm-up, and the harness counts
answers per second, errors (anything but 200) and latency percentiles. Prints a Markdown table
and writes JSON to ``var/bench/api_bench.json``. It measures; it never fails on a budget.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"


def main() -> None:
    args = _arguments()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "static").mkdir(exist_ok=True)
    env = _environment(args)
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    import django

    django.setup()
    token = _prepare(args)
    port = _free_port()
    server = _serve(env, port, args.workers)
    try:
        _wait_for(port)
        results = [
            _load("bare Django JSON view", port, "/bench/bare-referrals", None, args),
            _load("API list", port, "/api/v1/referrals?limit=50", token, args),
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ratio = results[1]["rps"] / results[0]["rps"] if results[0]["rps"] else 0.0
    _report(results, ratio, args)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--fresh", action="store_true")
    return parser.parse_args()


def _environment(args: argparse.Namespace) -> dict[str, str]:
    if args.postgres_url:
        url = args.postgres_url
    else:
        path = BENCH_DIR / f"api_bench_{args.referrals}.sqlite3"
        if args.fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    return {
        "DJANGO_SETTINGS_MODULE": "api_bench_settings",
        "ATPAZIT_VAR_DIR": str(BENCH_DIR),
        "DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
    }


def _prepare(args: argparse.Namespace) -> str:
    """Migrate, fill the provider's referrals once, and make a fresh read-only token."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from atpazit.accounts.models import User
    from atpazit.accounts.tests.factories import actor_of, member
    from atpazit.api.services import create_token
    from atpazit.referrals.models import Referral
    from atpazit.referrals.tests.factories import referral_to

    # A database made by an earlier run is reused (the factories' names would collide).
    caseworker = User.objects.filter(memberships__role="caseworker").order_by("pk").first()
    caseworker = caseworker or member("caseworker")
    provider = caseworker.memberships.get().organisation
    existing = Referral.objects.count()
    if existing < args.referrals:
        Referral.objects.update(to_organisation=provider)
        for _ in range(args.referrals - existing):
            referral_to(provider)
    Referral.objects.update(to_organisation=provider)
    made = create_token(
        actor=actor_of(caseworker),
        name="Benchmark",
        scope="read",
        expires_on=timezone.localdate() + dt.timedelta(days=1),
    )
    return made.secret


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        "atpazit.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--keep-alive=30",
        "--log-level=warning",
    ]
    return subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command, env={**os.environ, **env}, cwd=ROOT, start_new_session=True
    )


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def _load(
    name: str, port: int, url: str, token: str | None, args: argparse.Namespace
) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    _run(port, url, headers, args.connections, args.warmup)
    latencies, errors, elapsed = _run(port, url, headers, args.connections, args.seconds)
    ordered = sorted(latencies)
    return {
        "endpoint": name,
        "url": url,
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p95_ms": ordered[int(len(ordered) * 0.95) - 1] * 1000 if ordered else 0.0,
    }


def _run(
    port: int, url: str, headers: dict[str, str], connections: int, seconds: float
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.monotonic() - began


def _report(results: list[dict[str, object]], ratio: float, args: argparse.Namespace) -> None:
    print(f"| Endpoint | Requests/s | p50 ms | p95 ms | Errors |  ({args.connections} connections,")
    print(f"|---|---|---|---|---|  {args.workers} gunicorn workers, {args.seconds:g} s)")
    for r in results:
        print(
            f"| {r['endpoint']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['errors']} |"
        )
    print(f"\nAPI / bare: {ratio:.0%} (budget: at least 50 %, 0 errors)")
    out = {"results": results, "ratio": ratio, "arguments": vars(args)}
    (BENCH_DIR / "api_bench.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
