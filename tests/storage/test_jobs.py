"""The job table on SQLite and PostgreSQL: keys de-duplicate, claims are exclusive and fair, leases lapse."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from storage import jobs
from storage.db import database_now, make_engine, unit_of_work
from storage.storable import UnstorableText
from tests.storage.conftest import POSTGRES_URL

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def _put(engine: Engine, key: str, *, team: str = "T1", run_at: datetime = NOW) -> bool:
    with unit_of_work(engine) as session:
        return jobs.enqueue(
            session=session, key=key, kind="update", team_id=team, payload={"k": key}, run_at=run_at, now=NOW
        )


def _claim(engine: Engine, worker: str = "w1", *, limit: int = 1, now: datetime = NOW, lease: timedelta = LEASE):  # type: ignore[no-untyped-def]
    with unit_of_work(engine) as session:
        return [job.key for job in jobs.claim(session=session, worker=worker, now=now, lease=lease, limit=limit)]


def test_a_key_is_stored_once(engine: Engine) -> None:
    assert _put(engine, "update:T1:C1:1.0")
    assert not _put(engine, "update:T1:C1:1.0")  # Slack's retry of the same event
    assert _claim(engine, limit=5) == ["update:T1:C1:1.0"]


def test_the_ack_paths_insert_stores_once_keeps_the_line_and_refuses_what_no_database_keeps(engine: Engine) -> None:
    def store(key: str, *, team: str = "T1", payload: dict[str, str] | None = None) -> bool:
        return jobs.store_now(
            engine, key=key, kind="update", team_id=team, payload=payload or {"k": key}, run_at=NOW, now=NOW
        )

    assert store("update:BUSY:C:1", team="BUSY")
    assert not store("update:BUSY:C:1", team="BUSY")  # Slack's retry of the same event
    assert store("update:BUSY:C:2", team="BUSY")
    assert store("update:QUIET:C:1", team="QUIET", payload={"text": "P&L & <b>"})
    with pytest.raises(UnstorableText):
        store("update:T1:C:" + "9" * 4300)  # a key longer than its column, refused on both databases
    with unit_of_work(engine) as session:
        busy = [jobs.job_by_key(session=session, key=f"update:BUSY:C:{i}") for i in (1, 2)]
        quiet = jobs.job_by_key(session=session, key="update:QUIET:C:1")
    assert busy[0] is not None and busy[1] is not None and quiet is not None
    assert busy[1].turn_at - busy[0].turn_at == jobs.TURN  # the busy workspace's second waits its turn
    assert quiet.turn_at == NOW and quiet.payload == '{"text":"P&L & <b>"}'
    assert _claim(engine, limit=5) == ["update:BUSY:C:1", "update:QUIET:C:1", "update:BUSY:C:2"]


def test_a_workers_claim_and_end_between_units_of_work(engine: Engine) -> None:
    """`claim_now` and `finish_now` (on PostgreSQL through the driver's cursor) do what `claim` and `finish` do."""

    def take(*, probe: bool, at: datetime = NOW) -> list[jobs.Job]:
        return jobs.claim_now(engine, worker="w1", now=at, lease=LEASE, db_now=at, recover=False, probe=probe)

    _put(engine, "update:T1:C1:1.0", run_at=NOW + timedelta(seconds=5))
    assert take(probe=True) == [] and take(probe=False) == []  # not due yet
    [job] = take(probe=True, at=NOW + timedelta(seconds=5))
    assert (job.key, job.state, job.attempts, job.locked_by, job.payload) == (
        "update:T1:C1:1.0",
        jobs.RUNNING,
        1,
        "w1",
        '{"k":"update:T1:C1:1.0"}',
    )
    assert job.lease_until == NOW + timedelta(seconds=5) + LEASE and job.run_at.tzinfo == UTC
    assert take(probe=False, at=NOW + timedelta(seconds=6)) == []  # held
    jobs.finish_now(engine, job_id=job.id or 0, state=jobs.FAILED, now=NOW, error="x" * 500)
    with unit_of_work(engine) as session:
        ended = jobs.job_by_key(session=session, key="update:T1:C1:1.0")
    assert ended is not None and (ended.state, ended.payload, ended.locked_by) == (jobs.FAILED, "{}", None)
    assert ended.last_error == "x" * jobs.MAX_ERROR


def test_a_job_is_not_claimed_before_it_is_due(engine: Engine) -> None:
    _put(engine, "nudge:1", run_at=NOW + timedelta(minutes=5))
    assert _claim(engine) == []
    assert _claim(engine, now=NOW + timedelta(minutes=5)) == ["nudge:1"]


def test_a_claimed_job_is_not_claimed_again_until_its_lease_lapses(engine: Engine) -> None:
    _put(engine, "update:T1:C1:1.0")
    assert _claim(engine, "w1", lease=timedelta(seconds=-1)) == ["update:T1:C1:1.0"]  # already lapsed
    assert _claim(engine, "w2") == ["update:T1:C1:1.0"]  # the dead worker's job is taken over
    assert _claim(engine, "w3") == []  # w2's lease is live


def test_finished_jobs_lose_their_payload_and_stay_as_keys(engine: Engine) -> None:
    _put(engine, "answer:T1:C1:2.0")
    with unit_of_work(engine) as session:
        [job] = jobs.claim(session=session, worker="w1", now=NOW, lease=LEASE)
        jobs.finish(session=session, job_id=job.id or 0, state=jobs.DONE, now=NOW)
    with unit_of_work(engine) as session:
        done = jobs.job_by_key(session=session, key="answer:T1:C1:2.0")
        assert done is not None and (done.state, done.payload) == ("done", "{}")
    assert not _put(engine, "answer:T1:C1:2.0")


def test_retry_reschedules_and_cancel_stops(engine: Engine) -> None:
    _put(engine, "nudge:7")
    with unit_of_work(engine) as session:
        [job] = jobs.claim(session=session, worker="w1", now=NOW, lease=LEASE)
        jobs.retry(
            session=session, job_id=job.id or 0, run_at=NOW + timedelta(seconds=20), now=NOW, error="slack: ratelimited"
        )
    assert _claim(engine, now=NOW + timedelta(seconds=19)) == []
    with unit_of_work(engine) as session:
        jobs.cancel(session=session, key="nudge:7", now=NOW)
    assert _claim(engine, now=NOW + timedelta(minutes=1)) == []


def test_one_busy_workspace_does_not_hold_back_the_others(engine: Engine) -> None:
    burst = NOW - timedelta(seconds=1)
    for i in range(40):  # a thousand-update paste, in small
        _put(engine, f"update:BUSY:C:{i}", team="BUSY", run_at=burst)
    _put(engine, "update:QUIET:C:1", team="QUIET", run_at=burst + timedelta(milliseconds=100))
    order = _claim(engine, limit=41)
    assert order.index("update:QUIET:C:1") <= 6  # served after a few of the burst's turns, not after all 40
    assert order[:2] == ["update:BUSY:C:0", "update:BUSY:C:1"]


def test_concurrent_claims_never_take_the_same_job(engine: Engine) -> None:
    for i in range(60):
        _put(engine, f"update:T1:C:{i}")
    taken: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while keys := _claim(engine, name, limit=2):
            with lock:
                taken.extend(keys)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(f"update:T1:C:{i}" for i in range(60))


def test_leases_run_on_the_databases_clock(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        db_now = database_now(session)
    assert abs((db_now - datetime.now(UTC)).total_seconds()) < 60
    assert db_now.tzinfo is not None


def test_arming_an_ended_job_again_gives_it_back_its_payload(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        jobs.arm(
            session=session, key="nudge:9", kind="nudge", team_id="T1", payload={"nudge_id": 9}, run_at=NOW, now=NOW
        )
        [job] = jobs.claim(session=session, worker="w1", now=NOW, lease=LEASE)
        jobs.finish(session=session, job_id=job.id or 0, state=jobs.DONE, now=NOW)
        jobs.arm(
            session=session, key="nudge:9", kind="nudge", team_id="T1", payload={"nudge_id": 9}, run_at=NOW, now=NOW
        )
        [again] = jobs.claim(session=session, worker="w2", now=NOW, lease=LEASE)
    assert (again.key, again.payload) == ("nudge:9", '{"nudge_id":9}')


def test_a_lapsed_job_locked_by_a_frozen_worker_is_passed_over_not_waited_for(engine: Engine) -> None:
    """A worker frozen mid-transaction (SIGSTOP, a paused VM) keeps its row lock: the lookout that puts back
    lapsed jobs must go on with the others rather than wait for it (PostgreSQL; SQLite has one writer)."""
    if engine.dialect.name != "postgresql":
        return
    _put(engine, "update:T1:C1:1.0")
    _put(engine, "update:T1:C1:2.0")
    assert _claim(engine, "w1", limit=2, lease=timedelta(seconds=-1)) == ["update:T1:C1:1.0", "update:T1:C1:2.0"]
    frozen = engine.connect()
    try:
        frozen.execute(text("SELECT id FROM job WHERE key = 'update:T1:C1:1.0' FOR UPDATE"))  # held, never ended
        with unit_of_work(engine) as session:
            session.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting would fail here, not hang
            db_now = database_now(session)
            assert jobs.recover_lapsed(session=session, db_now=db_now, now=NOW) == 1
    finally:
        frozen.rollback()
        frozen.close()
    assert sorted(_claim(engine, "w2", limit=2)) == ["update:T1:C1:1.0", "update:T1:C1:2.0"]  # once thawed, both


def test_a_transaction_left_open_by_a_frozen_process_is_ended_by_the_server(engine: Engine) -> None:
    """Its row locks last as long as the engine's `idle_in_transaction_s` (a minute by default), not as long as
    the process sleeps; once thawed, it finds its transaction gone (PostgreSQL; SQLite has one writer)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        assert connection.execute(text("SHOW idle_in_transaction_session_timeout")).scalar() == "1min"
        schema = connection.execute(text("SHOW search_path")).scalar()
    short = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"}, idle_in_transaction_s=0.5)
    _put(engine, "update:T1:C1:1.0")
    frozen = short.connect()
    try:
        frozen.execute(text("SELECT id FROM job WHERE key = 'update:T1:C1:1.0' FOR UPDATE"))
        time.sleep(1.5)  # frozen past the limit, holding the row
        with unit_of_work(engine) as session:
            session.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting on the lock would fail here
            session.execute(text("UPDATE job SET attempts = 1 WHERE key = 'update:T1:C1:1.0'"))
        with pytest.raises(DBAPIError):  # "terminating connection due to idle-in-transaction timeout"
            frozen.execute(text("SELECT 1"))
    finally:
        frozen.close()
        short.dispose()
