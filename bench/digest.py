"""Composing the weekly digest for a large workspace: 10,000 people owning 10 deals each, in SQLite.

Run from the repo root: python bench/digest.py [--users N]. The synthetic data (deals, stakeholders,
notes, updates over two weeks, coaching questions, "not helpful" marks, calls) is written by a child
process with bulk inserts, so its memory never counts here. This process then times:

- baseline: reading the same rows the digests need (the same batched queries, rows fetched and dropped);
- the due scan: who is owed a digest and when (what every 5-minute tick does);
- compose: every person's digest, built to Block Kit and dropped (nothing is sent).

Memory is the process's resident set (RSS, from /proc/self/statm) after each 1,000 people composed,
and the peak RSS of the whole run (getrusage ru_maxrss): flat RSS as people grow is what batching buys.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.work.deal_facts import load_weeks  # noqa: E402
from bot.work.digest import BATCH, compose_many  # noqa: E402
from bot.work.weekly import WEEK, digest_slot  # noqa: E402
from storage import activity  # noqa: E402
from storage.db import init_db, make_engine, unit_of_work  # noqa: E402
from storage.digests import digest_candidates  # noqa: E402
from storage.feedback import muted_lenses_for, unhelpful_counts  # noqa: E402

TEAM = "TBENCH"
TZS = ("America/New_York", "Europe/London", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin")
NOW = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # Monday evening in London: everyone's slot has passed
LENSES = ("wiift", "personal_driver", "cost_of_inaction", "alignment", "call_prep")
SIGNALS = ("customer_value", "seller_pressure", "self_pitch", "stall", "stakeholder customer_value", "objection")
PAGE = 4096


def _t(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # how SQLAlchemy stores UTCDateTime in SQLite


def generate(path: str, users: int, deals_per_user: int) -> None:
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    engine.dispose()
    rng = random.Random(7)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA journal_mode=WAL")
    old = _t(NOW - timedelta(days=60))
    deals, people, notes, updates, questions, calls, profiles, marks = [], [], [], [], [], [], [], []
    deal_id = question_id = 0
    for u in range(users):
        user = f"U{u:07d}"
        profiles.append((TEAM, user, TZS[u % len(TZS)], _t(NOW), None, 1, 0, 480))
        for d in range(deals_per_user):
            deal_id += 1
            channel = f"C{deal_id:08d}"
            touched = _t(NOW - timedelta(hours=rng.randrange(1, 24 * 20)))
            stage = "open" if d < deals_per_user - 1 else rng.choice(("open", "won", "lost"))
            deals.append((deal_id, TEAM, channel, f"Deal {deal_id}", f"deal {deal_id}", user, 0, stage, old, touched))
            for name in ("Dana", "CFO"):
                people.append((TEAM, deal_id, name, name.lower(), _t(NOW - timedelta(days=rng.randrange(1, 30)))))
            for n in range(4):
                lens = rng.choice(LENSES)
                who = "Dana" if lens == "personal_driver" else None
                when = _t(NOW - timedelta(hours=rng.randrange(1, 24 * 30)))
                notes.append((TEAM, deal_id, user, lens, who, f"note {n} on deal {deal_id}", "thread", None, when))
            for n in range(3):
                when = NOW - timedelta(hours=rng.randrange(1, 24 * 14))
                ts = f"{deal_id}.{n}"
                updates.append((TEAM, deal_id, channel, ts, user, rng.choice(SIGNALS), "question", _t(when)))
                if n < 2:
                    question_id += 1
                    questions.append(
                        (
                            question_id,
                            TEAM,
                            deal_id,
                            channel,
                            ts,
                            ts,
                            user,
                            rng.choice(LENSES),
                            None,
                            "What does the buyer gain?",
                            None,
                            _t(when),
                        )
                    )
                    if rng.random() < 0.05:
                        marks.append((TEAM, user, question_id, questions[-1][7], _t(when)))
            if d % 3 == 0:
                starts = _t(NOW + timedelta(hours=rng.randrange(2, 24 * 10)))
                calls.append((TEAM, deal_id, starts, "UTC", "review", user, "booked", old))
    inserts = {
        "deal": deals,
        "stakeholder (team_id, deal_id, name, name_key, created_at)": people,
        "note (team_id, deal_id, author_id, lens, stakeholder, text, source, source_ts, created_at)": notes,
        "dealupdate (team_id, deal_id, channel_id, message_ts, user_id, signals, reply, created_at)": updates,
        "askedquestion": questions,
        "call (team_id, deal_id, starts_at, tz, topic, booked_by, slot, created_at)": calls,
        "userprofile": profiles,
        "feedback (team_id, user_id, question_id, lens, created_at)": marks,
    }
    with db:
        for table, rows in inserts.items():
            db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    db.execute("ANALYZE")
    db.close()
    print(
        f"data: {users:,} people, {len(deals):,} deals, {len(people):,} stakeholders, {len(notes):,} notes, "
        f"{len(updates):,} updates, {len(questions):,} questions, {len(marks):,} marks, {len(calls):,} calls"
    )


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def read_only(engine: object, users: list[str]) -> int:
    """The same batched queries the digests run, rows fetched and dropped: the cost of reading alone."""
    rows = 0
    for start in range(0, len(users), BATCH):
        batch = users[start : start + BATCH]
        with unit_of_work(engine) as session:  # type: ignore[arg-type]
            deals = activity.deals_owned_by(session=session, team_id=TEAM, user_ids=batch)
            ids = [d.id or 0 for d in deals]
            since, last = NOW - WEEK, NOW - 2 * WEEK
            rows += len(deals)
            rows += len(activity.updates_by(session=session, team_id=TEAM, user_ids=batch, since=last, until=NOW))
            rows += len(activity.lens_marks(session=session, deal_ids=ids))
            rows += len(activity.stakeholders_of(session=session, deal_ids=ids))
            rows += len(activity.fact_marks(session=session, deal_ids=ids))
            rows += len(activity.update_counts(session=session, deal_ids=ids, since=since, until=NOW))
            rows += len(activity.notes_added(session=session, deal_ids=ids, since=since, until=NOW))
            rows += len(activity.calls_between(session=session, deal_ids=ids, since=NOW, until=NOW + WEEK))
            rows += len(muted_lenses_for(session=session, team_id=TEAM, user_ids=batch, now=NOW))
            rows += len(unhelpful_counts(session=session, team_id=TEAM, user_ids=batch, since=since, until=NOW))
            rows += len(activity.questions_asked(session=session, deal_ids=ids, user_ids=batch, since=since, until=NOW))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--deals", type=int, default=10)
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.users, args.deals)
        return 0

    with tempfile.TemporaryDirectory(prefix="wiift-bench-") as tmp:
        path = str(Path(tmp) / "digest.db")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--generate", path, "--users", str(args.users), "--deals", str(args.deals)],
            check=True,
        )
        print(f"generated in {time.perf_counter() - started:.1f} s (a separate process)")
        engine = make_engine(f"sqlite:///{path}")
        users = [f"U{u:07d}" for u in range(args.users)]
        tz_of = {u: TZS[i % len(TZS)] for i, u in enumerate(users)}
        with unit_of_work(engine) as session:  # warm up: imports, the connection, the statement cache
            load_weeks(session=session, team_id=TEAM, user_ids=users[:1], now=NOW)
        print(f"RSS after start-up: {rss_mib():.0f} MiB")

        started = time.perf_counter()
        rows = read_only(engine, users)
        read_s = time.perf_counter() - started
        print(f"baseline, reading the rows only: {read_s:.2f} s ({rows:,} rows)")

        started = time.perf_counter()
        with unit_of_work(engine) as session:
            candidates = digest_candidates(session=session, since=NOW - WEEK)
        due = [c for c in candidates if digest_slot(NOW, tz=c.tz or "UTC", weekday=c.weekday, minute=c.minute).due(NOW)]
        print(f"due scan: {len(due):,} of {len(candidates):,} candidates due, {time.perf_counter() - started:.2f} s")

        started = time.perf_counter()
        composed = empty = blocks = 0
        marks: list[tuple[int, float]] = []
        for start in range(0, len(users), BATCH):
            batch = [(u, tz_of[u], "2026-W48") for u in users[start : start + BATCH]]
            for digest in compose_many(engine, team_id=TEAM, people=batch, now=NOW).values():
                if digest is None:
                    empty += 1
                else:
                    composed += 1
                    blocks += len(digest.blocks)
            done = start + len(batch)
            if done % 1000 == 0 or done == len(users):
                marks.append((done, rss_mib()))
        compose_s = time.perf_counter() - started
        engine.dispose()

    print(f"compose: {compose_s:.2f} s for {args.users:,} people ({composed:,} digests, {empty:,} with nothing to say,")
    print(
        f"         {blocks / max(composed, 1):.1f} blocks each), {compose_s / max(read_s, 1e-9):.1f}x the read baseline"
    )
    shown = [m for m in marks if m[0] in (1_000, 5_000, 10_000) or m[0] == len(users)]
    print("RSS while composing: " + ", ".join(f"{n:,} people {mib:.0f} MiB" for n, mib in shown))
    print(f"peak RSS of this process (ru_maxrss): {peak_mib():.0f} MiB")
    target = "met" if compose_s < 30 and peak_mib() < 300 else "MISSED"
    print(f"targets (< 30 s, < 300 MiB): {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
