"""The running app's services and Web API client, for scheduled jobs.

APScheduler stores jobs as a function reference plus primitive arguments (ids), so a job cannot carry the
engine or the client with it. The process that starts the scheduler installs them here once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk import WebClient

if TYPE_CHECKING:
    from bot.core.services import Services


@dataclass(frozen=True)
class Runtime:
    services: Services
    client: WebClient


_lock = threading.Lock()
_current: Runtime | None = None


def install(runtime: Runtime | None) -> None:
    global _current
    with _lock:
        _current = runtime


def current() -> Runtime:
    with _lock:
        if _current is None:
            raise RuntimeError("no wiift runtime is installed in this process")
        return _current
