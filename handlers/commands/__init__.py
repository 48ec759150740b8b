"""Slash commands: `/deal` and `/coach`. Each acks at once and answers through `respond` afterwards."""

from __future__ import annotations

from slack_bolt import App

from bot.core.services import Services
from handlers.commands import coach, deal


def register(app: App, services: Services) -> None:
    deal.register(app, services)
    coach.register(app, services)
