"""What the handlers and jobs need from the running app, handed in rather than looked up."""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.scheduler import Jobs
from bot.slack_lookup import SlackLookup

COACHING_THREADS = 2


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    jobs: Jobs
    clock: Clock = system_clock
    lookup: SlackLookup = field(default_factory=SlackLookup)
    coaching: Executor = field(default_factory=lambda: ThreadPoolExecutor(COACHING_THREADS, "wiift-coaching"))
    """Where deal updates are read and answered, apart from Bolt's pool so commands and buttons never wait
    behind them. Slack sends a workspace at most a few events a second: two threads keep up and leave the
    CPU to the HTTP threads that acknowledge requests."""
