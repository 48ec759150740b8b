"""Web API writes that must not crash a listener.

Rate limits (429 + Retry-After), 5xx and dropped connections are retried by slack_sdk's retry handlers,
installed on the client in `bot.app`. What is left here: joining a public channel on `not_in_channel`,
treating `already_reacted` as success, and reporting (never raising) anything else.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


def _error(exc: SlackApiError) -> str:
    return str((exc.response.data or {}).get("error", "unknown")) if exc.response is not None else "unknown"


def post_message(client: WebClient, *, channel: str, text: str, **kwargs: Any) -> str | None:
    """Post a message; returns its ts, or None when Slack refused (logged, never raised)."""
    for attempt in (1, 2):
        try:
            return str(client.chat_postMessage(channel=channel, text=text, **kwargs)["ts"])
        except SlackApiError as exc:
            error = _error(exc)
            if error == "not_in_channel" and attempt == 1 and _join(client, channel):
                continue
            log.warning("chat.postMessage to %s failed: %s", channel, error)
            return None
    return None


def add_reaction(client: WebClient, *, channel: str, ts: str, name: str) -> bool:
    try:
        client.reactions_add(channel=channel, timestamp=ts, name=name)
    except SlackApiError as exc:
        error = _error(exc)
        if error == "already_reacted":
            return True
        log.warning("reactions.add in %s failed: %s", channel, error)
        return False
    return True


def _join(client: WebClient, channel: str) -> bool:
    try:
        client.conversations_join(channel=channel)
    except SlackApiError as exc:
        log.warning("conversations.join %s failed: %s", channel, _error(exc))
        return False
    return True


def bot_reply_in_thread(client: WebClient, *, channel: str, thread_ts: str, bot_user_id: str | None) -> str | None:
    """The ts of a reply we already posted in a thread, if any: used to recover a claim whose post may
    have happened before a crash."""
    try:
        messages = client.conversations_replies(channel=channel, ts=thread_ts, limit=200).get("messages") or []
    except SlackApiError as exc:
        log.warning("conversations.replies in %s failed: %s", channel, _error(exc))
        return None
    for message in messages:
        if message.get("ts") != thread_ts and bot_user_id and message.get("user") == bot_user_id:
            return str(message["ts"])
    return None


def open_dm(client: WebClient, user_id: str) -> tuple[str | None, str | None]:
    """The bot's DM channel with a person: (its id, None), or (None, Slack's error code)."""
    try:
        return str(client.conversations_open(users=user_id)["channel"]["id"]), None
    except SlackApiError as exc:
        return None, _error(exc)
    except OSError:  # the connection kept failing after the client's retries
        return None, "connection_failed"


def try_post(client: WebClient, *, channel: str, text: str, **kwargs: Any) -> tuple[str | None, str | None]:
    """Post a message: (its ts, None), or (None, Slack's error code) for the caller to judge, e.g.
    `ratelimited` once the client's own 429 retries are spent."""
    try:
        return str(client.chat_postMessage(channel=channel, text=text, **kwargs)["ts"]), None
    except SlackApiError as exc:
        return None, _error(exc)
    except OSError:
        return None, "connection_failed"


def find_marked_message(client: WebClient, *, channel: str, block_id: str) -> tuple[bool, str | None]:
    """Look through a channel's recent history for our message carrying `block_id`.

    Returns (whether the history could be read, the message's ts if found)."""
    try:
        history = client.conversations_history(channel=channel, limit=100).get("messages") or []
    except (SlackApiError, OSError) as exc:
        error = _error(exc) if isinstance(exc, SlackApiError) else "connection_failed"
        log.warning("conversations.history in %s failed: %s", channel, error)
        return False, None
    for message in history:
        if any(block.get("block_id") == block_id for block in message.get("blocks") or []):
            return True, str(message["ts"])
    return True, None
