"""Reading meeting times out of text, by COACHING.md's rules, in the poster's time zone.

Hand-written rules come first because several conventions differ from what a general date library does:
"at 3" is 15:00, "Thursday" posted on a Thursday is next week's, "next Thursday" is the first Thursday
after now, "half 2" is 14:30, "3ish" is 15:00, and a zone named in the text ("2pm ET") wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
ZONES = {
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "eastern": "America/New_York", "ct": "America/Chicago", "cst": "America/Chicago",
    "cdt": "America/Chicago", "central": "America/Chicago", "mt": "America/Denver",
    "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "gmt": "UTC", "utc": "UTC", "bst": "Europe/London",
    "uk time": "Europe/London", "london time": "Europe/London", "cet": "Europe/Berlin",
    "cest": "Europe/Berlin", "ist": "Asia/Kolkata", "sgt": "Asia/Singapore", "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney", "aet": "Australia/Sydney", "jst": "Asia/Tokyo", "hkt": "Asia/Hong_Kong",
    "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland", "nzt": "Pacific/Auckland",
}  # fmt: skip

_MONTH = (
    r"(?P<{0}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"mon(?:day)?|tues?(?:day)?|wed(?:s|nesday)?|thu(?:rs?)?(?:day)?|fri(?:day)?|saturday|sunday"
DAY_RE = re.compile(
    r"\b(?:(?P<rel>today|tonight|this (?:morning|afternoon|evening)|tomorrow|tmrw|tmr|yesterday)"
    rf"|(?:(?P<mod>this|next|coming|last)\s+)?(?P<wd>{_WEEKDAY})\b"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    rf"|{_MONTH.format('m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.format('m2')}\b(?:,?\s+(?P<y2>\d{{4}}))?"
    r"|\bthe\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)\b)",
    re.IGNORECASE,
)
_ZONE = (
    r"(?:\s*\(?(?P<z{0}>[ecmp][sd]?t|eastern|central|pacific|mountain|gmt|utc|bst|cest|cet|ist|sgt|aes?t|aedt"
    r"|jst|hkt|nz[sd]?t|uk time|london time)\b\)?)?"
)
_NOT_A_TIME = (
    r"(?!\s*(?:%|percent|x\b|k\b|m\b|people|users|seats|sites|locations|stores|trucks|beds|of\b|days?|weeks?"
    r"|months?|years?|hours?|hrs?|min(?:ute)?s?\b))"
)
TIME_RE = re.compile(
    rf"\b(?P<h1>\d{{1,2}})(?::(?P<m1>[0-5]\d))?\s*(?P<ap>a\.?m\b\.?|p\.?m\b\.?){_ZONE.format(1)}"
    rf"|\b(?P<h2>[0-2]?\d):(?P<m2>[0-5]\d)\b(?!\s*%){_ZONE.format(2)}"
    rf"|\bhalf\s+(?P<h3>\d{{1,2}})\b{_NOT_A_TIME}{_ZONE.format(3)}"
    rf"|\bquarter\s+(?P<qd>past|after|to)\s+(?P<h4>\d{{1,2}})\b{_NOT_A_TIME}{_ZONE.format(4)}"
    rf"|(?:\b(?:at|around|@)\s*|(?<=\s)@)(?P<h5>\d{{1,2}})(?:ish)?\b(?![:.,/]\d){_NOT_A_TIME}{_ZONE.format(5)}"
    rf"|\b(?P<h6>\d{{1,2}})(?:ish|\s*o'?clock)\b{_ZONE.format(6)}"
    rf"|\b(?P<noon>noon|midday|midnight)\b{_ZONE.format(7)}",
    re.IGNORECASE,
)
# The same patterns for lowercased text: without IGNORECASE the engine rejects branches by their first letter.
_DAY_LOWER = re.compile(DAY_RE.pattern)
_TIME_LOWER = re.compile(TIME_RE.pattern)
# Where a day can start (every DAY_RE branch begins with one of these, at a word boundary).
_DAY_START = re.compile(
    r"today|tonight|this|tomorrow|tmrw|tmr|yesterday|next|coming|last|mon|tue|wed|thu|fri|saturday|sunday"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the\s+\d|0|1|2|3|4|5|6|7|8|9"
)
# Where a clock time can start (every TIME_RE branch begins with one of these): TIME_RE is only tried there.
_TIME_START = re.compile(r"\d|@|half|quarter|at|around|noon|midday|midnight")
RELATIVE_RE = re.compile(
    r"\bin\s+(?:(?P<half>half an?\s+hour)|(?P<n>an?|one|two|three|four|five|ten|fifteen|twenty|thirty|"
    r"forty[- ]?five|ninety|\d+(?:\.\d+)?)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?)\b)",
    re.IGNORECASE,
)
# RELATIVE_RE for lowercased text, its leading word boundary moved behind "in" so the engine can jump to it.
_RELATIVE_LOWER = re.compile(r"in(?<!\win)" + RELATIVE_RE.pattern.removeprefix(r"\bin"))
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "fifteen": 15,
    "twenty": 20, "thirty": 30, "fortyfive": 45, "forty-five": 45, "forty five": 45, "ninety": 90,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Found:
    """A piece of a time phrase and where it sits in the text."""

    start: int
    end: int
    value: object


def find_day(text: str, today: date) -> Found | None:
    """The first day expression, resolved against `today` (the poster's local date)."""
    lowered = text.lower()
    matches = _day_matches(lowered) if len(lowered) == len(text) else DAY_RE.finditer(text)
    for match in matches:
        resolved = _resolve_day(match, today)
        if resolved is not None:
            return Found(match.start(), match.end(), resolved)
    return None


def _resolve_day(match: re.Match[str], today: date) -> date | None:
    g = match.groupdict()
    if g["rel"]:
        word = g["rel"].lower()
        offset = {"tomorrow": 1, "tmrw": 1, "tmr": 1, "yesterday": -1}.get(word, 0)
        return today + timedelta(days=offset)
    if g["wd"]:
        weekday = WEEKDAYS.get(g["wd"].lower()) if g["wd"].lower() in WEEKDAYS else _weekday_prefix(g["wd"])
        if weekday is None:
            return None
        if (g["mod"] or "").lower() == "last":
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    try:
        if g["iy"]:
            return date(int(g["iy"]), int(g["im"]), int(g["id"]))
        if g["d1"] or g["d2"]:
            month = MONTHS[(g["m1"] or g["m2"]).lower().rstrip(".")[:3]]
            day, year = int(g["d1"] or g["d2"]), g["y1"] or g["y2"]
            if year:
                return date(int(year), month, day)
            found = date(today.year, month, day)
            # A date well behind us without a year means next year's; a recent one stays in the past.
            return found if found >= today - timedelta(days=60) else date(today.year + 1, month, day)
        if g["d3"]:
            found = date(today.year, today.month, int(g["d3"]))
            if found < today:
                year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
                found = date(year, month, int(g["d3"]))
            return found
    except ValueError:
        return None
    return None


def _day_matches(lowered: str) -> Iterator[re.Match[str]]:
    """DAY_RE.finditer() over lowercased text, trying the pattern only at words a day can start with."""
    resume = 0
    for start in _DAY_START.finditer(lowered):
        at = start.start()
        if at < resume or (at and (lowered[at - 1].isalnum() or lowered[at - 1] == "_")):
            continue
        match = _DAY_LOWER.match(lowered, at)
        if match is not None:
            resume = match.end()
            yield match


def _weekday_prefix(word: str) -> int | None:
    return WEEKDAYS.get(word.lower()[:3])


def find_time(text: str) -> Found | None:
    """The first clock time: (hour, minute, zone name or None), with COACHING.md's afternoon rule."""
    lowered = text.lower()
    if len(lowered) == len(text):
        matches = _clock_matches(lowered)
    else:  # lowercasing moved the offsets: read the text as it is
        matches, lowered = TIME_RE.finditer(text), text
    for match in matches:
        resolved = _resolve_time(match, lowered)
        if resolved is not None:
            return Found(match.start(), match.end(), resolved)
    return None


def _clock_matches(lowered: str) -> Iterator[re.Match[str]]:
    """TIME_RE.finditer() over lowercased text, trying the pattern only where a time can start."""
    resume = 0
    for start in _TIME_START.finditer(lowered):
        at = start.start()
        if at < resume:
            continue
        if at and lowered[at] != "@" and (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
            continue  # every branch but "@" starts at a word boundary
        match = _TIME_LOWER.match(lowered, at)
        if match is not None:
            resume = match.end()
            yield match


def _resolve_time(match: re.Match[str], text: str) -> tuple[int, int, str | None] | None:
    g = match.groupdict()
    zone = next((g[f"z{i}"] for i in range(1, 8) if g[f"z{i}"]), None)
    zone_name = ZONES.get(zone.lower()) if zone else None
    if g["noon"]:
        return (0 if g["noon"].lower() == "midnight" else 12), 0, zone_name
    if g["h1"]:
        hour, minute = int(g["h1"]), int(g["m1"] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if g["ap"].lower().startswith("p") else 0)
        return hour, minute, zone_name
    if g["h2"]:
        hour, minute = int(g["h2"]), int(g["m2"])
        if hour > 23:
            return None
        return _afternoon(hour, match, text), minute, zone_name
    if g["h3"]:
        return _bare(int(g["h3"]), 30, match, text, zone_name)
    if g["h4"]:
        hour = int(g["h4"])
        if g["qd"].lower() == "to":
            return _bare(hour - 1 if hour > 1 else 12, 45, match, text, zone_name)
        return _bare(hour, 15, match, text, zone_name)
    hour = int(g["h5"] or g["h6"])
    return _bare(hour, 0, match, text, zone_name)


def _bare(hour: int, minute: int, match: re.Match[str], text: str, zone: str | None) -> tuple | None:
    if not 1 <= hour <= 12:
        return None
    return _afternoon(hour, match, text), minute, zone


def _afternoon(hour: int, match: re.Match[str], text: str) -> int:
    """An hour from 1 to 7 without am/pm is in the afternoon, unless the text says morning."""
    if 1 <= hour <= 7:
        nearby = text[max(0, match.start() - 25) : match.end() + 25].lower()
        return hour if "morning" in nearby else hour + 12
    return hour


def find_relative(text: str) -> Found | None:
    """'in 2 hours', 'in 45 minutes', 'in an hour': elapsed time from now."""
    lowered = text.lower()
    match = _RELATIVE_LOWER.search(lowered) if len(lowered) == len(text) else RELATIVE_RE.search(text)
    if match is None:
        return None
    if match.group("half"):
        return Found(match.start(), match.end(), timedelta(minutes=30))
    raw = match.group("n").lower()
    amount = float(raw) if raw[0].isdigit() else _NUMBER_WORDS.get(raw, 1)
    unit = match.group("unit").lower()
    delta = timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount)
    return Found(match.start(), match.end(), delta)


def local_now(now: datetime, tz: str) -> datetime:
    """`now` in the poster's zone; a naive `now` is taken as wall-clock time there."""
    zone = ZoneInfo(tz)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


def resolve(text: str, now: datetime) -> tuple[datetime | None, list[tuple[int, int]]]:
    """The moment a phrase names, read by COACHING.md's rules, and the spans it was read from.

    `now` must be aware and in the poster's zone. A day without a time gives no moment, and neither does
    one past the calendar's end ("in 1000000000 hours", "9999-12-31 23:59 PT").
    """
    try:
        return _resolve(text, now)
    except OverflowError:
        return None, []


def _resolve(text: str, now: datetime) -> tuple[datetime | None, list[tuple[int, int]]]:
    relative = find_relative(text)
    if relative is not None:
        # Elapsed time: add it to the instant, not the wall clock, so a DST change in between is honoured.
        moment = (now.astimezone(UTC) + relative.value).astimezone(now.tzinfo)  # type: ignore[operator]
        return moment, [(relative.start, relative.end)]
    clock = find_time(text)
    if clock is None:
        return None, []
    hour, minute, zone_name = clock.value  # type: ignore[misc]
    zone = ZoneInfo(zone_name) if zone_name else now.tzinfo
    day = find_day(text, now.date())
    if day is not None:
        moment = datetime.combine(day.value, time(hour, minute), tzinfo=zone)  # type: ignore[arg-type]
        return moment.astimezone(now.tzinfo), [(day.start, day.end), (clock.start, clock.end)]
    moment = datetime.combine(now.date(), time(hour, minute), tzinfo=zone)
    if moment <= now:
        moment = datetime.combine(now.date() + timedelta(days=1), time(hour, minute), tzinfo=zone)
    return moment.astimezone(now.tzinfo), [(clock.start, clock.end)]
