"""Events: messages in deal channels."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.coaching import DealMessage
from bot.services import Services
from handlers.answered import answered
from handlers.workspace import team_of

# What a person posts with a subtype that is still their own words: an answer also sent to the channel,
# and an update with a file attached. Every other subtype (edits, deletions, joins, bots) is not an update.
PEOPLES_SUBTYPES = frozenset({"thread_broadcast", "file_share"})


def register(app: App, services: Services) -> None:
    @app.event("message")
    @answered
    def on_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        message = deal_message(
            event,
            team_id=team_of(context, body),
            bot_user_id=context.bot_user_id,
            shared=body.get("is_ext_shared_channel") is True,
        )
        if message is not None:
            services.coaching.read(services, client, message)


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
