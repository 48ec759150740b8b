"""The real app on a real HTTP port with a real database, wired to the stand-in Slack.

Tests and `wiift demo` drive it the same way: signed requests in through `driver`, and what a person would
see read back from `slack`. `settle()` waits until the app has finished the work it acked.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import col

from bot.app import build_instance
from bot.core.clock import Clock, system_clock
from bot.core.settings import Settings
from bot.http import SlackWSGI
from bot.ops.readiness import readiness_for
from bot.server import HttpServer
from bot.slack.lookup import SlackLookup
from bot.standin.driver import SlackDriver
from bot.standin.executor import TrackingExecutor
from bot.standin.server import ApiCall, FakeSlack
from storage.db import unit_of_work
from storage.jobs import READY, RUNNING
from storage.models import Job

SIGNING_SECRET = "stand-in-signing-secret"


class Sandbox:
    def __init__(
        self,
        slack: FakeSlack,
        *,
        database_url: str,
        clock: Clock = system_clock,
        run_jobs: bool = False,
        lease_heartbeat_s: float | None = None,
        job_threads: int = 2,
        job_lease: timedelta = timedelta(seconds=30),
        monotonic: Callable[[], float] | None = None,
        **settings: Any,
    ) -> None:
        """The app's job workers always run, on the app's clock. `run_jobs` also bids for the scheduler's
        lease (the digest tick and the nudge sweep); without it, a test or the demo runs those by hand.
        `monotonic` is the clock the cached Slack lookups expire by."""
        self.slack = slack
        settings.setdefault("bot_token", "xoxb-stand-in")  # bot_token=None, client_id=…: many workspaces
        self.settings = Settings(
            signing_secret=SIGNING_SECRET,
            api_url=slack.base_url,
            database_url=database_url,
            **settings,
        )
        self.clock = clock
        self.executor = TrackingExecutor()
        self.instance = build_instance(
            self.settings,
            clock=clock,
            listener_executor=self.executor,
            job_threads=job_threads,
            poll_s=0.05,
            job_lease=job_lease,
            lead=run_jobs,
            heartbeat_s=lease_heartbeat_s or 2.0,
            lookup=SlackLookup(monotonic=monotonic) if monotonic is not None else None,
        )
        self.services, self.app = self.instance.services, self.instance.app
        self.readiness = readiness_for(self.settings, clock=clock)
        front = SlackWSGI(self.app, signing_secret=SIGNING_SECRET, readiness=self.readiness)
        self.server = HttpServer(front, host="127.0.0.1", port=0, threads=8, screen=front.screen).start_background()
        self.driver = SlackDriver(app_url=self.server.url, signing_secret=SIGNING_SECRET, slack=slack)
        self.instance.start()

    def close(self) -> None:
        """Stop taking requests, let the work already acknowledged finish, then stop the jobs (APScheduler's
        job store disposes of the engine it shares with everything else, so it goes last)."""
        self.server.stop()
        self.executor.shutdown(wait=True)
        self.instance.stop()
        self.readiness.close()

    def pending_jobs(self) -> int:
        """Jobs due by the app's clock that no worker has finished: ready and due, or running."""
        now = self.clock()
        with unit_of_work(self.services.engine, read_only=True) as session:
            due = or_(col(Job.state) == RUNNING, (col(Job.state) == READY) & (col(Job.run_at) <= now))
            return int(session.execute(select(func.count()).select_from(Job).where(due)).scalar_one())

    def settle(self, timeout: float = 15.0) -> None:
        """Wait until Bolt's listeners and every job that is due (by the app's clock) have finished."""
        deadline = time.monotonic() + timeout
        while True:
            self.executor.wait_idle(timeout=timeout)
            while self.pending_jobs():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.pending_jobs()} job(s) still pending after {timeout}s")
                self.services.wake()
                time.sleep(0.005)
            if self.executor.idle:
                return

    def post(self, text: str, *, channel: str, user: str, **kwargs: Any) -> str:
        """A person posts in a channel; returns the message ts once the app has finished with it."""
        response, ts = self.driver.message(channel=channel, user=user, text=text, **kwargs)
        if response.status != 200:
            raise AssertionError(f"the app answered {response.status}: {response.body}")
        self.settle()
        return ts

    def run_command(self, command: str, text: str, *, channel: str, user: str) -> ApiCall:
        """Run a slash command; returns its one private answer: in the acknowledgement itself, or posted to
        its response_url."""
        before = len(self.slack.calls_to("response_url"))
        response = self.driver.command(command, text, user=user, channel=channel)
        if response.status != 200:
            raise AssertionError(f"the app answered {response.status}: {response.body}")
        self.settle()
        answers = self.slack.calls_to("response_url")[before:]
        in_ack = json.loads(response.body) if response.body.strip().startswith("{") else {}
        if in_ack.get("text") or in_ack.get("blocks"):
            answers = [ApiCall("ack", in_ack, None, time.monotonic()), *answers]
        if len(answers) != 1:
            raise AssertionError(f"expected one answer to {command} {text!r}, got {answers}")
        return answers[0]

    def thread_replies(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return [m for m in self.slack.messages(channel) if m.get("thread_ts") == ts and m["ts"] != ts]
