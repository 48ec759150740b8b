"""Where deal updates are read and answered, apart from the threads that acknowledge Slack's requests.

Slack wants an answer to every request within three seconds; the reply to a deal update can follow a moment
later. The handler hands a `DealMessage` to the app's `Coaching`:

- `ProcessCoaching` (what `wiift run` uses) reads them in one worker process at the lowest CPU priority,
  so the coaching work never holds the server's GIL or outbids its request threads for the CPU;
- `ThreadCoaching` reads them on a small pool of low-priority threads (tests and the demo, where the app's
  injected clock and the stand-in's recorded calls must be shared with the caller).

Either way, everything that makes a reply or a note happen once lives in the database, not in the pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.queues
import signal
import threading
import uuid
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Protocol

from slack_sdk import WebClient

from bot.priority import idle_this_process, lower_this_thread

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services import Services

log = logging.getLogger(__name__)

COACHING_THREADS = 2


@dataclass(frozen=True, slots=True)
class DealMessage:
    """A person's message in a channel, as much of the event as coaching needs (picklable)."""

    team_id: str
    channel_id: str
    user_id: str
    ts: str
    text: str  # as Slack sent it: markup and entities, which the engine reads
    thread_ts: str | None = None
    bot_user_id: str | None = None
    shared: bool = False  # Slack marked the channel as shared with another organisation
    poster_team: str | None = None  # the workspace Slack says the poster belongs to


class Coaching(Protocol):
    def read(self, services: Services, client: WebClient, message: DealMessage) -> None: ...

    def shutdown(self, wait: bool = True) -> None: ...


def handle(services: Services, client: WebClient, message: DealMessage) -> None:
    from bot.updates import read_message

    try:
        read_message(
            services,
            client,
            team_id=message.team_id,
            channel_id=message.channel_id,
            user_id=message.user_id,
            ts=message.ts,
            text=message.text,
            thread_ts=message.thread_ts,
            bot_user_id=message.bot_user_id,
            shared=message.shared,
            poster_team=message.poster_team,
        )
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        log.exception("reading a deal update failed: channel=%s error id %s", message.channel_id, error_id)
        _apologise(client, message, error_id)


def _apologise(client: WebClient, message: DealMessage, error_id: str) -> None:
    """Tell the poster, privately, that their update was not read; never someone from another organisation."""
    if message.shared and message.poster_team != message.team_id:
        return
    try:
        client.chat_postEphemeral(
            channel=message.channel_id,
            user=message.user_id,
            text=f"Sorry, I couldn't read that update: something went wrong on my side (error id `{error_id}`).",
        )
    except Exception:
        log.exception("could not tell the poster about error id %s", error_id)


class ThreadCoaching:
    def __init__(self, executor: Executor | None = None) -> None:
        self.executor = executor or ThreadPoolExecutor(
            COACHING_THREADS, thread_name_prefix="wiift-coaching", initializer=lower_this_thread
        )

    def read(self, services: Services, client: WebClient, message: DealMessage) -> None:
        self.executor.submit(handle, services, client, message)

    def shutdown(self, wait: bool = True) -> None:
        self.executor.shutdown(wait=wait)


class ProcessCoaching:
    """One worker process with its own engine and Web API client, built from the same settings.

    Messages reach it through a queue: `put` never blocks the request thread (the queue's own thread
    writes to the worker), and there is no result traffic back.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._queue, self._process = self._start()

    def _start(self) -> tuple[multiprocessing.queues.Queue[DealMessage | None], BaseProcess]:
        queue: multiprocessing.queues.Queue[DealMessage | None] = self._context.Queue()
        process = self._context.Process(target=_worker_main, args=(self._settings, queue), name="wiift-coaching")
        process.start()
        return queue, process

    def read(self, services: Services, client: WebClient, message: DealMessage) -> None:
        with self._lock:
            if not self._process.is_alive():  # the worker died: start another and carry on
                log.error("the coaching worker stopped (exit code %s); starting a new one", self._process.exitcode)
                self._queue, self._process = self._start()
            self._queue.put(message)

    def shutdown(self, wait: bool = True) -> None:
        """Let the worker finish what it was sent, then stop it."""
        with self._lock:
            self._queue.put(None)
            self._queue.close()
        if wait:
            self._queue.join_thread()
            self._process.join()


def _worker_main(settings: Settings, queue: multiprocessing.queues.Queue[DealMessage | None]) -> None:
    from bot.app import build_client, build_services

    idle_this_process()  # the server's request threads always come first
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when the worker stops
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    services, client = build_services(settings, migrate=False), build_client(settings)
    try:
        while (message := queue.get()) is not None:
            handle(services, client, message)
    finally:
        services.engine.dispose()
