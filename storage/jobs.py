"""The durable job table: enqueue under a unique key, claim with a lease, finish, retry or cancel.

Claiming is safe across processes and hosts: on PostgreSQL the chosen rows are locked `FOR UPDATE SKIP
LOCKED`, so two workers never take the same job and neither waits for the other; on SQLite every writing
unit of work starts with `BEGIN IMMEDIATE` (storage.db), which serialises claims. Leases run on the
database's clock, so hosts whose clocks disagree still agree on when a lease has lapsed. `run_at` is on the
app's clock (the injected one in tests), since it says when the work is due.

Fairness: each job gets a place in line, `turn_at`, when it is stored: its `run_at`, but no earlier than
`TURN` after the workspace's last waiting job. Workers take due jobs in `turn_at` order, so a workspace that
posts a thousand updates at once is served one turn at a time between everyone else's, and a claim reads a
few index entries, however long the queue.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, literal_column, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.expression import Executable
from sqlmodel import col

from storage.conflict import insert_if_absent
from storage.db import Db, database_now, dialect_of, driver_execute, execute_alone, transaction
from storage.models import Job
from storage.storable import check_row
from storage.types import UTCDateTime

READY, RUNNING, DONE, FAILED, CANCELLED = "ready", "running", "done", "failed", "cancelled"
MAX_ERROR = 200
TURN = timedelta(milliseconds=20)  # a busy workspace's jobs are spaced this far apart in the line


def _turn(session: Db, *, team_id: str, run_at: datetime) -> datetime:
    last = session.execute(
        select(func.max(col(Job.turn_at))).where(col(Job.team_id) == team_id, col(Job.state) == READY)
    ).scalar()
    return max(run_at, last + TURN) if last is not None else run_at


def _values(
    *, key: str, kind: str, team_id: str, payload: dict[str, Any], run_at: datetime, now: datetime
) -> dict[str, Any]:
    return dict(
        key=key,
        kind=kind,
        team_id=team_id,
        payload=json.dumps(payload, separators=(",", ":")),
        state=READY,
        attempts=0,
        run_at=run_at,
        created_at=now,
        updated_at=now,
    )


def store_now(
    engine: Engine, *, key: str, kind: str, team_id: str, payload: dict[str, Any], run_at: datetime, now: datetime
) -> bool:
    """Store a job unless one with its key exists, committed when this returns: the one write on the request
    thread before Slack's ack. True when this call stored it.

    On PostgreSQL it is `enqueue`'s insert through the driver's cursor (`storage.db.driver_execute`); on
    SQLite an `enqueue` in its own transaction."""
    if engine.dialect.name != "postgresql":
        with transaction(engine) as connection:
            return enqueue(
                session=connection, key=key, kind=kind, team_id=team_id, payload=payload, run_at=run_at, now=now
            )
    values = _values(key=key, kind=kind, team_id=team_id, payload=payload, run_at=run_at, now=now)
    check_row(Job.__table__, values)  # type: ignore[attr-defined]
    moment = UTCDateTime()  # aware datetimes in UTC, as the columns bind them for SQLAlchemy
    for name in ("run_at", "created_at", "updated_at"):
        values[name] = moment.process_bind_param(values[name], engine.dialect)
    line = dict(line_team=team_id, line_from=values["run_at"])
    return bool(driver_execute(engine, _enqueue_in_line(), values | line, column_keys=tuple(values)))


def enqueue(
    *,
    session: Db,
    key: str,
    kind: str,
    team_id: str,
    payload: dict[str, Any],
    run_at: datetime,
    now: datetime,
) -> bool:
    """Store a job unless one with its key exists. True when this call stored it."""
    values = _values(key=key, kind=kind, team_id=team_id, payload=payload, run_at=run_at, now=now)
    if dialect_of(session) == "postgresql":  # its place in line worked out in the same statement
        check_row(Job.__table__, values)  # type: ignore[attr-defined]
        line = dict(line_team=team_id, line_from=run_at)
        return session.execute(_enqueue_in_line(), values | line).first() is not None
    return insert_if_absent(
        session, Job, values | dict(turn_at=_turn(session, team_id=team_id, run_at=run_at)), keys=("key",)
    )


@functools.cache
def _enqueue_in_line() -> Executable:
    """PostgreSQL: one round trip, on the request thread before Slack's ack (the last waiting job's turn
    is read by the insert itself)."""
    table = Job.__table__  # type: ignore[attr-defined]
    turn = literal_column(f"interval '{TURN // timedelta(microseconds=1)} microseconds'")
    last = (
        select(func.max(col(Job.turn_at)) + turn)
        .where(col(Job.team_id) == bindparam("line_team"), col(Job.state) == READY)
        .scalar_subquery()
    )
    return (
        postgresql.insert(table)
        .values(turn_at=func.greatest(bindparam("line_from", type_=table.c.run_at.type), last))
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(table.c.id)
    )


def arm(
    *, session: Db, key: str, kind: str, team_id: str, payload: dict[str, Any], run_at: datetime, now: datetime
) -> None:
    """Store a job or move an existing one to `run_at`, ready again (a moved call's nudge, a lead change).

    A job that is running keeps running; its work re-checks its own state before acting."""
    if enqueue(session=session, key=key, kind=kind, team_id=team_id, payload=payload, run_at=run_at, now=now):
        return
    session.execute(
        update(Job)
        .where(col(Job.key) == key, col(Job.state) != RUNNING)
        .values(
            state=READY,
            payload=json.dumps(payload, separators=(",", ":")),  # an ended job's payload was cleared
            run_at=run_at,
            turn_at=run_at,
            attempts=0,
            last_error=None,
            updated_at=now,
        )
    )


def cancel(*, session: Db, key: str, now: datetime) -> None:
    session.execute(
        update(Job)
        .where(col(Job.key) == key, col(Job.state) == READY)
        .values(state=CANCELLED, payload="{}", updated_at=now)
    )


def claim(
    *,
    session: Db,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int = 1,
    db_now: datetime | None = None,
    recover: bool = True,
    probe: bool = True,
) -> list[Job]:
    """Take up to `limit` due jobs for `worker`, in turn, in one statement.

    `recover` first puts back in line the jobs whose worker's lease lapsed (`recover_lapsed`); `probe` first
    looks whether anything is due at all (one index probe: an idle queue costs next to nothing). A busy worker
    skips both (its lookout recovers lapsed jobs every poll). `db_now` is the database's clock when the caller
    keeps one (`storage.db.DatabaseClock`)."""
    db_now = db_now or database_now(session)
    if recover:
        recover_lapsed(session=session, db_now=db_now, now=now)
    if probe and session.execute(_probe(), {"now": now}).first() is None:
        return []
    rows = session.execute(_take(dialect_of(session)), _taking(worker, now=now, until=db_now + lease, limit=limit))
    return _in_turn(Job(**row._mapping) for row in rows)


def claim_now(
    engine: Engine,
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    db_now: datetime,
    limit: int = 1,
    recover: bool = True,
    probe: bool = True,
) -> list[Job]:
    """`claim` between units of work, each step committed by itself. On PostgreSQL a busy worker's claim (no
    lapsed jobs to put back) runs through the driver's cursor: the same statements, without SQLAlchemy's
    execution layers, which cost more than the statements themselves."""
    if engine.dialect.name != "postgresql" or recover:
        with transaction(engine, standalone=True) as session:
            return claim(
                session=session,
                worker=worker,
                now=now,
                lease=lease,
                limit=limit,
                db_now=db_now,
                recover=recover,
                probe=probe,
            )
    if probe and not driver_execute(engine, _probe(), {"now": now}):
        return []
    rows = driver_execute(engine, _take("postgresql"), _taking(worker, now=now, until=db_now + lease, limit=limit))
    return _in_turn(_job(row) for row in rows)


def _taking(worker: str, *, now: datetime, until: datetime, limit: int) -> dict[str, Any]:
    return dict(worker=worker, now=now, lease_until=until, limit=limit)


def _in_turn(jobs: Iterable[Job]) -> list[Job]:
    return sorted(jobs, key=lambda job: (job.turn_at, job.id or 0))


def _job(row: dict[str, Any]) -> Job:
    """A job from the driver's row: its times as aware UTC, as the ORM hands them back."""
    return Job(**{name: value.astimezone(UTC) if isinstance(value, datetime) else value for name, value in row.items()})


