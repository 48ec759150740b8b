"""Scheduler figures: start-up with many pending nudges, and lateness of nudges that fall due together.

1. Start-up: 50,000 pending nudges (calls a week out) sit in the job store. How long until a fresh
   `wiift run` process's scheduler is ready (lease taken, nudges reconciled, jobs armed)? Baseline, same
   run: a bare APScheduler BackgroundScheduler starting on the very same job store.
2. Lateness: 300 nudges fall due at the same instant. How late does each DM reach the stand-in Slack
   (run in its own process, with no rate limits, so this is wiift's own lateness)?

    .venv/bin/python bench/scheduler.py [--pending 50000] [--together 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from bot.runtime import Runtime
from sqlalchemy import insert

from bench.standin_process import StandinProcess
from bot.app import build_client, build_services
from bot.core.settings import Settings
from bot.jobs.scheduler import JOB_TABLE, Jobs
from storage.models import Call, Deal, Nudge, UserProfile

SELLERS = 500


def seed(  # type: ignore[no-untyped-def]
    services, *, calls: int, starts: datetime, lead: timedelta, first_id: int, spread_s: int, per_deal: int
) -> list[tuple[int, datetime]]:
    """Bulk-insert deals, calls and scheduled nudges; returns (nudge id, due) for each."""
    now = datetime.now(UTC)
    deals_needed = max(1, calls // per_deal)
    with services.engine.begin() as connection:
        if first_id == 1:  # sellers who post updates have their Slack time zone cached already
            connection.execute(
                insert(UserProfile),
                [
                    dict(team_id="T1", user_id=f"U{i:04d}", tz="America/New_York", tz_checked_at=now)
                    for i in range(SELLERS)
                ],
            )
        connection.execute(
            insert(Deal),
            [
                dict(
                    id=first_id + i,
                    team_id="T1",
                    channel_id=f"C{first_id + i}",
                    name=f"Deal {first_id + i}",
                    name_key=f"deal {first_id + i}",
                    owner_id=f"U{i % SELLERS:04d}",
                    is_private=False,
                    stage="open",
                    created_at=now,
                    updated_at=now,
                )
                for i in range(deals_needed)
            ],
        )
        connection.execute(
            insert(Call),
            [
                dict(
                    id=first_id + i,
                    team_id="T1",
                    deal_id=first_id + i % deals_needed,
                    starts_at=starts + timedelta(seconds=i % spread_s),
                    tz="America/New_York",
                    topic=None,
                    booked_by="U0000",
                    slot="booked",
                    created_at=now,
                )
                for i in range(calls)
            ],
        )
        connection.execute(
            insert(Nudge),
            [
                dict(
                    id=first_id + i,
                    team_id="T1",
                    call_id=first_id + i,
                    due_at=starts + timedelta(seconds=i % spread_s) - lead,
                    state="scheduled",
                    updated_at=now,
                )
                for i in range(calls)
            ],
        )
    return [(first_id + i, starts + timedelta(seconds=i % spread_s) - lead) for i in range(calls)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pending", type=int, default=50_000)
    parser.add_argument("--together", type=int, default=300)
    args = parser.parse_args()

    standin = StandinProcess(users=[f"U{i:04d}" for i in range(SELLERS)])
    base_url = standin.base_url
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret="s",
            api_url=base_url,
            database_url=f"sqlite:///{tmp}/bench.db",
            nudge_lead_minutes=60,
        )
        services = build_services(settings)
        client = build_client(settings)

        # -- 1. start-up with pending nudges ---------------------------------------------------------------
        week_out = datetime.now(UTC) + timedelta(days=7)
        pending = seed(
            services,
            calls=args.pending,
            starts=week_out,
            lead=timedelta(hours=1),
            first_id=1,
            spread_s=3600,
            per_deal=10,
        )
        store_only = Jobs(services.engine)
        store_only.start(Runtime(services=services, client=client), lead=False)
        began = time.perf_counter()
        for nudge_id, due in pending:
            store_only.schedule_nudge(nudge_id, run_at=due, call_starts=due + timedelta(hours=1))
        filling = time.perf_counter() - began
        store_only.shutdown()

        bare = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=services.engine, tablename=JOB_TABLE)}, timezone=UTC
        )
        began = time.perf_counter()
        bare.start(paused=False)
        bare_ready = time.perf_counter() - began
        bare.shutdown(wait=True)

        jobs = Jobs(services.engine)
        services = replace(services, jobs=jobs)
        began = time.perf_counter()
        jobs.start(Runtime(services=services, client=client), lead=True)
        ready = time.perf_counter() - began
        assert jobs.leading and len(jobs.job_ids()) >= args.pending

        # -- 2. nudges falling due together ----------------------------------------------------------------
        due_at = datetime.now(UTC) + timedelta(seconds=3)
        together = seed(
            services,
            calls=args.together,
            starts=due_at + timedelta(minutes=60),
            lead=timedelta(minutes=60),
            first_id=args.pending + 1,
            spread_s=1,
            per_deal=1,
        )
        due_monotonic = time.monotonic() + (due_at - datetime.now(UTC)).total_seconds()
        for nudge_id, due in together:
            jobs.schedule_nudge(nudge_id, run_at=due, call_starts=due + timedelta(minutes=60))
        arrivals = standin.arrivals("chat.postMessage", args.together)
        jobs.shutdown()
        services.engine.dispose()

    standin.stop()
    lateness = sorted(at - due_monotonic for at in arrivals)  # CLOCK_MONOTONIC is shared by both processes
    print(
        f"start-up with {args.pending:,} pending nudges in the job store (filling it took {filling:.1f} s, not counted)"
    )
    print(f"  bare APScheduler start on the same store: {bare_ready * 1000:8.1f} ms")
    print(f"  wiift scheduler ready (lease, reconcile, armed): {ready * 1000:8.1f} ms   target < 5,000 ms")
    print(f"{args.together} nudges falling due at the same instant, DMs to the stand-in Slack (no rate limits)")
    print(
        f"  lateness: p50 {statistics.median(lateness):.2f} s, p99 {lateness[int(len(lateness) * 0.99) - 1]:.2f} s, "
        f"max {lateness[-1]:.2f} s   target: each within 2 s"
    )
    return 0 if ready < 5 and lateness[-1] <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
