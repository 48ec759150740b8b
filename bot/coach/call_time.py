"""The WHEN of `/deal call WHEN`: a bare time phrase, read by the same rules as a message's meeting time."""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import dateparser

from bot.coach.when import local_now, resolve

_FILLER = re.compile(r"\b(?:at|on|the|this|next|coming|of|@|around|for)\b|[\s,.:;()-]+", re.IGNORECASE)
_TIMEISH = re.compile(
    r"\d|\b(?:today|tonight|tomorrow|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec|noon|midday|midnight|morning|afternoon|evening|hour|minute|week|day)",
    re.IGNORECASE,
)
# In a message "sat" and "sun" are usually words ("sat down with their CFO"), so the message rules leave them
# out; in `/deal call WHEN` they can only be days.
_WEEKEND = re.compile(r"\b(?:(?P<sat>sat)|(?P<sun>sun))\b\.?", re.IGNORECASE)
_BASE_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "REQUIRE_PARTS": ["day", "month"],
}


def parse_when(text: str, *, now: datetime, tz: str) -> datetime | None:
    """An aware datetime in the poster's zone, or None. Explicit past dates come back as they are."""
    current = local_now(now, tz)
    phrase = _WEEKEND.sub(lambda m: "saturday" if m["sat"] else "sunday", " ".join(text.split()))
    if not phrase or not _TIMEISH.search(phrase):
        return None
    moment, spans = resolve(phrase, current)
    if moment is not None and _only_filler(phrase, spans):
        return moment
    return _library(phrase, current, tz)


def _only_filler(phrase: str, spans: list[tuple[int, int]]) -> bool:
    """True when the rules read the whole phrase: nothing but filler words remains outside their spans."""
    rest, cursor = [], 0
    for start, end in sorted(spans):
        rest.append(phrase[cursor:start])
        cursor = max(cursor, end)
    rest.append(phrase[cursor:])
    return not _FILLER.sub("", " ".join(rest)).strip()


def _library(phrase: str, current: datetime, tz: str) -> datetime | None:
    """dateparser for phrasings the rules do not cover ("3rd of December at 2 in the afternoon")."""
    settings = {**_BASE_SETTINGS, "TIMEZONE": tz, "RELATIVE_BASE": current.replace(tzinfo=None)}
    with warnings.catch_warnings():
        # dateparser may warn about a deprecated strptime default year on newer Pythons; only that one.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"dateparser\..*")
        found = dateparser.parse(phrase, languages=["en"], settings=settings)
    if found is None:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=ZoneInfo(tz))
    if (found.hour, found.minute) == (0, 0) and not re.search(r"\b(?:midnight|0?0:00|12 ?am)\b", phrase, re.I):
        return None  # a day without a time is not a meeting time
    return found.astimezone(ZoneInfo(tz))
