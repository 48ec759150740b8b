"""Cached reads of Slack facts we need often: a channel's name and privacy, its members, a user's zone.

Channel facts change rarely, so a few minutes of staleness is harmless and keeps us far below Slack's
rate limits when a busy channel posts many updates.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.post import open_dm

CHANNEL_TTL_S = 300.0
MEMBERS_TTL_S = 60.0
TZ_TTL_S = 600.0


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    id: str
    name: str
    is_private: bool
    is_im: bool


class SlackLookup:
    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._channels: dict[str, tuple[float, ChannelInfo | None]] = {}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._tz: dict[tuple[str, str], tuple[float, str]] = {}
        self._dms: dict[str, str] = {}

    def channel(self, client: WebClient, channel_id: str) -> ChannelInfo | None:
        """The channel's name and privacy, or None when Slack will not tell us (not found, a DM)."""
        cached = self._get(self._channels, channel_id, CHANNEL_TTL_S)
        if cached is not None:
            return cached[1]
        try:
            data = client.conversations_info(channel=channel_id)["channel"]
            info: ChannelInfo | None = ChannelInfo(
                id=channel_id,
                name=str(data.get("name") or ""),
                is_private=bool(data.get("is_private")),
                is_im=bool(data.get("is_im") or data.get("is_mpim")),
            )
        except SlackApiError:
            info = None
        with self._lock:
            self._channels[channel_id] = (self._monotonic(), info)
        return info

    def members(self, client: WebClient, channel_id: str) -> frozenset[str]:
        cached = self._get(self._members, channel_id, MEMBERS_TTL_S)
        if cached is not None:
            return cached[1]
        found: set[str] = set()
        cursor: str | None = None
        try:
            while True:
                page = client.conversations_members(channel=channel_id, cursor=cursor, limit=1000)
                found.update(page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except SlackApiError:
            return frozenset()  # unknown membership reveals nothing; not cached, so it is asked again
        members = frozenset(found)
        with self._lock:
            self._members[channel_id] = (self._monotonic(), members)
        return members

    def dm(self, client: WebClient, user_id: str) -> tuple[str | None, str | None]:
        """The bot's DM channel with a person, (id, None) or (None, Slack's error). A DM's id never changes."""
        with self._lock:
            known = self._dms.get(user_id)
        if known is not None:
            return known, None
        channel, error = open_dm(client, user_id)
        if channel is not None:
            with self._lock:
                self._dms[user_id] = channel
        return channel, error

    def tz(self, team_id: str, user_id: str) -> str | None:
        cached = self._get(self._tz, (team_id, user_id), TZ_TTL_S)
        return cached[1] if cached is not None else None

    def remember_tz(self, team_id: str, user_id: str, tz: str) -> None:
        with self._lock:
            self._tz[(team_id, user_id)] = (self._monotonic(), tz)

    def forget_channel(self, channel_id: str) -> None:
        with self._lock:
            self._channels.pop(channel_id, None)
            self._members.pop(channel_id, None)

    def _get(self, store: dict, key: object, ttl: float) -> tuple | None:  # type: ignore[type-arg]
        with self._lock:
            entry = store.get(key)
        if entry is None or self._monotonic() - entry[0] > ttl:
            return None
        return entry
