"""The App Home tab: published afresh each time a person opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.home import publish_home
from bot.services import Services
from handlers.answered import answered
from handlers.workspace import team_of


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    @answered
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        user_id, team_id = event.get("user"), team_of(context, body)
        if event.get("tab") != "home" or not user_id or not team_id:
            return  # the Messages tab, or an event we cannot place
        publish_home(services, client, team_id=team_id, user_id=user_id)