@functools.cache
def _probe() -> Executable:
    """Is anything due at all? One index probe: an idle queue costs next to nothing."""
    return select(col(Job.id)).where(col(Job.state) == READY, col(Job.run_at) <= bindparam("now")).limit(1)


@functools.cache
def _take(dialect: str) -> Executable:
    """The claim: the first due jobs in turn, skipping (on PostgreSQL) any another worker is taking."""
    table = Job.__table__  # type: ignore[attr-defined]
    due = (
        select(table.c.id)
        .where(table.c.state == READY, table.c.run_at <= bindparam("now"))
        .order_by(table.c.turn_at, table.c.id)
        .limit(bindparam("limit"))
    )
    if dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return (
        update(table)
        .where(table.c.id.in_(due.scalar_subquery()))
        .values(
            state=RUNNING,
            locked_by=bindparam("worker"),
            lease_until=bindparam("lease_until"),
            attempts=table.c.attempts + 1,
            updated_at=bindparam("now"),
        )
        .returning(*table.c)
    )


def recover_lapsed(*, session: Db, db_now: datetime, now: datetime) -> int:
    """Put back in line, due now, the running jobs whose worker's lease lapsed (a worker that died or froze)."""
    lapsed = select(col(Job.id)).where(col(Job.state) == RUNNING, col(Job.lease_until) < db_now)
    if dialect_of(session) == "postgresql":
        # A row locked by a worker frozen mid-transaction is passed over, not waited for: waiting would hang
        # this lookout, and with it every due job this instance should notice, for as long as that worker.
        lapsed = lapsed.with_for_update(skip_locked=True)
    result = session.execute(
        update(Job)
        .where(col(Job.id).in_(lapsed.scalar_subquery()))
        .values(state=READY, run_at=now, lease_until=None, locked_by=None, updated_at=now)
        .returning(col(Job.id))
    )
    return len(result.all())


