"""Job throughput on PostgreSQL: deal updates through claim -> the stand-in Web API -> done, with 1, 2 and 3
`wiift run` instances on one database.

For each instance count, a fresh schema and that many `python -m bot.cli run` processes (each with
`--threads` job workers); once every `/healthz` answers, this process stores M deal-update jobs at once
(`bot.work.queue.keep_message`, over 30 `deal-` channels the stand-in knows, one seller with a time zone;
the first update in a channel creates its deal) and polls the job table until none is ready or running.
Rate = M / (last job finished - first job stored); latency per job = its `updated_at - created_at` (finished
minus stored), read from the job rows. The stand-in Slack runs in its own process, as Slack is remote.

    .venv/bin/python bench/job_queue.py [--jobs 1500] [--threads 8] [--instances 1,2,3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, text

from bench.standin_process import StandinProcess
from bot.app import build_services
from bot.core.settings import Settings
from bot.work.queue import DealMessage, keep_message
from storage.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
SECRET = "bench-secret"
TEAM = "T0WIIFT"  # the stand-in's installing workspace
SELLER = "USELLER"
CHANNELS = [(f"CDEAL{i:03d}", f"deal-bench-{i}") for i in range(30)]
TARGET = 150.0  # updates/s
BURST = 100.0  # updates/s: 1,000 workspaces x 200 sellers at their busiest (the brief's figure)
UPDATES = [
    "Need {deal} signed by Friday, I'm short on quota this quarter.",
    "Showed {deal} the new dashboard module, they loved the UI.",
    "{deal} went quiet after the pricing call, CFO hasn't replied in two weeks.",
    "Their ops lead says the manual routing costs {deal} two planners a day.",
    "Call with the {deal} COO tomorrow at 3 to walk through the rollout.",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_instances(count: int, *, url: str, api_url: str, threads: int) -> list[tuple[int, subprocess.Popen]]:  # type: ignore[type-arg]
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "SLACK_APP_TOKEN": "",
        "DATABASE_URL": url,
        "WIIFT_JOB_THREADS": str(threads),
        "WIIFT_LOG_LEVEL": "WARNING",
    }
    started = []
    for _ in range(count):
        port = _free_port()
        command = [sys.executable, "-m", "bot.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # an unread pipe would fill and stall the instance's logging
            start_new_session=True,
        )
        started.append((port, process))
    for port, process in started:
        wait_healthy(port, process)
    return started


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"wiift run exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("wiift run did not come up")


def stop_instances(started: list[tuple[int, subprocess.Popen]]) -> None:  # type: ignore[type-arg]
    for _port, process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for _port, process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_drained(engine: Engine, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            left = connection.execute(text("SELECT count(*) FROM job WHERE state IN ('ready', 'running')")).scalar()
        if not left:
            return
        time.sleep(0.05)
    raise TimeoutError("jobs still pending")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def run_once(count: int, *, jobs: int, threads: int, admin: Engine, base_url: str, api_url: str) -> dict[str, float]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base_url}?options=-csearch_path%3D{schema}"
    started: list[tuple[int, subprocess.Popen]] = []  # type: ignore[type-arg]
    try:
        started = start_instances(count, url=url, api_url=api_url, threads=threads)
        settings = Settings(bot_token="xoxb-bench", signing_secret=SECRET, api_url=api_url, database_url=url)
        services = build_services(settings, migrate=False)  # the instances migrated the schema
        messages = [
            DealMessage(
                team_id=TEAM,
                channel_id=CHANNELS[n % len(CHANNELS)][0],
                user_id=SELLER,
                ts=f"{1_800_000_000 + n}.{n % 1_000_000:06d}",
                text=UPDATES[n % len(UPDATES)].format(deal=f"Co{n % len(CHANNELS)}"),
            )
            for n in range(jobs)
        ]
        first = time.perf_counter()
        stored = sum(keep_message(services, message) for message in messages)
        storing = time.perf_counter() - first
        assert stored == jobs, f"only {stored} of {jobs} jobs stored"
        wait_drained(services.engine, timeout=600)
        with services.engine.connect() as connection:
            rows = connection.execute(text("SELECT state, created_at, updated_at FROM job WHERE kind = 'update'")).all()
            deals = connection.execute(text("SELECT count(*) FROM deal")).scalar()
        services.engine.dispose()
        done = [row for row in rows if row[0] == "done"]
        waits = [(finished - created).total_seconds() for _state, created, finished in done]
        span = (max(row[2] for row in rows) - min(row[1] for row in rows)).total_seconds()
        return dict(
            rate=len(done) / span,
            span=span,
            storing=storing,
            p50=percentile(waits, 0.50),
            p99=percentile(waits, 0.99),
            done=len(done),
            failed=len(rows) - len(done),
            deals=float(deals or 0),
        )
    finally:
        stop_instances(started)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=8, help="WIIFT_JOB_THREADS of each instance")
    parser.add_argument("--instances", default="1,2,3")
    parser.add_argument("--database-url", default=POSTGRES_URL, help="a PostgreSQL database (a schema is made in it)")
    args = parser.parse_args()
    counts = [int(n) for n in args.instances.split(",")]

    load = os.getloadavg()[0]
    admin = make_engine(args.database_url)
    standin = StandinProcess(users=[SELLER], channels=CHANNELS)
    results: dict[int, dict[str, float]] = {}
    try:
        for count in counts:
            results[count] = run_once(
                count, jobs=args.jobs, threads=args.threads, admin=admin, base_url=args.database_url,
                api_url=standin.base_url,
            )  # fmt: skip
    finally:
        standin.stop()
        admin.dispose()

    print(
        f"job throughput on PostgreSQL: {args.jobs} deal-update jobs stored at once, {len(CHANNELS)} deal channels, "
        f"{args.threads} job threads per `wiift run`, stand-in Slack in its own process, {os.cpu_count()} cores, "
        f"load average {load:.2f} before"
    )
    print(
        f"{'instances':>9} {'updates/s':>10} {'drain s':>8} {'store s':>8} {'p50 s':>7} {'p99 s':>7} "
        f"{'failed':>7} {'deals':>6}"
    )
    for count, r in results.items():
        print(
            f"{count:>9} {r['rate']:10.1f} {r['span']:8.1f} {r['storing']:8.1f} {r['p50']:7.2f} {r['p99']:7.2f} "
            f"{int(r['failed']):7d} {int(r['deals']):6d}"
        )
    best = max(r["rate"] for r in results.values())
    print(
        f"target: {TARGET:.0f} updates/s; best measured {best:.1f} updates/s: {'met' if best >= TARGET else 'NOT met'}"
    )
    one = results[counts[0]]["rate"] / counts[0]
    needed = math.ceil(BURST / one)
    print(
        f"capacity: 1,000 workspaces x 200 sellers (200,000 sellers) burst at {BURST:.0f} updates/s; measured "
        f"{best:.1f} updates/s at best here, {one:.1f} per instance alone: about {needed} instance(s) of this size "
        f"(on cores of their own) for the burst; {'met' if best >= BURST else 'NOT met'} on this machine"
    )
    return 0 if best >= TARGET and all(r["failed"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
