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
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip
# Weekday names sellers write in other languages (French, Spanish, German, Italian, Dutch, Portuguese).
FOREIGN_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4, "sábado": 5,
    "sabado": 5, "domingo": 6, "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
    "samstag": 5, "sonntag": 6, "lunedì": 0, "lunedi": 0, "martedì": 1, "martedi": 1, "mercoledì": 2,
    "mercoledi": 2, "giovedì": 3, "giovedi": 3, "venerdì": 4, "venerdi": 4, "sabato": 5, "domenica": 6,
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
    "segunda-feira": 0, "terça-feira": 1, "terca-feira": 1, "quarta-feira": 2, "quinta-feira": 3,
    "sexta-feira": 4, "måndag": 0, "mandag": 0, "tisdag": 1, "tirsdag": 1, "onsdag": 2, "torsdag": 3,
    "fredag": 4, "lördag": 5, "lørdag": 5, "söndag": 6, "søndag": 6,
}  # fmt: skip
WEEKDAYS.update(FOREIGN_WEEKDAYS)
_TOMORROW = ("tomorrow", "tmrw", "tmr", "tmro", "tomoz", "2moro", "demain", "mañana", "morgen", "domani", "amanhã")
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
    "cest": "Europe/Berlin", "ist": "Asia/Kolkata", "sgt": "Asia/Singapore", "aest": "Australia/Brisbane",
    "aedt": "Australia/Sydney", "aet": "Australia/Sydney", "jst": "Asia/Tokyo", "hkt": "Asia/Hong_Kong",
    "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland", "nzt": "Pacific/Auckland",
    "awst": "Australia/Perth", "acst": "Australia/Adelaide", "acdt": "Australia/Adelaide",
    "sast": "Africa/Johannesburg", "wat": "Africa/Lagos", "eat": "Africa/Nairobi", "gst": "Asia/Dubai",
    "pht": "Asia/Manila", "wib": "Asia/Jakarta", "kst": "Asia/Seoul", "brt": "America/Sao_Paulo",
}  # fmt: skip
# "10am Perth time", "3pm Regina time": a place named before "time" is read as the zone it names.
CITY_ZONES: dict[str, str] = {}
for _zone in sorted(available_timezones()):
    if "/" in _zone and not _zone.startswith(("Etc/", "SystemV/", "US/")):
        CITY_ZONES.setdefault(_zone.rsplit("/", 1)[1].replace("_", " ").lower(), _zone)
CITY_ZONES.update({
    "new york": "America/New_York", "ny": "America/New_York", "nyc": "America/New_York",
    "east coast": "America/New_York", "west coast": "America/Los_Angeles", "sf": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles", "boston": "America/New_York",
    "atlanta": "America/New_York", "miami": "America/New_York", "dallas": "America/Chicago",
    "austin": "America/Chicago", "houston": "America/Chicago", "cancún": "America/Cancun",
    "uk": "Europe/London", "irish": "Europe/Dublin", "ireland": "Europe/Dublin", "nz": "Pacific/Auckland",
    "wellington": "Pacific/Auckland", "christchurch": "Pacific/Auckland", "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "pune": "Asia/Kolkata", "hyderabad": "Asia/Kolkata", "chennai": "Asia/Kolkata", "cape town": "Africa/Johannesburg",
    "joburg": "Africa/Johannesburg", "durban": "Africa/Johannesburg", "sa": "Africa/Johannesburg",
    "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin", "milan": "Europe/Rome",
    "lyon": "Europe/Paris", "barcelona": "Europe/Madrid", "manchester": "Europe/London",
    "birmingham": "Europe/London", "leeds": "Europe/London", "glasgow": "Europe/London",
    "edinburgh": "Europe/London", "galway": "Europe/Dublin", "cork": "Europe/Dublin", "geneva": "Europe/Zurich",
    "toronto": "America/Toronto", "montreal": "America/Toronto", "calgary": "America/Edmonton",
    "sg": "Asia/Singapore", "kl": "Asia/Kuala_Lumpur", "hk": "Asia/Hong_Kong", "beijing": "Asia/Shanghai",
    "qld": "Australia/Brisbane", "wa": "Australia/Perth", "nsw": "Australia/Sydney", "vic": "Australia/Melbourne",
    "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne", "brisbane": "Australia/Brisbane",
    "perth": "Australia/Perth", "adelaide": "Australia/Adelaide", "auckland": "Pacific/Auckland",
    "china": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "japan": "Asia/Tokyo", "korea": "Asia/Seoul",
    "germany": "Europe/Berlin", "german": "Europe/Berlin", "france": "Europe/Paris", "french": "Europe/Paris",
    "spain": "Europe/Madrid", "italy": "Europe/Rome", "netherlands": "Europe/Amsterdam",
    "dutch": "Europe/Amsterdam", "sweden": "Europe/Stockholm", "poland": "Europe/Warsaw",
    "portugal": "Europe/Lisbon", "brazil": "America/Sao_Paulo", "mexico": "America/Mexico_City",
    "philippines": "Asia/Manila", "indonesia": "Asia/Jakarta", "malaysia": "Asia/Kuala_Lumpur",
    "vietnam": "Asia/Ho_Chi_Minh", "thailand": "Asia/Bangkok", "uae": "Asia/Dubai", "israel": "Asia/Jerusalem",
    "egypt": "Africa/Cairo", "kenya": "Africa/Nairobi", "nigeria": "Africa/Lagos", "us eastern": "America/New_York",
    "eastern": "America/New_York", "central": "America/Chicago", "pacific": "America/Los_Angeles",
    "mountain": "America/Denver", "local": "",
})  # fmt: skip
_CITY_TIME = re.compile(r"\s*\(?([a-zà-ÿ]+(?: [a-zà-ÿ]+)?) time\b")

