"""Events: messages in deal channels."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.coaching import DealMessage
from bot.services import Services
from handlers.answered import answered


def register(app: App, services: Services) -> None:
    @app.event("message")
    @answered
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        message = deal_message(event, team_id=context.team_id, bot_user_id=context.bot_user_id)
        if message is not None:
            services.coaching.read(services, client, message)


def deal_message(event: dict[str, Any], *, team_id: str | None, bot_user_id: str | None) -> DealMessage | None:
    """Only people's own top-level posts and thread replies count: every subtype (edits, deletions, joins,
    bot messages, shares), anything from a bot, DMs and empty posts are ignored."""
    if event.get("subtype") or event.get("bot_id") or event.get("bot_profile"):
        return None
    if event.get("channel_type") not in ("channel", "group"):
        return None
    user_id, channel_id, ts = event.get("user"), event.get("channel"), event.get("ts")
    team_id = team_id or event.get("team")
    text = str(event.get("text") or "")
    if not (user_id and channel_id and ts and team_id and text.strip()) or user_id == bot_user_id:
        return None
    return DealMessage(
        team_id=team_id,
        channel_id=channel_id,
        user_id=user_id,
        ts=ts,
        text=text,
        thread_ts=event.get("thread_ts"),
        bot_user_id=bot_user_id,
    )
