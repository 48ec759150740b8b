"""A pool of worker threads in each instance that claim jobs from the table and run them.

Work is I/O-bound (the Web API), so threads suffice; each runs at the lowest CPU priority so that reading
deal updates never outbids the threads that answer Slack. One thread looks out for due jobs every
`poll_s` (jobs stored by other instances, nudges falling due); the others sleep until there is work:
`wake()` (a job stored in this process) or a colleague that just claimed one (a burst fans out). While a job
runs, its lease is renewed; a worker that dies leaves its jobs to be claimed again once the lease lapses.
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta

from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.core.priority import lower_this_thread
from bot.core.services import Services
from bot.jobs.kinds import KINDS, Run, TryAgain
from bot.slack.post import SlackUnavailable
from storage import jobs as store
from storage.db import DatabaseClock, transaction
from storage.models import Job

log = logging.getLogger(__name__)

Clients = Callable[[str], WebClient | None]  # a workspace's client, or None when it is not installed
GiveUp = Callable[[Services, WebClient, Job], None]

MAX_ATTEMPTS = 8
MAX_BACKOFF_S = 300.0


def backoff(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: 1, 2, 4 … up to five minutes, with jitter."""
    return min(MAX_BACKOFF_S, 2.0 ** max(0, attempts - 1)) * (1 + random.random() / 4)


class Workers:
    def __init__(
        self,
        services: Services,
        *,
        clients: Clients,
        kinds: Mapping[str, Run] = KINDS,
        threads: int = 4,
        poll_s: float = 1.0,
        lease: timedelta = timedelta(seconds=30),
        max_attempts: int = MAX_ATTEMPTS,
        give_up: GiveUp | None = None,
    ) -> None:
        self.services = services
        self.clients = clients
        self.kinds = kinds
        self.threads = threads
        self.poll_s = poll_s
        self.lease = lease
        self.max_attempts = max_attempts
        self.give_up = give_up
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stopping = threading.Event()
        self._signal = threading.Condition()
        self._generation = 0
        self._running: dict[int, Job] = {}
        self._pool: list[threading.Thread] = []
        self._db_clock = DatabaseClock(services.engine)

    # ---- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> Workers:
        for index in range(self.threads):
            thread = threading.Thread(target=self._loop, args=(index == 0,), name=f"wiift-job-{index}", daemon=True)
            thread.start()
            self._pool.append(thread)
        keeper = threading.Thread(target=self._keep_leases, name="wiift-job-leases", daemon=True)
        keeper.start()
        self._pool.append(keeper)
        return self

    def wake(self) -> None:
        """A job was stored in this process: let a sleeping worker look now."""
        with self._signal:
            self._generation += 1
            self._signal.notify_all()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the jobs in hand (up to `timeout`), then hand back any still held so another instance
        takes them at once instead of after the lease."""
        self._stopping.set()
        self.wake()
        for thread in self._pool:
            thread.join(timeout=timeout)
        try:
            with transaction(self.services.engine) as session:
                store.release_worker(session=session, worker=self.name, now=self.services.clock())
        except SQLAlchemyError:
            log.warning("jobs: could not hand back held jobs; their leases will lapse")

    @property
    def busy(self) -> int:
        with self._signal:
            return len(self._running)

    # ---- the loop ---------------------------------------------------------------------------------------

    def _loop(self, lookout: bool) -> None:
        lower_this_thread()
        seen, idle, recovered_at = -1, True, 0.0
        while not self._stopping.is_set():
            # A busy worker claims in one statement; one that found nothing looks (cheaply) before it claims;
            # the lookout puts back lapsed jobs when it looks, and at least every poll when it is busy.
            recover = lookout and (idle or time.monotonic() - recovered_at >= self.poll_s)
            recovered_at = time.monotonic() if recover else recovered_at
            try:
                if self.run_one(recover=recover, probe=idle):
                    idle = False
                    continue
            except SQLAlchemyError as exc:  # the database is away: wait a moment and look again
                log.warning("jobs: cannot claim (%s); retrying", type(exc).__name__)
                self._stopping.wait(min(5.0, self.poll_s * 2))
                continue
            idle = True
            with self._signal:
                if self._generation == seen:
                    self._signal.wait(timeout=self.poll_s if lookout else None)
                seen = self._generation

    def run_one(self, *, recover: bool = True, probe: bool = True) -> bool:
        """Claim one due job and run it on this thread. False when none was due."""
        now, db_now = self.services.clock(), self._db_clock()  # read first: on SQLite a unit holds the write lock
        jobs = store.claim_now(  # each step commits on its own
            self.services.engine,
            worker=self.name,
            now=now,
            lease=self.lease,
            limit=1,
            db_now=db_now,
            recover=recover,
            probe=probe,
        )
        if not jobs:
            return False
        job = jobs[0]
        with self._signal:  # there may be more: let one more worker look
            self._running[job.id or 0] = job
            self._generation += 1
            self._signal.notify()
        try:
            self._run(job)
        finally:
            with self._signal:
                self._running.pop(job.id or 0, None)
        return True

    def _run(self, job: Job) -> None:
        assert job.id is not None
        client = self.clients(job.team_id)
        if client is None:
            self._finish(job, store.FAILED, "workspace not installed")
            return
        try:
            self.kinds[job.kind](self.services, client, json.loads(job.payload))
        except SlackUnavailable as exc:
            self._again(job, client, f"slack: {exc.error}", exc.retry_after)
        except TryAgain as exc:
            self._again(job, client, str(exc), exc.after)
        except SQLAlchemyError as exc:
            self._again(job, client, f"database: {type(exc).__name__}", None)
        except Exception as exc:
            error_id = uuid.uuid4().hex[:8]
            log.exception("job %s (%s) failed, error id %s", job.key, job.kind, error_id)
            self._again(job, client, f"error {error_id}: {type(exc).__name__}", None)
        else:
            self._finish(job, store.DONE, None)

    def _again(self, job: Job, client: WebClient, reason: str, after: float | None) -> None:
        if job.attempts >= self.max_attempts:
            log.error("job-%s (%s) gave up after %s attempts: %s", job.id, job.key, job.attempts, reason)
            job.last_error = reason
            if self.give_up is not None:  # told while the job is still held: its end is recorded after
                try:
                    self.give_up(self.services, client, job)
                except Exception:
                    log.exception("job %s: telling the person failed", job.key)
            self._finish(job, store.FAILED, reason)
            return
        delay = after if after is not None else backoff(job.attempts)
        log.info("job %s will try again in %.1fs: %s", job.key, delay, reason)
        now = self.services.clock()
        try:
            with transaction(self.services.engine) as session:
                store.retry(
                    session=session, job_id=job.id or 0, run_at=now + timedelta(seconds=delay), now=now, error=reason
                )
        except SQLAlchemyError:
            log.warning("job %s: could not reschedule; its lease will lapse and it runs again", job.key)

    def _finish(self, job: Job, state: str, error: str | None) -> None:
        try:
            now = self.services.clock()
            store.finish_now(self.services.engine, job_id=job.id or 0, state=state, now=now, error=error)
        except SQLAlchemyError:
            log.warning("job %s: could not record its end; it may run again (its work checks first)", job.key)

    def _keep_leases(self) -> None:
        every = max(0.05, self.lease.total_seconds() / 3)
        while not self._stopping.wait(every):
            with self._signal:
                held = list(self._running)
            if not held:
                continue
            try:
                with transaction(self.services.engine) as session:
                    for job_id in held:
                        store.extend(session=session, job_id=job_id, worker=self.name, lease=self.lease)
            except SQLAlchemyError:
                log.warning("jobs: could not renew leases")
