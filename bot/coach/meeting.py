"""Which sentences announce a future call with the buyer, and when it is.

Internal meetings (forecast review, deal desk), past calls and cancelled ones are not meetings.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.coach.when import DAY_RE, find_day, resolve

_NOUN = re.compile(
    r"\b(?:call|calls|meeting|demo|session|sync(?! errors| issues)|visit|onsite|on-site|site visit|qbr|kickoff|kick-off|deep dive|"
    r"workshop|review|follow-up|follow up|catch-up|catch up|walkthrough|presentation|invite|zoom|teams call|"
    r"lunch with|dinner with|coffee with|chat with|intro|readout|debrief with|steering committee|exec session|"
    r"rescheduled|pilot kickoff|tour of|working session)\b",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"\bwith\b|\bw/|\bon with\b|\bjumping on\b|\bhopping on\b|\bgot (?-i:[A-Z])\w+ for\b|\bworks for\b|"
    r"\basked for\b|\bwe'?re doing\b|\b(?:booked|locked|confirmed|set|scheduled|moved to|now)\b|\bcan do\b|"
    r"\bmeet(?:ing)? (?:them|him|her|with)\b",
    re.IGNORECASE,
)
_LOOSE_WHEN = re.compile(
    r"\b(?:later this (?:week|month)|next (?:week|month)|this week|scheduled|booked|planning|planned|upcoming|"
    r"lined up|set up|in (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|on the \d{1,2}(?:st|nd|rd|th))\b",
    re.IGNORECASE,
)
_INTERNAL = re.compile(
    r"\b(?:forecast|deal desk|pipeline review|all-hands|all hands|stand-?up|1:1|one-on-one|team meeting|"
    r"team sync|internal|sales kickoff|sko|enablement|training|offsite|deal review|(?:my|our) (?:manager|boss|vp))\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:had|held|yesterday|met|recap|went well|earlier today|last (?:week|call|meeting)|since the|"
    r"cancell?ed|called off|after the|great call|good call|notes from|got moved|ran out|was great)\b",
    re.IGNORECASE,
)
_THEIR_OWN = re.compile(r"\btheir (?:\w+ ){0,2}(?:meeting|all-hands|board meeting|offsite)\b", re.IGNORECASE)


def is_internal(sentence: str) -> bool:
    return _INTERNAL.search(sentence) is not None


def meeting_in(sentences: list[str], now: datetime) -> tuple[bool, datetime | None]:
    """Whether a future buyer meeting is mentioned, and its time when a day and time (or 'in N hours') are given.

    `now` is aware, in the poster's zone.
    """
    found = False
    for sentence in sentences:
        if _PAST.search(sentence) or _INTERNAL.search(sentence) or _THEIR_OWN.search(sentence):
            continue
        noun = _NOUN.search(sentence) is not None
        moment, spans = resolve(sentence, now)
        if moment is not None:
            if moment < now:
                continue
            # "Friday at 3 with Tom", "Tomorrow 8am: …": a sentence led by its time is announcing a call.
            if noun or _CUE.search(sentence) or min(start for start, _ in spans) == 0:
                return True, moment
            continue
        day = find_day(sentence, now.date()) if DAY_RE.search(sentence) else None
        if day is not None and day.value < now.date():  # type: ignore[operator]
            continue
        if (noun and (day is not None or _LOOSE_WHEN.search(sentence))) or (day is not None and _CUE.search(sentence) and re.search(r"\bworks for\b|\binvite\b", sentence)):
            found = True
    return found, None
