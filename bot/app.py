"""The app factory: settings, engine, Web API client and listeners wired into one Bolt app."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

import handlers
from bot.config import Settings
from bot.core.clock import Clock, system_clock
from bot.core.services import Services
from bot.jobs.coaching import Coaching, ThreadCoaching
from bot.jobs.scheduler import Jobs
from storage.db import init_db, make_engine

LISTENER_THREADS = 16


def build_client(settings: Settings) -> WebClient:
    """A Web API client that waits out 429s (honouring Retry-After), retries 5xx and lost connections."""
    client = WebClient(
        token=settings.bot_token,
        base_url=settings.api_url or WebClient.BASE_URL,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
    return client


def build_services(
    settings: Settings, *, clock: Clock = system_clock, coaching: Coaching | None = None, migrate: bool = True
) -> Services:
    engine = make_engine(settings.database_url)
    if migrate:
        init_db(engine)
    return Services(
        settings=settings, engine=engine, jobs=Jobs(engine), coaching=coaching or ThreadCoaching(), clock=clock
    )


def build_app(services: Services, *, client: WebClient | None = None, listener_executor: Executor | None = None) -> App:
    settings = services.settings
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)  # Bolt logs request bodies at INFO
    app = App(
        client=client or build_client(settings),
        signing_secret=settings.signing_secret,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        ignoring_self_events_enabled=True,
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="wiift-listener"),
    )
    handlers.register(app, services)
    return app
