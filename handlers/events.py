"""Events: messages in deal channels, stored as jobs before Slack is answered.

The job is stored in a listener middleware, which Bolt runs on the request thread before it acknowledges
the event, so an event Slack counts as delivered is already in the database. If the database cannot take
it, Slack gets a 503 and delivers the event again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.core.services import Services
from bot.work.queue import DealMessage, keep_home_opened, keep_message
from bot.work.workspaces import forget_workspace, revoke_tokens
from handlers.workspace import team_of

log = logging.getLogger(__name__)

# What a person posts with a subtype that is still their own words: an answer also sent to the channel,
# and an update with a file attached. Every other subtype (edits, deletions, joins, bots) is not an update.
PEOPLES_SUBTYPES = frozenset({"thread_broadcast", "file_share"})


def register(app: App, services: Services) -> None:
    def keep(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        message = deal_message(
            body.get("event") or {},
            team_id=team_of(context, body),
            bot_user_id=context.bot_user_id,
            shared=body.get("is_ext_shared_channel") is True,
        )
        if message is not None:
            try:
                keep_message(services, message)
            except SQLAlchemyError as exc:
                log.error("could not store a deal message (%s); Slack will deliver it again", type(exc).__name__)
                return BoltResponse(status=503, body="")
        next()
        return None

    @app.event("message", middleware=[keep])
    def on_message() -> None:
        """Stored by `keep` already; the job workers take it from here."""

    def keep_home(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        event = body.get("event") or {}
        user_id, team_id = event.get("user"), team_of(context, body)
        if event.get("tab") == "home" and user_id and team_id:  # not the Messages tab, nor an event we can't place
            try:
                keep_home_opened(services, team_id=team_id, user_id=user_id, event_ts=str(event.get("event_ts") or ""))
            except SQLAlchemyError:
                return BoltResponse(status=503, body="")
        next()
        return None

    @app.event("app_home_opened", middleware=[keep_home])
    def on_home_opened() -> None:
        """Stored by `keep_home`; a job publishes the tab."""

    register_workspace_events(app, services)


def register_workspace_events(app: App, services: Services) -> None:
    @app.event("app_uninstalled")
    def on_uninstalled(body: dict[str, Any]) -> None:
        team_id = str(body.get("team_id") or "")
        if team_id:
            forget_workspace(services, team_id=team_id, enterprise_id=body.get("enterprise_id"))

    @app.event("tokens_revoked")
    def on_tokens_revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        tokens = event.get("tokens") or {}
        team_id = str(body.get("team_id") or "")
        if team_id:
            revoke_tokens(
                services,
                team_id=team_id,
                enterprise_id=body.get("enterprise_id"),
                bot=bool(tokens.get("bot")),
                users=[str(u) for u in tokens.get("oauth") or []],
            )


def deal_message(
    event: dict[str, Any], *, team_id: str | None, bot_user_id: str | None, shared: bool = False
) -> DealMessage | None:
    """People's own top-level posts and thread replies, with or without a file or "also send to channel";
    anything from a bot, other subtypes, DMs and empty posts are ignored. `shared` is Slack's word that the
    channel is shared with another organisation; the poster's own workspace rides along (`user_team`)."""
    if event.get("subtype") not in (None, *PEOPLES_SUBTYPES) or event.get("bot_id") or event.get("bot_profile"):
        return None
    if event.get("channel_type") not in ("channel", "group"):
        return None
    user_id, channel_id, ts, text = (_text(event, key) for key in ("user", "channel", "ts", "text"))
    if not (user_id and channel_id and ts and team_id and text.strip()) or user_id == bot_user_id:
        return None
    return DealMessage(
        team_id=team_id,
        channel_id=channel_id,
        user_id=user_id,
        ts=ts,
        text=text,
        thread_ts=_text(event, "thread_ts") or None,
        bot_user_id=bot_user_id,
        shared=shared,
        poster_team=_text(event, "user_team") or _text(event, "team") or None,
    )


def _text(event: dict[str, Any], key: str) -> str:
    value = event.get(key)
    return value if isinstance(value, str) else ""
