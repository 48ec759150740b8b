"""What the handlers and jobs need from the running app, handed in rather than looked up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk.oauth.installation_store import InstallationStore
from sqlalchemy import Engine

from bot.core.clock import Clock, system_clock
from bot.core.settings import Settings
from bot.slack.lookup import SlackLookup


class Doorbell:
    """Rung when this process stores a job; its workers listen (none do in one-off commands, and the job
    waits for a worker's poll)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def __call__(self) -> None:
        for listener in list(self._listeners):
            listener()


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    clock: Clock = system_clock
    lookup: SlackLookup = field(default_factory=SlackLookup)
    wake: Doorbell = field(default_factory=Doorbell)  # tells this process's workers a job was stored
    installations: InstallationStore | None = None  # many-workspace mode: OAuth installations
