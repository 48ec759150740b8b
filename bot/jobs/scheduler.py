"""APScheduler keeps time; the tables keep truth.

Only the instance holding the scheduler lease (storage.lease, on the database's clock) runs APScheduler,
with an in-memory job store and three interval jobs: the digest tick (which people's digests are due), the
nudge sweep (every scheduled nudge has its job; a nudge a crash left "sending" is tried again) and a prune
of long-finished jobs. Each of them only stores jobs under their keys, so if two instances both believe they
lead for a moment, the second store adds nothing and each DM still goes out once. Nudges themselves are jobs
with a `run_at`, stored with their call: they fall due in the job table whichever instance booked them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.core.services import Services
from bot.work.digest_run import enqueue_due_digests
from bot.work.nudges import sweep_nudges
from storage import jobs as job_store
from storage.db import unit_of_work
from storage.lease import acquire, release

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_TERM = timedelta(seconds=30)
HEARTBEAT_S = 2.0
DIGEST_EVERY = timedelta(minutes=5)
SWEEP_EVERY = timedelta(seconds=30)
PRUNE_EVERY = timedelta(hours=1)
KEEP_FINISHED = timedelta(days=7)


class Leader:
    """The scheduler of one instance: it runs APScheduler while it holds the lease, and stands by otherwise."""

    def __init__(
        self,
        services: Services,
        *,
        holder: str,
        clients: Callable[[str], WebClient | None],
        heartbeat_s: float = HEARTBEAT_S,
        term: timedelta = LEASE_TERM,
    ) -> None:
        self.services = services
        self.holder = holder
        self.clients = clients
        self.heartbeat_s = heartbeat_s
        self.term = term
        self.leading = False
        self._aps: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def start(self) -> Leader:
        self._beat_once(starting=True)
        self._heartbeat = threading.Thread(target=self._beat, name="wiift-lease", daemon=True)
        self._heartbeat.start()
        return self

    def shutdown(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout=5)
        self._stand_down()
        if self.leading:
            try:
                with unit_of_work(self.services.engine) as session:
                    release(session=session, name=LEASE_NAME, holder=self.holder)
            except SQLAlchemyError:
                log.warning("scheduler: could not release the lease; it lapses in %s", self.term)
            self.leading = False

    # ---- the lease -------------------------------------------------------------------------------------

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            self._beat_once()

    def _beat_once(self, *, starting: bool = False) -> None:
        try:
            with unit_of_work(self.services.engine) as session:
                holding = acquire(session=session, name=LEASE_NAME, holder=self.holder, term=self.term)
        except SQLAlchemyError as exc:
            log.warning("scheduler: lease heartbeat failed (%s)", type(exc).__name__)
            holding = False
        if holding and not self.leading:
            self.leading = True
            # At start the server's one start-up line says so; taking over later is news.
            log.log(logging.DEBUG if starting else logging.INFO, "scheduler: this instance now leads (%s)", self.holder)
            self._lead()
        elif not holding and self.leading:
            self.leading = False
            log.warning("scheduler: this instance no longer leads (%s); standing by", self.holder)
            self._stand_down()

    def _lead(self) -> None:
        aps = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(2)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        every = {"digest-tick": DIGEST_EVERY, "nudge-sweep": SWEEP_EVERY, "prune": PRUNE_EVERY}
        work = {"digest-tick": self.digest_tick, "nudge-sweep": self.sweep, "prune": self.prune}
        for job_id, period in every.items():
            seconds = int(period.total_seconds())
            aps.add_job(work[job_id], "interval", seconds=seconds, id=job_id, misfire_grace_time=seconds)
        aps.start()
        self._aps = aps
        self.sweep()  # at take-over: settle what the last leader left

    def _stand_down(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None

    # ---- the interval jobs: each only stores jobs ---------------------------------------------------------

    def digest_tick(self) -> None:
        try:
            stored = enqueue_due_digests(self.services, self.clients, now=self.services.clock())
        except Exception:
            log.exception("scheduler: digest tick failed")
            return
        if stored:
            self.services.wake()

    def sweep(self) -> None:
        try:
            if sweep_nudges(self.services, now=self.services.clock()):
                self.services.wake()
        except Exception:
            log.exception("scheduler: nudge sweep failed")

    def prune(self) -> None:
        now = self.services.clock()
        try:
            with unit_of_work(self.services.engine) as session:
                job_store.prune(session=session, before=now - KEEP_FINISHED)
        except SQLAlchemyError:
            log.warning("scheduler: prune failed")
