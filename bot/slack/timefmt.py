"""Times as a person reads them.

In Slack, a time is sent as Slack's date token, `<!date^UNIX^{date_short_pretty} at {time}|fallback>`: each
reader's own client shows it in their own zone and 12- or 24-hour clock. The fallback, for clients that
cannot render the token (notifications, some integrations), is the plain time in the zone wiift knows for
the person it is writing to.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

DATE_AND_TIME = "{date_short_pretty} at {time}"
TIME_ONLY = "{time}"
_TOKEN = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")


def slack_date(moment: datetime, fallback: str, *, shown: str = DATE_AND_TIME) -> str:
    """`<!date^1764788400^{date_short_pretty} at {time}|Thu 3 Dec, 14:00 EST>`."""
    return f"<!date^{int(moment.timestamp())}^{shown}|{fallback}>"


def local(moment: datetime, tz: str) -> str:
    """A day and time for Slack: each reader sees it in their own zone (fallback `Thu 3 Dec, 14:00 EST`)."""
    return slack_date(moment, plain(moment, tz))


def clock_time(moment: datetime, tz: str) -> str:
    """A time of day for Slack, in each reader's zone and clock (fallback `14:00`)."""
    at = moment.astimezone(ZoneInfo(tz))
    return slack_date(moment, f"{at:%H:%M}", shown=TIME_ONLY)


def plain(moment: datetime, tz: str) -> str:
    """`Thu 3 Dec, 14:00 EST`: for text that is not Slack mrkdwn (plain_text blocks, the terminal)."""
    at = moment.astimezone(ZoneInfo(tz))
    return f"{at:%a} {at.day} {at:%b}, {at:%H:%M} {at.tzname()}"


def fallbacks(text: str) -> str:
    """`text` with each date token replaced by its fallback: for plain text (modal errors, the terminal)."""
    return _TOKEN.sub(r"\1", text)


def duration(delta: timedelta) -> str:
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    text = f"{hours} hour{'s' if hours != 1 else ''}"
    return text + (f" {rest} min" if rest else "")
