"""The real app on a real HTTP port with a real database, wired to the stand-in Slack.

Tests and `wiift demo` drive it the same way: signed requests in through `driver`, and what a person would
see read back from `slack`. `settle()` waits until the app has finished the work it acked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from bot.app import build_app, build_services
from bot.clock import Clock, system_clock
from bot.coaching import COACHING_THREADS, ThreadCoaching
from bot.config import Settings
from bot.http import SlackWSGI
from bot.priority import lower_this_thread
from bot.runtime import Runtime
from bot.server import HttpServer
from bot.slack_lookup import SlackLookup
from bot.standin.driver import SlackDriver
from bot.standin.executor import TrackingExecutor
from bot.standin.server import ApiCall, FakeSlack

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
        monotonic: Callable[[], float] | None = None,
        **settings: Any,
    ) -> None:
        """`run_jobs` makes this app the scheduler's leader (nudges fire on wall-clock time); without it,
        jobs are only stored, and a test or the demo delivers what is due by the app's clock. `monotonic`
        is the clock the cached Slack lookups expire by."""
        self.slack = slack
        self.settings = Settings(
            bot_token="xoxb-stand-in",
            signing_secret=SIGNING_SECRET,
            api_url=slack.base_url,
            database_url=database_url,
            **settings,
        )
        self.clock = clock
        self.coaching = TrackingExecutor(max_workers=COACHING_THREADS, initializer=lower_this_thread)
        self.services = build_services(self.settings, clock=clock, coaching=ThreadCoaching(self.coaching))
        if monotonic is not None:
            self.services = dataclasses.replace(self.services, lookup=SlackLookup(monotonic=monotonic))
        self.executor = TrackingExecutor()
        self.app = build_app(self.services, listener_executor=self.executor)
        front = SlackWSGI(self.app, signing_secret=SIGNING_SECRET)
        self.server = HttpServer(front, host="127.0.0.1", port=0, threads=8, screen=front.screen).start_background()
        self.driver = SlackDriver(app_url=self.server.url, signing_secret=SIGNING_SECRET, slack=slack)
        if lease_heartbeat_s is not None:
            self.services.jobs.heartbeat_s = lease_heartbeat_s
        self.services.jobs.start(Runtime(services=self.services, client=self.app.client), lead=run_jobs)

    def close(self) -> None:
        """Stop taking requests, let the work already acknowledged finish, then stop the jobs (APScheduler's
        job store disposes of the engine it shares with everything else, so it goes last)."""
        self.server.stop()
        self.executor.shutdown(wait=True)
        self.coaching.shutdown(wait=True)
        self.services.jobs.shutdown()
        self.services.engine.dispose()

    def settle(self) -> None:
        """Wait until Bolt's listeners and the coaching work they hand on have all finished."""
        while True:
            self.executor.wait_idle()
            self.coaching.wait_idle()
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
        """Run a slash command; returns the one private answer posted to its response_url."""
        before = len(self.slack.calls_to("response_url"))
        response = self.driver.command(command, text, user=user, channel=channel)
        if response.status != 200:
            raise AssertionError(f"the app answered {response.status}: {response.body}")
        self.settle()
        answers = self.slack.calls_to("response_url")[before:]
        if len(answers) != 1:
            raise AssertionError(f"expected one answer to {command} {text!r}, got {answers}")
        return answers[0]

    def thread_replies(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return [m for m in self.slack.messages(channel) if m.get("thread_ts") == ts and m["ts"] != ts]
