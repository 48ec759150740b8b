"""A user's time zone: from Slack's profile, cached in our table for a day, else the configured default."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient

from bot.core.services import Services
from storage.db import unit_of_work
from storage.settings import cache_tz, user_profile

TZ_CACHE_FOR = timedelta(days=1)


def _valid(tz: str | None) -> str | None:
    if not tz:
        return None
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return tz


def user_tz(services: Services, client: WebClient, *, team_id: str, user_id: str) -> str:
    remembered = services.lookup.tz(team_id, user_id)
    if remembered is not None:
        return remembered
    tz = _stored_or_slack_tz(services, client, team_id=team_id, user_id=user_id)
    services.lookup.remember_tz(team_id, user_id, tz)
    return tz


def _stored_or_slack_tz(services: Services, client: WebClient, *, team_id: str, user_id: str) -> str:
    now = services.clock()
    with unit_of_work(services.engine) as session:
        profile = user_profile(session=session, team_id=team_id, user_id=user_id)
        if profile is not None and profile.tz_checked_at is not None and now - profile.tz_checked_at < TZ_CACHE_FOR:
            return _valid(profile.tz) or services.settings.default_tz
    person = services.lookup.person(client, user_id)  # the one users.info call we make about a person
    if person is None:
        return services.settings.default_tz  # not cached here: Slack is asked again shortly
    tz = _valid(person.tz)
    with unit_of_work(services.engine) as session:
        cache_tz(session=session, team_id=team_id, user_id=user_id, tz=tz, now=now)
    return tz or services.settings.default_tz
