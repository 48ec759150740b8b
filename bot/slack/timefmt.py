"""Times as a person reads them, in their own zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def local(moment: datetime, tz: str) -> str:
    """`Thu 3 Dec, 14:00 EST`."""
    at = moment.astimezone(ZoneInfo(tz))
    return f"{at:%a} {at.day} {at:%b}, {at:%H:%M} {at.tzname()}"


def clock_time(moment: datetime, tz: str) -> str:
    at = moment.astimezone(ZoneInfo(tz))
    return f"{at:%H:%M}"


def duration(delta: timedelta) -> str:
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    text = f"{hours} hour{'s' if hours != 1 else ''}"
    return text + (f" {rest} min" if rest else "")
