"""What the handlers and jobs need from the running app, handed in rather than looked up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.config import Settings
from bot.core.clock import Clock, system_clock
from bot.jobs.scheduler import Jobs
from bot.slack.lookup import SlackLookup

if TYPE_CHECKING:
    from bot.jobs.coaching import Coaching


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    jobs: Jobs
    coaching: Coaching  # where deal updates are read: apart from the threads that answer Slack
    clock: Clock = system_clock
    lookup: SlackLookup = field(default_factory=SlackLookup)
