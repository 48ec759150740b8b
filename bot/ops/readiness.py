"""`/readyz`: ready when the database answers, its schema is current, and Slack accepts the bot token.

The verdict is kept for a few seconds, so a probe every second costs one database round trip and one
auth.test per `ttl`, and only one request at a time refreshes it (the others get the last verdict). The
answer names what is wrong (`not ready: database`) and nothing more, as the endpoint is as public as
`/slack/events`; the details go to the log when the verdict changes. A Slack that cannot be reached keeps
the token's last verdict: that is Slack's outage, not a problem with this process.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.core.clock import Clock, system_clock
from bot.core.settings import Settings
from bot.ops import checks
from bot.ops.checks import Finding
from storage.health import probe_engine

log = logging.getLogger(__name__)

TTL = timedelta(seconds=10)


class Readiness:
    def __init__(
        self, *, engine: Engine, client: WebClient, url: str, clock: Clock = system_clock, ttl: timedelta = TTL
    ) -> None:
        self._engine = engine
        self._url = url
        self._client = client
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._verdict: tuple[bool, str] | None = None
        self._checked_at: datetime | None = None
        self._token: Finding | None = None

    def __call__(self) -> tuple[bool, str]:
        """(ready, the answer's text)."""
        verdict, checked_at = self._verdict, self._checked_at
        if verdict is not None and checked_at is not None and self._clock() - checked_at < self._ttl:
            return verdict
        if not self._lock.acquire(blocking=verdict is None):
            return verdict  # type: ignore[return-value]  # another request is refreshing it
        try:
            return self._refresh()
        finally:
            self._lock.release()

    def _refresh(self) -> tuple[bool, str]:
        findings = [checks.database(self._engine, url=self._url)]
        if findings[0].status == "ok":
            findings.append(checks.migrations(self._engine))
        findings.append(self._check_token())
        failed = [f for f in findings if f.status == "fail"]
        verdict = (False, "not ready: " + ", ".join(f.name for f in failed)) if failed else (True, "ready")
        if verdict != self._verdict:
            for finding in failed:
                log.warning("not ready: %s: %s", finding.name, finding.detail)
            if not failed and self._verdict is not None:
                log.info("ready again")
        self._verdict, self._checked_at = verdict, self._clock()
        return verdict

    def _check_token(self) -> Finding:
        finding, _ = checks.token(self._client)
        if finding.unreachable and self._token is not None and self._token.status == "ok":
            log.warning("readiness: %s; keeping the token's last verdict", finding.detail)
            return self._token
        self._token = finding
        return finding

    def close(self) -> None:
        self._engine.dispose()


def readiness_for(settings: Settings, *, clock: Clock = system_clock) -> Readiness:
    return Readiness(
        engine=probe_engine(settings.database_url),
        client=checks.probe_client(settings),
        url=settings.database_url,
        clock=clock,
    )
