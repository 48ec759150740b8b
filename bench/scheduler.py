"""Scheduler figures: the leader's take-over with many scheduled nudges, and lateness of nudges due together.

1. Take-over: 50,000 scheduled nudges (calls a week out) whose jobs are already stored for later. Timed: the
   sweep a new leader runs (`bot.work.nudges.sweep_nudges`: every scheduled nudge has its job), and an idle
   claim (`storage.jobs.claim` when nothing is due, what each worker's lookout does every second). Baseline,
   same run: a bare `SELECT count(*) FROM job`. On SQLite, and on PostgreSQL where one answers.
2. Lateness: N nudges (100, then 300) fall due at the same instant; one instance's job workers
   (`bot.app.build_instance(...).start()`, in this process) deliver them. Timed: from the due instant to each
   DM's arrival at the stand-in Slack (its own process, no rate limits, so this is wiift's own lateness).

    .venv/bin/python bench/scheduler.py [--pending 50000] [--together 100,300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert, text

from bench.standin_process import StandinProcess
from bot.app import build_instance, build_services
from bot.core.services import Services
from bot.core.settings import Settings
from bot.work.nudges import sweep_nudges
from bot.work.queue import NUDGE, nudge_key
from storage import jobs as job_store
from storage.db import make_engine, unit_of_work
from storage.models import Call, Deal, Job, Nudge, UserProfile

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
TEAM = "T0WIIFT"  # the stand-in's installing workspace
SELLERS = 500
CHUNK = 5_000


def _chunks(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def seed(engine: Engine, *, calls: int, due: datetime, spread_s: int, per_deal: int, lead: timedelta) -> None:
    """Bulk-insert sellers, deals, calls, their scheduled nudges and each nudge's job, ready at its due time."""
    now = datetime.now(UTC)
    deals = max(1, calls // per_deal)
    dues = [due + timedelta(seconds=i % spread_s) for i in range(calls)]
    tables: list[tuple[type, list[dict[str, object]]]] = [
        (
            UserProfile,
            [dict(team_id=TEAM, user_id=f"U{i:04d}", tz="America/New_York", tz_checked_at=now) for i in range(SELLERS)],
        ),
        (
            Deal,
            [
                dict(
                    id=i + 1, team_id=TEAM, channel_id=f"C{i + 1}", name=f"Deal {i + 1}", name_key=f"deal {i + 1}",
                    owner_id=f"U{i % SELLERS:04d}", is_private=False, stage="open", created_at=now, updated_at=now,
                )
                for i in range(deals)
            ],
        ),
        (
            Call,
            [
                dict(
                    id=i + 1, team_id=TEAM, deal_id=1 + i % deals, starts_at=dues[i] + lead, tz="America/New_York",
                    topic=None, booked_by="U0000", slot="booked", created_at=now,
                )
                for i in range(calls)
            ],
        ),
        (
            Nudge,
            [
                dict(id=i + 1, team_id=TEAM, call_id=i + 1, due_at=dues[i], state="scheduled", updated_at=now)
                for i in range(calls)
            ],
        ),
        (
            Job,
            [
                dict(
                    key=nudge_key(i + 1), kind=NUDGE, team_id=TEAM, payload=f'{{"nudge_id":{i + 1}}}', state="ready",
                    attempts=0, run_at=dues[i], turn_at=dues[i], created_at=now, updated_at=now,
                )
                for i in range(calls)
            ],
        ),
    ]  # fmt: skip
    with engine.begin() as connection:
        for table, rows in tables:
            for chunk in _chunks(rows):
                connection.execute(insert(table), chunk)


def best_of(runs: int, work: object) -> float:
    """The fastest of `runs` timings of `work()`, in seconds (the first run warms the caches)."""
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        work()  # type: ignore[operator]
        timings.append(time.perf_counter() - began)
    return min(timings)


def take_over(label: str, database_url: str, *, pending: int) -> None:
    settings = Settings(bot_token="xoxb-bench", signing_secret="s", api_url=None, database_url=database_url)
    services: Services = build_services(settings)
    began = time.perf_counter()
    seed(
        services.engine,
        calls=pending,
        due=datetime.now(UTC) + timedelta(days=7),
        spread_s=3600,
        per_deal=10,
        lead=timedelta(hours=1),
    )
    filling = time.perf_counter() - began

    def count() -> None:
        with services.engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM job")).scalar()

    armed: list[int] = []

    def sweep() -> None:
        armed.append(sweep_nudges(services, now=services.clock()))

    def idle_claim() -> None:
        with unit_of_work(services.engine) as session:
            assert not job_store.claim(session=session, worker="bench", now=services.clock(), lease=timedelta(30))

    baseline = best_of(3, count)
    swept = best_of(1, sweep)  # one pass: at 50,000 nudges it takes tens of seconds
    claimed = best_of(20, idle_claim)
    services.engine.dispose()
    assert set(armed) == {0}, f"the sweep armed jobs that were already stored: {armed}"
    print(f"  {label}: filling took {filling:.1f} s (not counted); count best of 3, sweep once, claim best of 20")
    print(f"    baseline SELECT count(*) FROM job:      {baseline * 1000:9.1f} ms")
    print(f"    leader's take-over sweep (sweep_nudges): {swept * 1000:9.1f} ms   ({swept / baseline:.0f}x baseline)")
    print(f"    idle claim (nothing due):                {claimed * 1000:9.2f} ms")


def lateness(count: int, *, standin: StandinProcess, already: int) -> list[float]:
    """Seconds from the due instant to each DM's arrival, for `count` nudges due together."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret="s",
            api_url=standin.base_url,
            database_url=f"sqlite:///{tmp}/late.db",
            nudge_lead_minutes=60,
        )
        instance = build_instance(settings)
        due = datetime.now(UTC) + timedelta(seconds=3)
        seed(instance.services.engine, calls=count, due=due, spread_s=1, per_deal=1, lead=timedelta(minutes=60))
        due_monotonic = time.monotonic() + (due - datetime.now(UTC)).total_seconds()
        instance.start()
        arrivals = standin.arrivals("chat.postMessage", already + count)[already:]
        instance.stop()
        print(f"  ({instance.workers.threads} job threads)", end="")
    return sorted(at - due_monotonic for at in arrivals)  # CLOCK_MONOTONIC is shared by both processes


def postgres_schema(url: str) -> tuple[Engine, str] | None:
    try:
        admin = make_engine(url)
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no PostgreSQL here: its figures are skipped, and the reason said
        print(f"  PostgreSQL: skipped ({type(exc).__name__})")
        return None
    return admin, schema


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pending", type=int, default=50_000)
    parser.add_argument("--together", default="100,300")
    parser.add_argument("--database-url", default=POSTGRES_URL, help="PostgreSQL for part 1 (a schema is made in it)")
    args = parser.parse_args()

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"1. take-over with {args.pending:,} scheduled nudges whose jobs are stored for later")
    with tempfile.TemporaryDirectory() as tmp:
        take_over("SQLite", f"sqlite:///{tmp}/bench.db", pending=args.pending)
    made = postgres_schema(args.database_url)
    if made is not None:
        admin, schema = made
        try:
            take_over("PostgreSQL", f"{args.database_url}?options=-csearch_path%3D{schema}", pending=args.pending)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    print("2. nudges falling due at the same instant, one instance's workers, DMs to the stand-in (no rate limits)")
    standin = StandinProcess(users=[f"U{i:04d}" for i in range(SELLERS)])
    worst = 0.0
    already = 0
    try:
        for count in (int(n) for n in args.together.split(",")):
            late = lateness(count, standin=standin, already=already)
            already += count
            worst = max(worst, late[-1])
            print(
                f"  {count} at once: p50 {statistics.median(late):.2f} s, max {late[-1]:.2f} s   "
                "target: each within 2 s"
            )
    finally:
        standin.stop()
    return 0 if worst <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
