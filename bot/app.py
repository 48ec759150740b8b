"""The app factory: settings, engine, clients, listeners, job workers and the scheduler, wired together."""

from __future__ import annotations

import dataclasses
import gc
import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from multiprocessing.synchronize import Event

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

import handlers
from bot.core.clock import Clock, system_clock
from bot.core.services import Services
from bot.core.settings import Settings
from bot.jobs.kinds import give_up
from bot.jobs.process import JobProcesses, serve_until_told
from bot.jobs.scheduler import HEARTBEAT_S, Leader
from bot.jobs.workers import Workers
from bot.logs import configure_logging
from bot.server import HTTP_THREADS
from bot.slack.clients import Clients, one_workspace, request_client
from bot.slack.installs import InstalledWorkspaces
from bot.slack.lookup import SlackLookup
from storage.db import init_db, make_engine
from storage.slack_stores import installation_store, state_store

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"

LISTENER_THREADS = 16


def build_client(settings: Settings) -> WebClient:
    """A client for one-off commands (`wiift digest send`): the request side's, waiting out short 429s."""
    return request_client(token=settings.bot_token, base_url=settings.api_url)


def build_services(
    settings: Settings, *, clock: Clock = system_clock, migrate: bool = True, lookup: SlackLookup | None = None
) -> Services:
    # The request threads, the job threads, and the scheduler's, lookout's and lease-keeping threads.
    engine = make_engine(settings.database_url, threads=HTTP_THREADS + settings.job_threads + 4)
    if migrate:
        init_db(engine)
    installations = installation_store(engine=engine, client_id=settings.client_id) if settings.oauth else None
    services = Services(settings=settings, engine=engine, clock=clock, installations=installations)
    return dataclasses.replace(services, lookup=lookup) if lookup is not None else services


def oauth_settings(services: Services) -> OAuthSettings:
    """Bolt's own OAuth flow: `/slack/install` and `/slack/oauth_redirect`, stores on wiift's engine."""
    settings = services.settings
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(settings.scopes),
        installation_store=services.installations,
        state_store=state_store(engine=services.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )


def job_clients(services: Services) -> Clients:
    settings = services.settings
    if services.installations is None:
        return one_workspace(token=settings.bot_token or "", base_url=settings.api_url)
    return InstalledWorkspaces(
        services.installations,
        engine=services.engine,
        client_id=settings.client_id or "",
        client_secret=settings.client_secret or "",
        base_url=settings.api_url,
    )


def build_app(services: Services, *, listener_executor: Executor | None = None) -> App:
    settings = services.settings
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)  # Bolt logs request bodies at INFO
    oauth = oauth_settings(services) if services.installations is not None else None
    app = App(
        client=build_client(settings),
        signing_secret=settings.signing_secret,
        installation_store=services.installations,
        oauth_settings=oauth,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        ignoring_self_events_enabled=True,
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="wiift-listener"),
    )
    handlers.register(app, services)
    return app


@dataclass
class Instance:
    """One running wiift: the Bolt app, this process's job workers and its bid for the scheduler."""

    services: Services
    app: App
    workers: Workers | JobProcesses  # threads in this process, or processes beside it (`wiift run`)
    leader: Leader | None

    def start(self) -> Instance:
        self.workers.start()
        if self.leader is not None:
            self.leader.start()
        return self

    def stop(self, *, drain_s: float = 10.0) -> None:
        if self.leader is not None:
            self.leader.shutdown()
        self.workers.stop(timeout=drain_s)
        self.services.engine.dispose()


def build_instance(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    clients: Clients | None = None,
    listener_executor: Executor | None = None,
    job_threads: int | None = None,
    poll_s: float = 1.0,
    job_lease: timedelta | None = None,
    lead: bool = True,
    heartbeat_s: float = HEARTBEAT_S,
    lookup: SlackLookup | None = None,
    job_processes: int = 0,
) -> Instance:
    """Everything one `wiift run` needs, not yet started. `lead` bids for the scheduler's lease.

    `job_processes` > 0 runs the job workers in that many child processes (`wiift run`); 0 runs them as
    threads here, on this process's clock and clients (the demo, the tests)."""
    services = build_services(settings, clock=clock, lookup=lookup)
    app = build_app(services, listener_executor=listener_executor)
    clients = clients or job_clients(services)
    workers: Workers | JobProcesses
    if job_processes > 0:
        workers = JobProcesses(serve_jobs, settings, count=job_processes)
    else:
        workers = Workers(
            services,
            clients=clients,
            threads=job_threads or settings.job_threads,
            poll_s=poll_s,
            lease=job_lease or timedelta(seconds=settings.job_lease_s),
            give_up=give_up,
        )
    services.wake.listen(workers.wake)
    term = timedelta(seconds=settings.scheduler_lease_s)
    leader = (
        Leader(services, holder=workers.name, clients=clients, heartbeat_s=heartbeat_s, term=term) if lead else None
    )
    return Instance(services=services, app=app, workers=workers, leader=leader)


def serve_jobs(settings: Settings, bell: Event, parent: int) -> None:
    """A job process's life (see bot.jobs.process): the workers run until the process is told to stop."""
    configure_logging(settings.log_level, settings.log_format)
    services = build_services(settings, migrate=False)  # the serving process migrated before it started this
    workers = Workers(
        services,
        clients=job_clients(services),
        threads=settings.job_threads,
        lease=timedelta(seconds=settings.job_lease_s),
        give_up=give_up,
    ).start()
    gc.collect()
    gc.freeze()
    try:
        serve_until_told(bell, parent, wake=workers.wake)
    finally:
        workers.stop()
        services.engine.dispose()
