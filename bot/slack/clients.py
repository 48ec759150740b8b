"""Web API clients: one for the threads that answer Slack, one per workspace for jobs.

Request threads keep slack_sdk's rate-limit retry (a 429 there is rare and short). Jobs get a client with
no retry handler at all: a 429 or 5xx raises, and the job is rescheduled (Retry-After honoured) instead of a
worker thread sleeping it out, and a post that went through before a 500 is found before posting again,
where the SDK's own retry would have posted it a second time.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

TIMEOUT_S = 15


def request_client(*, token: str | None, base_url: str | None) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url or WebClient.BASE_URL,
        timeout=TIMEOUT_S,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def job_client(*, token: str | None, base_url: str | None) -> WebClient:
    return WebClient(token=token, base_url=base_url or WebClient.BASE_URL, timeout=TIMEOUT_S, retry_handlers=[])


Clients = Callable[[str], WebClient | None]
"""A workspace's client for jobs, or None when wiift is not installed there."""


def one_workspace(*, token: str, base_url: str | None) -> Clients:
    """Single-workspace mode (`SLACK_BOT_TOKEN`): the same client for every job."""
    client = job_client(token=token, base_url=base_url)
    return lambda _team_id: client
