"""Which sentences announce a future call with the buyer, and when it is.

Internal meetings (forecast review, deal desk), past calls and cancelled ones are not meetings.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.coach.gate import Lexicon, prefixes, split_top
from bot.coach.when import DAY_RE, find_day, resolve


def _lexicon(pattern: str, _flags: int = 0) -> Lexicon:
    return Lexicon(*split_top(pattern))


_DAY_STEMS = frozenset(
    [
        *("today", "tonight", "tomorrow", "tmrw", "tmr", "yesterday"),
        *("mon", "tue", "wed", "thu", "fri", "saturday", "sunday"),
        *("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    ]
)
_CLOCK_WORDS = ("noon", "midday", "midnight", "hour", "minute")
_NOUN = _lexicon(
    r"\b(?:call|calls|meeting|demo|session|sync(?! errors| issues)|visit|onsite|on-site|site visit|qbr|kickoff|"
    r"kick-off|deep dive|"
    r"workshop|review|follow-up|follow up|catch-up|catch up|walkthrough|presentation|invite|zoom|teams call|"
    r"lunch with|dinner with|coffee with|chat with|intro|readout|debrief with|steering committee|exec session|"
    r"rescheduled|pilot kickoff|tour of|working session)\b",
)
_CUE = _lexicon(
    r"\bwith\b|\bw/|\bon with\b|\bjumping on\b|\bhopping on\b|\bgot (?-i:[A-Z])\w+ for\b|\bworks for\b|"
    r"\basked for\b|\bwe'?re doing\b|\b(?:booked|locked|confirmed|set|scheduled|moved to|now)\b|\bcan do\b|"
    r"\bmeet(?:ing)? (?:them|him|her|with)\b",
)
_LOOSE_WHEN = _lexicon(
    r"\b(?:later this (?:week|month)|next (?:week|month)|this week|scheduled|booked|planning|planned|upcoming|"
    r"lined up|set up|in (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|on the \d{1,2}(?:st|nd|rd|th))\b",
)
_INTERNAL = _lexicon(
    r"\b(?:forecast|deal desk|pipeline review|all-hands|all hands|stand-?up|1:1|one-on-one|team meeting|"
    r"team sync|internal|sales kickoff|sko|enablement|training|offsite|deal review|(?:my|our) (?:manager|boss|vp))\b",
)
_PAST = _lexicon(
    r"\b(?:had|held|yesterday|met|recap|went well|earlier today|last (?:week|call|meeting)|since the|"
    r"cancell?ed|called off|after the|great call|good call|notes from|got moved|ran out|was great)\b",
)
_DIGIT = re.compile(r"\d")
_AGREED = re.compile(r"\bworks for\b|\binvite\b")
_THEIR_OWN = _lexicon(r"\btheir (?:\w+ ){0,2}(?:meeting|all-hands|board meeting|offsite)\b", re.IGNORECASE)


def is_internal(sentence: str) -> bool:
    return _INTERNAL.search(sentence)


def meeting_in(
    sentences: list[str], now: datetime, words: frozenset[str] | None = None
) -> tuple[bool, datetime | None]:
    """Whether a future buyer meeting is mentioned, and its time when a day and time (or 'in N hours') are given.

    `now` is aware, in the poster's zone; `words` is `prefixes()` of the whole message, if already computed.
    """
    found = False
    if words is None:
        words = prefixes(" ".join(sentences).lower())
    for sentence in sentences:
        lowered = sentence.lower()
        digits = _DIGIT.search(sentence) is not None
        noun = _NOUN.search(sentence, lowered, words)
        clock = digits or any(w in lowered for w in _CLOCK_WORDS)
        dayish = digits or not _DAY_STEMS.isdisjoint(words)
        if not (noun or clock or dayish):
            continue
        if any(p.search(sentence, lowered, words) for p in (_PAST, _INTERNAL, _THEIR_OWN)):
            continue
        moment, spans = resolve(sentence, now) if clock else (None, [])
        if moment is not None:
            if moment < now:
                continue
            # "Friday at 3 with Tom", "Tomorrow 8am: …": a sentence led by its time is announcing a call.
            if noun or _CUE.search(sentence, lowered, words) or min(start for start, _ in spans) == 0:
                return True, moment
            continue
        day = find_day(sentence, now.date()) if dayish and DAY_RE.search(sentence) else None
        if day is not None and day.value < now.date():  # type: ignore[operator]
            continue
        loose = noun and (day is not None or _LOOSE_WHEN.search(sentence, lowered, words))
        if loose or (day is not None and _AGREED.search(lowered)):
            found = True
    return found, None