_MONTH = (
    r"(?P<{0}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"mon(?:day)?|tues?(?:day)?|wed(?:s|nesday)?|thu(?:rs?)?(?:day)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    + "|".join(sorted(FOREIGN_WEEKDAYS, key=len, reverse=True))
)
DAY_RE = re.compile(
    r"\b(?:(?P<rel>today|tonight|this (?:morning|afternoon|evening)|" + "|".join(_TOMORROW) + r"|yesterday)"
    rf"|(?:(?P<mod>this|next|coming|last)\s+)?(?P<wd>{_WEEKDAY})\b"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    rf"|{_MONTH.format('m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.format('m2')}\b(?:,?\s+(?P<y2>\d{{4}}))?"
    r"|\bthe\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)\b)",
    re.IGNORECASE,
)
_ZONE = (
    r"(?:\s*\(?(?P<z{0}>[ecmp][sd]?t|eastern|central|pacific|mountain|gmt|utc|bst|cest|cet|ist|sgt|aes?t|aedt"
    r"|jst|hkt|nz[sd]?t|uk time|london time|awst|ac[sd]t|sast|wat|eat|gst|pht|wib|kst|brt)\b\)?)?"
)
_NOT_A_TIME = (
    r"(?!\s*(?:%|percent|x\b|k\b|m\b|people|users|seats|sites|locations|stores|trucks|beds|of\b|days?|weeks?"
    r"|months?|years?|hours?|hrs?|min(?:ute)?s?\b))"
)
_HOUR_NAMES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_HOUR_WORDS = "|".join(_HOUR_NAMES)


def _hour(raw: str) -> int:
    return int(raw) if raw.isdigit() else _HOUR_NAMES.index(raw.lower()) + 1


TIME_RE = re.compile(
    rf"\b(?P<h1>\d{{1,2}})(?:[:.](?P<m1>[0-5]\d))?\s*(?P<ap>a\.?m\b\.?|p\.?m\b\.?){_ZONE.format(1)}"
    rf"|\b(?P<h2>[0-2]?\d):(?P<m2>[0-5]\d)\b(?!\s*%){_ZONE.format(2)}"
    rf"|\bhalf\s+(?:past\s+)?(?P<h3>\d{{1,2}}|{_HOUR_WORDS})\b{_NOT_A_TIME}{_ZONE.format(3)}"
    rf"|\bquarter\s+(?P<qd>past|after|to)\s+(?P<h4>\d{{1,2}}|{_HOUR_WORDS})\b{_NOT_A_TIME}{_ZONE.format(4)}"
    rf"|(?:\b(?:at|around|alle|a las)\s*|(?:(?<=\s)|^)@\s*)(?P<h5>\d{{1,2}})(?:ish)?\b(?![:.,/]\d|\s*[ap]\.?m\b)"
    rf"{_NOT_A_TIME}{_ZONE.format(5)}"
    rf"|\b(?P<h6>\d{{1,2}})(?:ish|\s*o'?clock)\b{_ZONE.format(6)}"
    rf"|\b(?P<noon>noon|midday|midnight)\b{_ZONE.format(7)}"
    rf"|\b(?P<h8>\d{{1,2}})(?::(?P<m8>[0-5]\d))?(?P<ap8>[ap])\b{_ZONE.format(8)}"
    rf"|\b(?P<h9>[01]?\d|2[0-3])h(?P<m9>[0-5]\d)?\b{_ZONE.format(9)}"
    rf"|(?<![$€£\d.,])\b(?P<h10>[01]?\d|2[0-3])\.(?P<m10>[0-5]\d)\b"
    rf"(?![\d.,%]|\s*(?:%|k\b|m\b|x\b|million|billion|bn\b|percent)){_ZONE.format(10)}",
    re.IGNORECASE,
)
# The same patterns for lowercased text: without IGNORECASE the engine rejects branches by their first letter.
_DAY_LOWER = re.compile(DAY_RE.pattern)
_TIME_LOWER = re.compile(TIME_RE.pattern)


