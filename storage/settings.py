"""Per-channel and per-user settings."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session

from storage.conflict import insert_if_absent
from storage.models import ChannelSetting, UserProfile


def is_quiet(*, session: Session, team_id: str, channel_id: str) -> bool:
    return bool(session.execute(_quiet(), {"team_id": team_id, "channel_id": channel_id}).scalar())


@functools.cache
def _quiet() -> Executable:  # built once: this runs for every message
    table = ChannelSetting.__table__  # type: ignore[attr-defined]
    return select(table.c.quiet).where(
        table.c.team_id == bindparam("team_id"), table.c.channel_id == bindparam("channel_id")
    )


def set_quiet(*, session: Session, team_id: str, channel_id: str, quiet: bool, user_id: str, now: datetime) -> None:
    setting = session.get(ChannelSetting, (team_id, channel_id))
    if setting is None:
        setting = ChannelSetting(team_id=team_id, channel_id=channel_id, updated_by=user_id, updated_at=now)
    setting.quiet = quiet
    setting.updated_by = user_id
    setting.updated_at = now
    session.add(setting)


def user_profile(*, session: Session, team_id: str, user_id: str) -> UserProfile | None:
    return session.get(UserProfile, (team_id, user_id))


def ensure_profile(*, session: Session, team_id: str, user_id: str) -> UserProfile:
    """The user's profile, created with defaults if absent (safe when two threads race to create it)."""
    insert_if_absent(session, UserProfile, dict(team_id=team_id, user_id=user_id), keys=("team_id", "user_id"))
    profile = session.get(UserProfile, (team_id, user_id))
    assert profile is not None
    return profile


def cache_tz(*, session: Session, team_id: str, user_id: str, tz: str | None, now: datetime) -> UserProfile:
    profile = ensure_profile(session=session, team_id=team_id, user_id=user_id)
    profile.tz = tz
    profile.tz_checked_at = now
    session.add(profile)
    return profile
