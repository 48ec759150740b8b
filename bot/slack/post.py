"""Web API calls made on wiift's behalf, and how their failures are judged.

A refusal that will not change by trying again (`channel_not_found`, `is_archived`, …) is logged and
reported to the caller as None. A failure that will (a 429, a 5xx, a dropped connection) raises
`SlackUnavailable`, carrying Slack's Retry-After: the job that made the call is rescheduled rather than a
thread sleeping it out, and the work checks what did go out before it posts again. `not_in_channel` joins
a public channel and tries once more; `already_reacted` counts as success.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class SlackUnavailable(Exception):
    """Slack could not take a call just now; the same call may go through later."""

    def __init__(self, method: str, error: str, retry_after: float | None = None) -> None:
        super().__init__(f"{method}: {error}")
        self.method, self.error, self.retry_after = method, error, retry_after


def _error(exc: SlackApiError) -> str:
    return str((exc.response.data or {}).get("error", "unknown")) if exc.response is not None else "unknown"


def unavailable(method: str, exc: Exception) -> SlackUnavailable | None:
    """The transient failure in `exc`, if it is one: a 429 (with its Retry-After), a 5xx, a lost connection."""
    if isinstance(exc, OSError):
        return SlackUnavailable(method, "connection_failed")
    if not isinstance(exc, SlackApiError) or exc.response is None:
        return None
    status = int(exc.response.status_code or 0)
    if status == 429 or _error(exc) == "ratelimited":
        headers = {str(k).lower(): v for k, v in (exc.response.headers or {}).items()}
        raw = headers.get("retry-after")
        raw = raw[0] if isinstance(raw, list) and raw else raw
        try:
            after = min(max(float(raw), 0.0), 3600.0) if raw is not None else None
        except (TypeError, ValueError):
            after = None
        return SlackUnavailable(method, "ratelimited", after)
    if status >= 500 or _error(exc) in ("internal_error", "fatal_error", "service_unavailable", "request_timeout"):
        return SlackUnavailable(method, _error(exc) if status < 500 else f"http_{status}")
    return None


def post_message(client: WebClient, *, channel: str, text: str, **kwargs: Any) -> str | None:
    """Post a message; returns its ts, or None when Slack refused for good (logged). Raises
    `SlackUnavailable` when trying again later may work."""
    for attempt in (1, 2):
        try:
            return str(client.chat_postMessage(channel=channel, text=text, **kwargs)["ts"])
        except (SlackApiError, OSError) as exc:
            if (transient := unavailable("chat.postMessage", exc)) is not None:
                raise transient from exc
            assert isinstance(exc, SlackApiError)
            error = _error(exc)
            if error == "not_in_channel" and attempt == 1 and _join(client, channel):
                continue
            log.warning("chat.postMessage to %s failed: %s", channel, error)
            return None
    return None


def add_reaction(client: WebClient, *, channel: str, ts: str, name: str) -> bool:
    try:
        client.reactions_add(channel=channel, timestamp=ts, name=name)
    except (SlackApiError, OSError) as exc:
        if (transient := unavailable("reactions.add", exc)) is not None:
            raise transient from exc
        assert isinstance(exc, SlackApiError)
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
    have happened before a crash. Raises `SlackUnavailable` when the thread cannot be read just now: better
    a late reply than two."""
    try:
        messages = client.conversations_replies(channel=channel, ts=thread_ts, limit=200).get("messages") or []
    except (SlackApiError, OSError) as exc:
        if (transient := unavailable("conversations.replies", exc)) is not None:
            raise transient from exc
        assert isinstance(exc, SlackApiError)
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