def _grouped(alternatives: str, *, bounded: bool = False, anywhere: str = "") -> str:
    """The alternation `alternatives` ("a|b|…", each opening with one literal character or a `\\d`), with the
    alternatives that open alike grouped behind their opening, in their order. It matches exactly as the
    plain alternation does (one opening another cannot match where these do), but the engine tries one
    branch a position rather than each in turn.

    With `bounded`, the openings not in `anywhere` match only at the start of a word (not after a letter, digit
    or "_"): checked right after the opening character, so the engine still skips straight to the openings.
    A scan of it then finds the word starts a scan of the plain alternation finds, as long as no match of the
    alternation in the middle of a word can take in a word start where one of them opens."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives.split("|"):
        opening = alternative[:2] if alternative.startswith("\\") else alternative[:1]
        assert opening == r"\d" or (opening and opening not in r".^$*+?{}[]()|"), alternative
        groups.setdefault(opening, []).append(alternative[len(opening) :])
    return "|".join(
        key
        + (f"(?<!\\w{key})" if bounded and key not in anywhere else "")
        + (f"(?:{'|'.join(rest)})" if rest != [""] else "")
        for key, rest in groups.items()
    )


# Where a day can start (every DAY_RE branch begins with one of these, at a word boundary).
_DAY_START = re.compile(
    _grouped(
        r"today|tonight|this|yesterday|next|coming|last|mon|tue|wed|thu|fri|sat|sun"
        r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the\s+\d|0|1|2|3|4|5|6|7|8|9|"
        + "|".join(sorted({w[:3] for w in (*_TOMORROW, *FOREIGN_WEEKDAYS)}))
    )
)
# Where a clock time can start (every TIME_RE branch begins with one of these): TIME_RE is only tried there.
# Bounded: a time starts at a word start, but for "@" ("@3pm"). (Of the branches only "a las" holds more than
# a word, and "l" opens none of them: no word start is hidden inside a match in the middle of a word.)
_TIME_START = re.compile(
    _grouped(r"\d|@|half|quarter|at|around|alle|a las|noon|midday|midnight", bounded=True, anywhere="@")
)
RELATIVE_RE = re.compile(
    r"\b(?:in|dans|en|tra|fra|over)\s+(?:(?:about|around|roughly|approx\.?|~)\s*)?(?:(?P<half>half an?\s+hour)"
    r"|(?P<n>an?|one|two|three|four|five|ten|fifteen|twenty|thirty|"
    r"forty[- ]?five|ninety|une?|\d+(?:\.\d+)?)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?|heures?|horas?|ore|ora|uur)\b)",
    re.IGNORECASE,
)
# RELATIVE_RE for lowercased text, without IGNORECASE.
_RELATIVE_LOWER = re.compile(RELATIVE_RE.pattern)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "fifteen": 15,
    "twenty": 20, "thirty": 30, "fortyfive": 45, "forty-five": 45, "forty five": 45, "ninety": 90,
    "un": 1, "une": 1,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Found:
    """A piece of a time phrase and where it sits in the text."""

    start: int
    end: int
    value: object
    weekday: bool = False


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
        offset = 1 if word in _TOMORROW else -1 if word == "yesterday" else 0
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


def find_days(text: str, today: date) -> list[Found]:
    """Every day expression, resolved; a weekday directly followed by its date ("Wednesday 21 October") is one."""
    lowered = text.lower()
    matches = _day_matches(lowered) if len(lowered) == len(text) else DAY_RE.finditer(text)
    found: list[Found] = []
    for match in matches:
        resolved = _resolve_day(match, today)
        if resolved is None:
            continue
        if found and match.group("wd") is None and match.start() - found[-1].end <= 2 and _is_weekday(found[-1]):
            found[-1] = Found(found[-1].start, match.end(), resolved)
            continue
        if match.group("wd") is not None:
            ordinal = _ORDINAL_AFTER.match(lowered, match.end())
            if ordinal is not None:
                dated = _day_of_month(int(ordinal.group(1)), today)
                if dated is not None:
                    found.append(Found(match.start(), ordinal.end(), dated))
                    continue
        found.append(Found(match.start(), match.end(), resolved, match.group("wd") is not None))
    return found


_ORDINAL_AFTER = re.compile(r"\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b")


def _day_of_month(day: int, today: date) -> date | None:
    """The next date with this day of the month, today included."""
    try:
        found = date(today.year, today.month, day)
        if found < today:
            year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
            found = date(year, month, day)
    except ValueError:
        return None
    return found


def _is_weekday(found: Found) -> bool:
    return bool(found.weekday)


_AFTER_DAY = re.compile(
    r"(?:\s*,)?\s+(?:at\s+|@\s*)?(?P<h>\d{1,2})(?:[:.](?P<m>[0-5]\d))?(?![\d/:-]|\.\d|\s*(?:st|nd|rd|th|%|x\b"
    r"|k\b|m\b|people|users|seats|sites|days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes|am\b|pm\b))"
    + _ZONE.format(0).replace("(?P<z0>", "(?P<zone>")
)


def _hour_after_day(text: str, days: list[Found]) -> Found | None:
    """A bare hour straight after a day: "thurs 10", "Monday 11 Central", "Thursday, 10 till 12"."""
    lowered = text.lower()
    for day in days:
        match = _AFTER_DAY.match(lowered, day.end)
        if match is None:
            continue
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        if not 1 <= hour <= 12:
            continue
        zone = ZONES.get(match.group("zone")) if match.group("zone") else None
        if zone is None:
            city = _CITY_TIME.match(lowered, match.end())
            zone = CITY_ZONES.get(city.group(1)) or None if city else None
        return Found(match.start("h"), match.end(), (_afternoon(hour, match, lowered), minute, zone))
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
        if at < resume:  # (every branch but "@" starts at a word boundary: _TIME_START finds only those)
            continue
        match = _TIME_LOWER.match(lowered, at)
        if match is not None:
            resume = match.end()
            yield match


_ZONE_GROUPS = tuple(f"z{i}" for i in range(1, 11))  # TIME_RE's zone groups, in order


def _resolve_time(match: re.Match[str], text: str) -> tuple[int, int, str | None] | None:
    g = match.groupdict()
    zone = next((g[name] for name in _ZONE_GROUPS if g[name]), None)
    zone_name = ZONES.get(zone.lower()) if zone else None
    if zone_name is None:
        city = _CITY_TIME.match(text, match.end())
        zone_name = CITY_ZONES.get(city.group(1)) or None if city else None
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
        return _bare(_hour(g["h3"]), 30, match, text, zone_name)
    if g["h4"]:
        hour = _hour(g["h4"])
        if g["qd"].lower() == "to":
            return _bare(hour - 1 if hour > 1 else 12, 45, match, text, zone_name)
        return _bare(hour, 15, match, text, zone_name)
    if g["h8"]:
        hour, minute = int(g["h8"]), int(g["m8"] or 0)
        if not 1 <= hour <= 12:
            return None
        return hour % 12 + (12 if g["ap8"].lower() == "p" else 0), minute, zone_name
    if g["h10"]:
        hour, minute = int(g["h10"]), int(g["m10"])
        return _afternoon(hour, match, text), minute, zone_name
    if g["h9"]:
        hour, minute = int(g["h9"]), int(g["m9"] or 0)
        if hour < 7 and not g["m9"]:
            return None  # "2h" is more often a duration than two o'clock
        return hour, minute, zone_name
    hour = int(g["h5"] or g["h6"])
    return _bare(hour, 0, match, text, zone_name)


def _bare(hour: int, minute: int, match: re.Match[str], text: str, zone: str | None) -> tuple | None:
    if 13 <= hour <= 23:
        return hour, minute, zone  # "at 14": a 24-hour clock
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
    hours = unit.startswith(("h", "o", "u"))
    delta = timedelta(hours=amount) if hours else timedelta(minutes=amount)
    return Found(match.start(), match.end(), delta)


def local_now(now: datetime, tz: str) -> datetime:
    """`now` in the poster's zone; a naive `now` is taken as wall-clock time there."""
    zone = _zone(tz)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    """ZoneInfo(name), held: the zones posters write from are few, and ZoneInfo's own cache keeps fewer."""
    return ZoneInfo(name)


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
    days = find_days(text, now.date())
    if clock is None:
        clock = _hour_after_day(text, days)
        if clock is None:
            return None, []
    hour, minute, zone_name = clock.value  # type: ignore[misc]
    zone = ZoneInfo(zone_name) if zone_name else now.tzinfo
    if days:
        day = min(days, key=lambda d: max(d.start - clock.end, clock.start - d.end, 0))
        moment = datetime.combine(day.value, time(hour, minute), tzinfo=zone)  # type: ignore[arg-type]
        return moment.astimezone(now.tzinfo), [(day.start, day.end), (clock.start, clock.end)]
    moment = datetime.combine(now.date(), time(hour, minute), tzinfo=zone)
    if moment <= now:
        moment = datetime.combine(now.date() + timedelta(days=1), time(hour, minute), tzinfo=zone)
    return moment.astimezone(now.tzinfo), [(clock.start, clock.end)]
