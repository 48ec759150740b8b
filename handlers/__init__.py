"""Bolt listeners, one module per Slack surface."""

from __future__ import annotations

from slack_bolt import App

from bot.core.services import Services
from handlers import actions, commands, events, shortcuts, views


def register(app: App, services: Services) -> None:
    events.register(app, services)
    commands.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    shortcuts.register(app, services)
