"""A person's week: its key, when their digest falls due, and the buyer-focus figure.

Weeks are ISO weeks in the person's own zone, keyed like "2026-W47". The digest slot is a weekday and a
minute after local midnight within that week (Monday 08:00 by default); it is due once local time has
passed the slot. What a digest covers is the seven days before it is composed, so a Monday-morning digest
looks back over the week just gone and ahead over the week to come.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.slack.escape import escape

WEEK = timedelta(days=7)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PRESSURE_SIGNALS = frozenset({"seller_pressure", "self_pitch"})


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Slot:
    week: str
    at: datetime  # the slot as an aware instant

    def due(self, now: datetime) -> bool:
        return now >= self.at


def digest_slot(now: datetime, *, tz: str, weekday: int, minute: int) -> Slot:
    """This week's digest slot for a person in zone `tz` (the ISO week that contains `now` there)."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    day = monday + timedelta(days=weekday)
    hour, minutes = divmod(minute, 60)
    return Slot(week=week_key(monday), at=datetime.combine(day, time(hour, minutes), tzinfo=zone))


def weeks_around(now: datetime) -> set[str]:
    """Every week key some zone on Earth is in at `now` (zones run from UTC-12 to UTC+14)."""
    return {week_key((now + timedelta(hours=h)).date()) for h in (-12, 0, 14)}


def describe_slot(weekday: int, minute: int) -> str:
    return f"{DAYS[weekday]}s at {minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class BuyerFocus:
    """Of a person's deal updates in a week (chatter aside): how many said what the buyer gains, and how
    many leaned on the seller's own pressure or pitch. One update can count on both sides."""

    updates: int = 0
    buyer_value: int = 0
    pressure: int = 0

    @classmethod
    def of(cls, signal_sets: Iterable[frozenset[str]]) -> BuyerFocus:
        updates = value = pressure = 0
        for signals in signal_sets:
            updates += 1
            value += "customer_value" in signals
            pressure += bool(signals & PRESSURE_SIGNALS)
        return cls(updates=updates, buyer_value=value, pressure=pressure)

    def figure(self) -> str:
        if not self.updates:
            return "no deal updates"
        noun = "update" if self.updates == 1 else "updates"
        return (
            f"{self.buyer_value} of {self.updates} {noun} named what the buyer gains, "
            f"{self.pressure} leaned on our pressure or pitch"
        )


def focus_line(this_week: BuyerFocus, last_week: BuyerFocus) -> str:
    """`*Buyer focus this week:* 3 of 5 updates named … · last week: 1 of 4 …` (mrkdwn, no user text)."""
    line = f"*Buyer focus this week:* {this_week.figure()}"
    if last_week.updates:
        line += f"\n_Last week: {last_week.figure()}_"
    return line


_DAY_NAMES = {name.lower(): i for i, name in enumerate(DAYS)} | {
    name.lower()[:3]: i for i, name in enumerate(DAYS)
} | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}  # fmt: skip
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>am|pm)?$", re.IGNORECASE)


def read_slot(text: str) -> tuple[int, int] | str:
    """`mon 08:00`, `Friday 16:30`, `thu 7:45am` -> (weekday, minute after midnight), or what is wrong."""
    words = text.split()
    if len(words) < 2:
        return "Give a day and a time, e.g. `/coach digest mon 08:00` or `/coach digest Friday 16:30`."
    day_word, time_text = words[0], "".join(words[1:])
    weekday = _DAY_NAMES.get(day_word.lower().rstrip(",."))
    if weekday is None:
        return f"I don't know the day “{escape(day_word)}”. Use a weekday such as `mon`, `tuesday` or `Fri`."
    match = _TIME.match(time_text)
    if match is None:
        return f"I couldn't read the time “{escape(time_text)}”. Use a 24-hour time such as `08:00` or `16:30`."
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), (match["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return f"“{escape(time_text)}” is not a time: with am/pm the hour runs from 1 to 12."
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None:
        return f"I couldn't read the time “{escape(time_text)}”. Use a 24-hour time such as `08:00` or `16:30`."
    if hour > 23 or minute > 59:
        return f"“{escape(time_text)}” is not a time of day: hours run 00 to 23 and minutes 00 to 59."
    return weekday, hour * 60 + minute
