"""Cached reads of Slack facts we need often: a channel's name, privacy and sharing, its members, a person's
workspace and role, a user's zone.

These facts change rarely, so a few minutes of staleness is harmless and keeps us far below Slack's rate
limits when a busy channel posts many updates. A failure is remembered for a few seconds only (enough to
spare Slack a storm of retries), so a channel or person Slack could not tell us about is asked again soon.
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
PERSON_TTL_S = 600.0
FAILURE_TTL_S = 5.0


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    id: str
    name: str
    is_private: bool
    is_im: bool
    is_shared: bool = False  # shared with another organisation (Slack Connect), or about to be


@dataclass(frozen=True, slots=True)
class Installation:
    """Where wiift is installed, per `auth.test`: a workspace, or (org-wide) a whole organisation."""

    team_id: str | None
    enterprise_id: str | None


@dataclass(frozen=True, slots=True)
class Person:
    """What `users.info` says about someone: whose workspace they belong to and what they may do there."""

    id: str
    team_id: str
    enterprise_id: str | None
    name: str
    is_admin: bool  # an admin or owner of their own workspace
    is_bot: bool
    deleted: bool
    is_stranger: bool  # Slack shows us only that they exist: someone from an organisation we are not connected to
    tz: str | None = None


class SlackLookup:
    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._channels: dict[str, tuple[float, ChannelInfo | None]] = {}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._tz: dict[tuple[str, str], tuple[float, str]] = {}
        self._people: dict[str, tuple[float, Person | None]] = {}
        self._installations: dict[str, Installation] = {}
        self._dms: dict[str, str] = {}

    def channel(self, client: WebClient, channel_id: str) -> ChannelInfo | None:
        """The channel's name and privacy, or None when Slack will not tell us (not found, a DM)."""
        cached = self._get(self._channels, channel_id, CHANNEL_TTL_S)
        if cached is not None and (cached[1] is not None or self._monotonic() - cached[0] <= FAILURE_TTL_S):
            return cached[1]
        try:
            data = client.conversations_info(channel=channel_id)["channel"]
            info: ChannelInfo | None = ChannelInfo(
                id=channel_id,
                name=str(data.get("name") or ""),
                is_private=bool(data.get("is_private")),
                is_im=bool(data.get("is_im") or data.get("is_mpim")),
                is_shared=bool(data.get("is_ext_shared") or data.get("is_pending_ext_shared")),
            )
        except (SlackApiError, OSError):
            info = None
        with self._lock:
            self._channels[channel_id] = (self._monotonic(), info)
        return info

    def person(self, client: WebClient, user_id: str) -> Person | None:
        """Who someone is, or None when Slack will not say (not found, or Slack is failing: asked again in a
        few seconds)."""
        cached = self._get(self._people, user_id, PERSON_TTL_S)
        if cached is not None and (cached[1] is not None or self._monotonic() - cached[0] <= FAILURE_TTL_S):
            return cached[1]
        try:
            data = client.users_info(user=user_id).get("user") or {}
            profile = data.get("profile") or {}
            person: Person | None = Person(
                id=user_id,
                team_id=str(data.get("team_id") or ""),
                enterprise_id=(data.get("enterprise_user") or {}).get("enterprise_id") or None,
                name=str(profile.get("real_name") or data.get("real_name") or profile.get("display_name") or ""),
                is_admin=bool(data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner")),
                is_bot=bool(data.get("is_bot")) or user_id == "USLACKBOT",
                deleted=bool(data.get("deleted")),
                is_stranger=bool(data.get("is_stranger")),
                tz=str(data["tz"]) if data.get("tz") else None,
            )
        except (SlackApiError, OSError):
            person = None
        with self._lock:
            self._people[user_id] = (self._monotonic(), person)
        return person

    def installation(self, client: WebClient) -> Installation | None:
        """Who installed wiift for this client's token (asked once a token: a token's installation never
        changes; each workspace of a many-workspace install has its own), or None while Slack fails."""
        token = client.token or ""
        if token in self._installations:
            return self._installations[token]
        try:
            data = client.auth_test()
        except (SlackApiError, OSError):
            return None
        found = Installation(team_id=data.get("team_id") or None, enterprise_id=data.get("enterprise_id") or None)
        self._installations[token] = found
        return found

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
        except (SlackApiError, OSError):
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
