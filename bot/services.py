"""What the handlers and jobs need from the running app, handed in rather than looked up."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.scheduler import Jobs
from bot.slack_lookup import SlackLookup


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    jobs: Jobs
    clock: Clock = system_clock
    lookup: SlackLookup = field(default_factory=SlackLookup)
