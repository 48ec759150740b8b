"""Events: messages in deal channels."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services import Services
from bot.updates import read_thread_answer, read_update

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        services.coaching.submit(_logged, handle_message, services, event=event, context=context, client=client)


def _logged(work: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    try:
        work(*args, **kwargs)
    except Exception:
        log.exception("reading a deal update failed")


def handle_message(services: Services, *, event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Only people's own top-level posts and thread replies count: every subtype (edits, deletions, joins,
    bot messages, shares) and anything from a bot is ignored."""
    if event.get("subtype") or event.get("bot_id") or event.get("bot_profile"):
        return
    if event.get("channel_type") not in ("channel", "group"):
        return
    user_id, channel_id, ts = event.get("user"), event.get("channel"), event.get("ts")
    team_id = context.team_id or event.get("team")
    if not (user_id and channel_id and ts and team_id) or user_id == context.bot_user_id:
        return
    text = str(event.get("text") or "")
    thread_ts = event.get("thread_ts")
    if thread_ts and thread_ts != ts:
        read_thread_answer(
            services,
            client,
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            ts=ts,
            thread_ts=thread_ts,
            text=text,
        )
    elif text.strip():
        read_update(
            services,
            client,
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            ts=ts,
            text=text,
            bot_user_id=context.bot_user_id,
        )