def extend(*, session: Db, job_id: int, worker: str, lease: timedelta) -> bool:
    """Renew a running job's lease (long work, e.g. a digest run)."""
    result = session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.locked_by) == worker, col(Job.state) == RUNNING)
        .values(lease_until=database_now(session) + lease)
        .returning(col(Job.id))
    )
    return result.first() is not None


def finish(*, session: Db, job_id: int, state: str, now: datetime, error: str | None = None) -> None:
    """End a job (done, failed): its payload, which may hold message text, is cleared."""
    session.execute(_finish(), _ending(job_id=job_id, state=state, now=now, error=error))


def finish_now(engine: Engine, *, job_id: int, state: str, now: datetime, error: str | None = None) -> None:
    """`finish`, committed when it returns (on PostgreSQL through the driver's cursor, as `claim_now`)."""
    execute_alone(engine, _finish(), _ending(job_id=job_id, state=state, now=now, error=error))


def _ending(*, job_id: int, state: str, now: datetime, error: str | None) -> dict[str, Any]:
    return dict(job_id=job_id, state=state, now=now, error=error[:MAX_ERROR] if error else None)


@functools.cache
def _finish() -> Executable:
    table = Job.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.id == bindparam("job_id"))
        .values(
            state=bindparam("state"),
            payload="{}",
            lease_until=None,
            locked_by=None,
            last_error=bindparam("error"),
            updated_at=bindparam("now"),
        )
    )


def retry(*, session: Db, job_id: int, run_at: datetime, now: datetime, error: str) -> None:
    """Hand a job back to the queue, due again at `run_at` (a backoff, or Slack's Retry-After)."""
    session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.state) == RUNNING)
        .values(
            state=READY, run_at=run_at, lease_until=None, locked_by=None, last_error=error[:MAX_ERROR], updated_at=now
        )
    )


def release_worker(*, session: Db, worker: str, now: datetime) -> int:
    """Hand back the jobs a stopping worker still holds, so another instance takes them at once."""
    result = session.execute(
        update(Job)
        .where(col(Job.locked_by) == worker, col(Job.state) == RUNNING)
        .values(state=READY, lease_until=None, locked_by=None, attempts=col(Job.attempts) - 1, updated_at=now)
        .returning(col(Job.id))
    )
    return len(result.all())


def job_by_key(*, session: Db, key: str) -> Job | None:
    return session.execute(select(Job).where(col(Job.key) == key)).scalars().first()


def prune(*, session: Db, before: datetime, states: Sequence[str] = (DONE, CANCELLED, FAILED)) -> int:
    """Delete ended jobs last touched before `before` (their keys have done their de-duplicating)."""
    result = session.execute(
        delete(Job).where(col(Job.state).in_(list(states)), col(Job.updated_at) < before).returning(col(Job.id))
    )
    return len(result.all())
