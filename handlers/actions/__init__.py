"""Buttons, one module per thing they act on."""

from __future__ import annotations

from slack_bolt import App

from bot.core.services import Services
from handlers.actions import calls, coaching, deal, home


def register(app: App, services: Services) -> None:
    deal.register(app, services)
    calls.register(app, services)
    coaching.register(app, services)
    home.register(app, services)
