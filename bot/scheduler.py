"""APScheduler 3 with a persistent job store on wiift's own database, run by exactly one process.

Jobs are module-level functions called with primitive ids (`bot.nudges:run_nudge`), so they survive a
restart in the job store; fixed ids and `replace_existing` make re-adding a job harmless. Which process
runs them is settled by a lease row (storage.lease): the holder runs the scheduler and renews the lease;
any other process keeps its scheduler paused, writes jobs to the shared store, and takes over only when
the lease lapses. APScheduler decides *when* (wall-clock time); the jobs decide *whether* with wiift's
injected clock and the nudge's recorded state, which is what makes delivery exactly-once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from sqlalchemy import Engine, text

from bot import runtime
from storage.db import unit_of_work
from storage.lease import acquire, release

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
LEASE_NAME = "scheduler"
LEASE_TERM = timedelta(seconds=30)
HEARTBEAT_S = 2.0
NUDGE_JOB = "bot.nudges:run_nudge"
DIGEST_JOB = "bot.digest_run:digest_tick"
DIGEST_EVERY = timedelta(minutes=5)


class _Scheduler(BackgroundScheduler):
    """APScheduler 3's loop runs `_process_jobs` once more after `shutdown()` (it only skips when paused),
    firing due jobs into executors that are already shut down. Only a running scheduler processes jobs."""

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()  # type: ignore[no-any-return]


def nudge_job_id(nudge_id: int) -> str:
    return f"nudge-{nudge_id}"


class Jobs:
    def __init__(self, engine: Engine, *, workers: int = 16, heartbeat_s: float = HEARTBEAT_S) -> None:
        self._engine = engine
        self._aps = _Scheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
            executors={"default": ThreadPoolExecutor(workers)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        self._aps.add_listener(self._on_missed, EVENT_JOB_MISSED)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.leading = False
        self.heartbeat_s = heartbeat_s
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return bool(self._aps.running)

    def start(self, rt: runtime.Runtime, *, lead: bool = True) -> None:
        """Start the scheduler. With `lead`, run jobs if this process wins the lease (else stand by and
        take over when it lapses); without, only store jobs (tests, one-off CLI commands)."""
        runtime.install(rt)
        self._aps.start(paused=True)
        if lead:
            self._try_to_lead(starting=True)
            self._heartbeat = threading.Thread(target=self._beat, name="wiift-lease", daemon=True)
            self._heartbeat.start()

    def shutdown(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout=5)
        if self._aps.running:
            self._aps.shutdown(wait=True)
        if self.leading:
            with unit_of_work(self._engine) as session:
                release(session=session, name=LEASE_NAME, holder=self.holder)
            self.leading = False

    def schedule_nudge(self, nudge_id: int, *, run_at: datetime, call_starts: datetime) -> None:
        """(Re)arm a nudge. The grace lets a nudge that fell due while wiift was down still go out, but
        never once its call has started."""
        if not self._aps.running:
            return  # the nudge row is the truth: the leader's start-up reconcile will arm it
        grace = max(1, int((call_starts - run_at).total_seconds()))
        self._aps.add_job(
            NUDGE_JOB,
            trigger="date",
            run_date=run_at,
            args=[nudge_id],
            id=nudge_job_id(nudge_id),
            replace_existing=True,
            misfire_grace_time=grace,
        )

    def cancel_nudge(self, nudge_id: int) -> None:
        if not self._aps.running:
            return
        with contextlib.suppress(JobLookupError):
            self._aps.remove_job(nudge_job_id(nudge_id))

    def job_ids(self) -> set[str]:
        """Every stored job id, read straight from the table (unpickling 50,000 jobs would be slow)."""
        with self._engine.connect() as connection:
            return {row[0] for row in connection.execute(text(f"SELECT id FROM {JOB_TABLE}"))}

    def _try_to_lead(self, *, starting: bool = False) -> None:
        now = datetime.now(UTC)  # process coordination runs on wall-clock time, not the app's clock
        with unit_of_work(self._engine) as session:
            holding = acquire(session=session, name=LEASE_NAME, holder=self.holder, now=now, term=LEASE_TERM)
        if holding and not self.leading:
            self.leading = True
            # At start the server's one start-up line says so; a take-over later is news.
            log.log(
                logging.DEBUG if starting else logging.INFO, "scheduler: this process runs the jobs (%s)", self.holder
            )
            self._take_over()
        elif holding:
            self._aps.wakeup()  # notice jobs that another process added to the shared store
        elif not holding and self.leading:
            self.leading = False
            self._aps.pause()
            log.warning("scheduler: lease lost; standing by")

    def _take_over(self) -> None:
        from bot.nudges import reconcile

        rt = runtime.current()
        self._aps.add_job(
            DIGEST_JOB,
            trigger="interval",
            seconds=int(DIGEST_EVERY.total_seconds()),
            id="digest-tick",
            replace_existing=True,
            misfire_grace_time=int(DIGEST_EVERY.total_seconds()),
        )
        reconcile(rt.services, rt.client, self)
        self._aps.resume()

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            try:
                self._try_to_lead()
            except Exception:  # a database hiccup must not kill the heartbeat
                log.exception("scheduler: lease heartbeat failed")

    def _on_missed(self, event: JobExecutionEvent) -> None:
        if not str(event.job_id).startswith("nudge-"):
            return
        from bot.nudges import record_missed

        record_missed(runtime.current().services, int(str(event.job_id).removeprefix("nudge-")))
