"""Which sentences announce a future call with the buyer, and when it is.

Internal meetings (forecast review, deal desk), past calls and cancelled ones are not meetings.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from bot.coach.gate import Entry, Gate, Lexicon, matches, stems
from bot.coach.lexicon import phrases
from bot.coach.when import find_day, resolve

# Stems (see gate.py) of every word DAY_RE reads as a day: a sentence with none of them and no digit names no day.
_DAY_STEMS = frozenset(
    word[:4]
    for word in (
        *("today", "tonight", "tomorrow", "tmrw", "tmr", "yesterday"),
        *("mon", "monday", "tue", "tues", "tueday", "tuesday", "wed", "weds", "wednesday"),
        *("thu", "thur", "thurs", "thuday", "thursday", "fri", "friday", "saturday", "sunday"),
        *("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("january", "february", "march", "april", "june", "july", "august", "september", "october"),
        *("november", "december"),
    )
)
_ORDINALS = frozenset(["st", "nd", "rd", "th", "this"])
_CLOCK_WORDS = ("noon", "midday", "midnight", "hour", "minute")
_NOUN = Lexicon(
    r"(?#sync)\bsync(?! errors| issues)\b",
    *phrases(
        *("call", "calls", "meeting", "demo", "session", "visit", "onsite", "on-site", "site visit", "qbr"),
        *("kickoff", "kick-off", "deep dive", "workshop", "review", "follow-up", "follow up", "catch-up"),
        *("catch up", "walkthrough", "presentation", "invite", "zoom", "teams call", "lunch with", "dinner with"),
        *("coffee with", "chat with", "intro", "readout", "debrief with", "steering committee", "exec session"),
        *("rescheduled", "pilot kickoff", "tour of", "working session"),
    ),
)
_CUE = Lexicon(
    r"(?#with w jumping hopping works asked doing booked locked confirmed set scheduled moved now can meet"
    r" meeting)"
    r"\b(?:w/|(?:with|on with|jumping on|hopping on|works for|asked for|we'?re doing|booked|locked|confirmed|set"
    r"|scheduled|moved to|now|can do|meet(?:ing)? (?:them|him|her|with))\b)",
    r"(?#got)\bgot (?-i:[A-Z])\w+ for\b",
)
_LOOSE_WHEN = Lexicon(
    r"(?#later next this scheduled booked planning planned upcoming lined set january february march april may"
    r" june july august september october november december st nd rd th days week weeks fortnight)"
    r"\b(?:later this (?:week|month)|next (?:week|month)|this week|scheduled|booked|planning|planned|upcoming|"
    r"in (?:\d+|a|one|two|three|four|a few|a couple of) (?:days|weeks?|fortnight)|"
    r"lined up|set up|in (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|on the \d{1,2}(?:st|nd|rd|th))\b",
)
_INTERNAL = Lexicon(
    *phrases(
        *("forecast", "deal desk", "pipeline review", "all-hands", "all hands", "standup", "stand-up"),
        *("one-on-one", "team meeting", "team sync", "internal", "sales kickoff", "sko", "enablement"),
        *("training", "offsite", "deal review", "my manager", "my boss", "my vp", "our manager", "our boss"),
        "our vp",
    ),
    r"(?#1:1)\b1:1\b",
)
_PAST = Lexicon(
    *phrases(
        *("held", "yesterday", "met", "recap", "went well", "earlier today", "last week", "last call"),
        *("last meeting", "since the", "cancelled", "canceled", "called off", "after the", "great call"),
        *("good call", "notes from", "got moved", "ran out", "was great", "brill call", "nice call", "productive call"),
    ),
)
_DIGIT = re.compile(r"\d")
_MOVED_WORDS = frozenset(["move", "bump", "push", "shif", "resc", "post", "chan"])
_MOVED_TO = re.compile(
    r"\b(?:move[ds]?|moving|bump(?:ed|s)?|push(?:ed|es|ing)?|shift(?:ed|s|ing)?|reschedul(?:ed|es|e|ing)"
    r"|postpon(?:ed|es|e|ing)|chang(?:ed|es|e|ing)|prepon(?:ed|e))\b[^.!?\n]*?\b(?:to|until|till|for)\s+"
)
_AGREED = re.compile(r"\bworks for\b|\binvite\b")
_THEIR_OWN = Lexicon(r"(?#meeting hands offsite)\btheir (?:\w+ ){0,2}(?:meeting|all-hands|board meeting|offsite)\b")

# In this order: meeting_in reads a gate's answer by these positions.
LEXICONS = (_NOUN, _PAST, _INTERNAL, _THEIR_OWN, _CUE, _LOOSE_WHEN)
_GATE = Gate(*LEXICONS)


@lru_cache(maxsize=64)
def _resolve(
    sentence: str, lowered: str, now: datetime, maybe_moved: bool
) -> tuple[datetime | None, list[tuple[int, int]]]:
    """`resolve()`, except that a moved meeting is read at its new time ("moved Tuesday's call to Thursday 11am")."""
    moved = _MOVED_TO.search(lowered) if maybe_moved else None
    if moved is not None:
        moment, spans = resolve(sentence[moved.end() :], now)
        if moment is not None:
            return moment, [(start + moved.end(), end + moved.end()) for start, end in spans]
    return resolve(sentence, now)


def _agreed(lowered: str) -> bool:
    return ("works for" in lowered or "invite" in lowered) and _AGREED.search(lowered) is not None


def is_internal(sentence: str, keys: frozenset[str] | None = None) -> bool:
    """Whether the sentence is about an internal meeting; `keys` is `stems()` of it or of its message."""
    return _INTERNAL.search(sentence, None, keys)


def internal_in(sentences: list[str], keys: frozenset[str]) -> list[bool]:
    """`is_internal` of each sentence of a message whose `stems()` are `keys`, gated once for them all."""
    active = _INTERNAL.active(keys)
    if not active:
        return [False] * len(sentences)
    return [matches(active, sentence, sentence.lower()) for sentence in sentences]


def meeting_in(
    sentences: list[str],
    now: datetime,
    keys: frozenset[str] | None = None,
    active: dict[int, list[Entry]] | None = None,
    offset: int = 0,
    whole: str | None = None,
) -> tuple[bool, datetime | None]:
    """Whether a future buyer meeting is mentioned, and its time when a day and time (or 'in N hours') are given.

    `now` is aware, in the poster's zone; `keys` is `stems()` of the whole message, if already computed; `active`
    is a gate's answer for it, if already computed by a gate holding LEXICONS from position `offset`.
    """
    if whole is None:  # only its digits and clock words are read: any separator without them does
        whole = " ".join(sentences).lower()
    if keys is None:
        keys = stems(whole)
    if active is None:
        active, offset = _GATE.active(keys), 0
    nouns, cues, loose_when = active.get(offset), active.get(offset + 4, ()), active.get(offset + 5, ())
    ruled_out = [*active.get(offset + 1, ()), *active.get(offset + 2, ()), *active.get(offset + 3, ())]
    any_digit = _DIGIT.search(whole) is not None
    any_clock = any_digit or any(w in whole for w in _CLOCK_WORDS)
    any_day = not _DAY_STEMS.isdisjoint(keys)
    # With a digit, DAY_RE can also read a dash ("2026-03-12"), an ordinal ("the 14th") or "this morning".
    ordinals = not _ORDINALS.isdisjoint(keys)
    if not (nouns or any_clock or any_day):  # any_clock covers digits
        return False, None
    maybe_moved = not _MOVED_WORDS.isdisjoint(keys)
    found = False
    for sentence in sentences:
        lowered = sentence.lower()
        digits = any_digit and _DIGIT.search(sentence) is not None
        noun = nouns is not None and matches(nouns, sentence, lowered)
        clock = digits or (any_clock and any(w in lowered for w in _CLOCK_WORDS))
        dayish = any_day or (digits and (ordinals or "-" in sentence))
        if not (noun or clock or (dayish and _agreed(lowered))):
            continue  # without a noun or a time, only an agreed day ("Friday works for her") is a meeting
        if ruled_out and matches(ruled_out, sentence, lowered):
            continue
        moment, spans = _resolve(sentence, lowered, now, maybe_moved) if clock else (None, [])
        if moment is not None:
            if moment < now:
                continue
            # "Friday at 3 with Tom", "Tomorrow 8am: …": a sentence led by its time is announcing a call.
            if noun or matches(cues, sentence, lowered) or min(start for start, _ in spans) == 0:
                return True, moment
            continue
        day = find_day(sentence, now.date()) if dayish else None
        if day is not None and now.hour >= 12 and lowered[day.start : day.end] == "this morning":
            day = None  # a morning already over when posted: what happened then is a report, not a plan
        if day is not None and day.value < now.date():  # type: ignore[operator]
            continue
        loose = noun and (day is not None or matches(loose_when, sentence, lowered))
        if loose or (day is not None and _agreed(lowered)):
            found = True
    return found, None


# -- the meeting's time -----------------------------------------------------------------------------

# A sentence is read clause by clause, so "customer call fri 8a, internal prep thurs 4pm" keeps only the first.
_CLAUSE = re.compile(r"\s*[,;(]\s*|\s+(?:[-–—→/|]|->|=>)\s+|\)\s*")
_GONE = Lexicon(
    *phrases(
        *("held", "yesterday", "met", "recap", "went well", "earlier today", "last week", "last call"),
        *("cancelled", "canceled", "called off", "notes from", "was great", "went ok", "went fine"),
    ),
)
_PREP = Lexicon(
    r"(?#internal prep prepping prepare preparing dry rehearsal rehearse)"
    r"\b(?:internal|prep|prepping|prepare|preparing|dry[- ]run|rehearsal|rehearse)\b",
)
_CUSTOMER = re.compile(r"\b(?:customer|client|buyer|prospect|their|them|with (?-i:[A-Z]))", re.IGNORECASE)
# "in a" at a word start, checked after its letters (?<!\win): a branch opening with \b would keep the engine
# from skipping to the letters the branches start with.
_TIMEISH = re.compile(r"\d|noon|midday|midnight|hour|heure|hora|minute|in(?<!\win) an?\b|half|quarter")


def meeting_time(
    sentences: list[str], now: datetime, keys: frozenset[str] | None = None, whole: str | None = None
) -> datetime | None:
    """The time of the buyer meeting a message announces: the first future day-and-time (or "in 2 hours") in a
    clause that is not about an internal meeting, our own prep, or a meeting already held or called off;
    a clause naming a call, meeting or cue wins over one that does not. None when there is none.

    `whole` is the sentences joined by gate.SEPARATOR and lowercased, if already read: where nothing in it
    looks like a time, no sentence does."""
    if whole is not None and not _TIMEISH.search(whole):
        return None
    first: datetime | None = None
    if keys is None:
        keys = stems(" ".join(sentences).lower())
    moved = not _MOVED_WORDS.isdisjoint(keys)
    # Gated once for the message: its stems hold every clause's, and a pattern gated in needlessly finds nothing.
    ruling = tuple(lexicon.active(keys) for lexicon in (_INTERNAL, _GONE, _THEIR_OWN, _PREP))
    for sentence in sentences:
        if not _TIMEISH.search(sentence.lower()):
            continue
        clauses = [c for c in _CLAUSE.split(sentence) if c and not _ruled_out(c, ruling)]
        if not clauses:
            continue
        kept = sentence if len(clauses) == 1 and clauses[0] == sentence else ", ".join(clauses)
        lowered = kept.lower()
        moment, _ = _resolve(kept, lowered, now, moved)
        if moment is None or moment < now:
            continue
        if _NOUN.search(kept, lowered, keys) or _CUE.search(kept, lowered, keys):
            return moment
        first = first or moment
    return first


def _ruled_out(clause: str, ruling: tuple[list[Entry], ...]) -> bool:
    """Whether a clause is about an internal meeting, one already held or called off, one of theirs, or our own
    prep; `ruling` is those four lexicons' `active()` patterns for the message."""
    internal, gone, their_own, prep = ruling
    if not (internal or gone or their_own or prep):
        return False
    lowered = clause.lower()
    if matches(internal, clause, lowered) or matches(gone, clause, lowered):
        return True
    if matches(their_own, clause, lowered):
        return True
    return matches(prep, clause, lowered) and not _CUSTOMER.search(clause)
