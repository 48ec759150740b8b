"""The buyer's own dates: an event of theirs ("March audit", "board meeting in May"), a bare date still
ahead ("Nov 30"), and where they pushed a decision ("after the summer", "till next FY")."""

from __future__ import annotations

import re

from bot.coach.clauses import MONTHS, anchored, clause, word_positions

# A buyer's own date or event: "March audit", "board meeting in May", "go-live", "renewal date is 1 March".
_EVENT_WORDS = (
    r"audit|audits|board (?:meeting|review|pack|day|presentation|approval|sign-?off|vote)|go-?live|go live|"
    r"launch|inspection|renewal date|"
    r"renewal|permit review|year[- ]end|fiscal year|financial year|budget cycle|tender|election|opening|"
    r"reopening|season|open enrollment|shutdown|deadline|cut-?over|migration|rollout|roll-out|peak|"
    r"accreditation|certification|review|visit|conference|summit|show|exam|exams|inspections|filing|"
    r"window|kick-?off|merger|acquisition|ipo|funding round|relaunch|refit|harvest|intake|term|implementation|"
    r"investigation|upgrade|recall|restructure|reorg|campaign|strike|prep|schedule"
)

_DATE_TAIL = (
    rf"(?:\s(?:is|are|was|lands|wraps|starts|falls|hits|due|scheduled|planned|set|fixed|kicks off|done|complete|"
    rf"completed|over|finished|ends|approved|closes|opens))?"
    rf"(?:\s(?:for|on|in|at|by|before))?\s(?:the\s)?(?:(?:early|mid|late|end of|end-)\s?)?"
    rf"(?:(?:{MONTHS})\b(?:\s\d{{1,2}}(?:st|nd|rd|th)?\b)?|\d{{1,2}}(?:st|nd|rd|th)\b|\d{{1,2}}\s(?:of\s)?(?:{MONTHS})\b|"
    rf"q[1-4]\b|fy\d*\b|20\d\d\b|next (?:week|month|year|quarter)\b)"
)

EVENT = re.compile(
    rf"\b(?:(?:{MONTHS})\s(?:[A-Za-z-]+\s)?(?:{_EVENT_WORDS})\b"
    rf"|(?:(?-i:[A-Z]{{2,}}[\w&-]*)\s|(?:their|her|his|the)\s(?:[A-Za-z-]+\s)?)?(?:{_EVENT_WORDS})\b(?:{_DATE_TAIL})"
    rf"|(?:their|her|his)\s(?:[A-Za-z-]+\s)?(?:{_EVENT_WORDS})\b"
    rf"|(?:the|a|an)\s(?!(?:new|first|next|last|same|whole|other|big|small)\s)[A-Za-z][\w-]+\s(?:{_EVENT_WORDS})\b"
    rf"|(?:the\s)?board\s(?:in|on|at|by)\s(?:the\s)?(?:{MONTHS}|\d{{1,2}}(?:st|nd|rd|th))\b"
    rf"|\bmid-(?:audit|migration|year|rollout|merger)\b|\b(?:audit|budget|board|year-end|inspection)\sprep\b"
    rf"|(?-i:[A-Z]{{2,}}[\w&-]*)\s(?:audit|inspection|review|visit|deadline|filing|go-?live|launch|board)\b"
    rf"|(?:20\d\d\s)?budget(?:\sfor\s20\d\d)?\s(?:is\s|gets\s|will be\s|only gets\s)?(?:approved|closed|signed off|set|"
    rf"opens?|locked)(?:\s(?:in|by|on|until))?(?:\s(?:{MONTHS}|20\d\d|q[1-4]))?\b"
    rf"|(?:customer\s|their\s)?(?:timeline|target date|deadline)\s(?:is|of)\s(?:the\s)?[\w -]{{2,20}}?"
    rf"(?=[.,;!?]|$))",
    re.IGNORECASE,
)

# A decision pushed out: "after the summer", "till March", "once the freeze lifts", "next FY".
_PERIOD = (
    rf"summer|winter|spring|autumn|fall|holidays?|the holidays|new year|christmas|xmas|easter|diwali|ramadan|"
    rf"eid|labou?r day|the break|harvest|monsoon|[\w-]+ season|(?:{MONTHS})\b|q[1-4]|fy\w*|next [\w-]+|"
    rf"their [\w-]+|(?:the )?budget\w*|(?:the )?(?:new )?(?:financial|fiscal|budget) year|year[- ]end|"
    rf"the (?:new |next )?[\w-]+ (?:lifts|ends|settles|is over|closes|recovers|is done|arrives|lands)|20\d\d"
)

DELAY = re.compile(
    rf"\b(?:(?:after|till|til|until|untill|post|once|not before)\s(?:the\s)?(?:{_PERIOD})[\w'’ -]{{0,30}}"
    rf"|(?<=\s)(?:to|into|in)\s(?:the\s)?(?:new year|next (?:fy|financial year|fiscal(?: year)?|budget|year|"
    rf"quarter|half|season)|q[1-4](?:\s20\d\d)?|20\d\d)\b"
    rf"|next (?:fy|financial year|fiscal year|budget(?: cycle)?|year's budget)\b"
    rf"|(?:(?<=back\s)|(?<=visit\s)|(?<=revert\s)|(?<=then\s))(?:in|after|on)\s(?:the\s)?(?:{_PERIOD})"
    rf"[\w'’ -]{{0,20}})",
    re.IGNORECASE,
)

DECIDED_AFTER = re.compile(
    r"\b(?:decision|decide|deciding|decides|wait|waiting|push(?:ed)?|moved?|revisit|revert|come back|back|hold|"
    r"holding|parked?|nothing)\b[^.!?\n]{0,30}?\b(?P<delay>(?:after|till|til|until)\s[\w'’-]+(?:\s[\w'’-]+){0,2})",
    re.IGNORECASE,
)

DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{MONTHS})\b|"
    rf"the\s\d{{1,2}}(?:st|nd|rd|th)\b|end of (?:{MONTHS})\b|(?:early|mid|late)[ -](?:{MONTHS}|20\d\d)\b|"
    rf"\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b)",
    re.IGNORECASE,
)

_DIGIT = re.compile(r"\d")
_MONTH_WORDS = frozenset(re.sub(r"[()?:]", " ", MONTHS.replace("|", " ")).split())
EVENT_TRIGGERS = (
    frozenset(re.sub(r"[()?:\\-]", " ", _EVENT_WORDS.replace("|", " ")).split())
    | _MONTH_WORDS
    | frozenset(["budget", "timeline", "deadline", "target", "mid", "prep", "board", "go", "live"])
)
_DELAY_TRIGGERS_WORDS = """
after till til until untill post once before next new back visit revisit revert then decision decide
deciding wait waiting push pushed moved hold holding parked nothing
"""
DELAY_TRIGGERS = frozenset(_DELAY_TRIGGERS_WORDS.split())


def _digit_starts(text: str) -> list[int]:
    return [m.start() for m in _NUMBER_START.finditer(text)]


# A digit not after a digit; the lookbehind follows the digit, so the engine can skip straight to digits.
_NUMBER_START = re.compile(r"\d(?<!\d\d)")
DELAY_STOP = re.compile(r"^(?:at|for|with|from|under|so|because|when|we|i|they|and|but|then|as)$", re.I)


_NOT_THEIRS = re.compile(r"(?:our|my|internal|forecast|pipeline|deal desk|the deal|this|that|a|an)\b", re.I)
_THEIR = re.compile(r"^(?:the|their|her|his)\s", re.I)
_JOINED = re.compile(r"(?:for|on|in|at|by|before)\b", re.I)
_MONTH = re.compile(MONTHS, re.I)


def event_in(text: str, words: frozenset[str] | None = None) -> str | None:
    present = EVENT_TRIGGERS & (words if words is not None else frozenset(re.findall(r"[a-z]+", text.lower())))
    if not present:
        return None
    for found in anchored(EVENT, word_positions(text, present), text):
        phrase = found.group().strip()
        if _PAST.search(text[max(0, found.start() - 24) : found.start()].lower()):
            continue  # "since the pricing review on the 5th": behind them, not ahead
        if not _NOT_THEIRS.match(phrase):
            return noun_phrase(_THEIR.sub("", phrase))
    return None


_PAST = re.compile(r"\b(?:since|was|were|last|ago|came|went|sent|signed|closed|landed|on the)\b|\w+ed\s+(?:on\s+)?$")

_EVENT_VERB = re.compile(
    r"\s(?:is|are|was|lands|wraps|starts|falls|hits|due|scheduled|planned|set|fixed|kicks off)(?=\s)", re.I
)


def noun_phrase(event: str) -> str:
    """ "Renewal date is 1 March" -> "renewal date on 1 March": an event to put after "before" or "at"."""
    found = _EVENT_VERB.search(event)
    if found:
        rest = event[found.end() :].lstrip()
        joiner = "" if _JOINED.match(rest) else ("on " if rest[:1].isdigit() else "in ")
        event = f"{event[: found.start()]} {joiner}{rest}"
    first, _, rest = event.partition(" ")
    if first[:1].isupper() and not first.isupper() and first[1:].islower() and not _MONTH.match(first):
        event = first.lower() + (" " + rest if rest else "")
    return event


def dates_in(text: str, words: frozenset[str] | None = None) -> list[re.Match[str]]:
    """Every bare date in the message ("Nov 30", "the 28th", "end of June", "2/1")."""
    months = _MONTH_WORDS & (words if words is not None else frozenset(re.findall(r"[a-z]+", text.lower())))
    if not months and not _DIGIT.search(text):
        return []
    hits = sorted([*word_positions(text, months), *_digit_starts(text)])
    return list(anchored(DATE, hits, text, back=2))


def date_in(
    text: str, event: str | None, words: frozenset[str] | None = None, dates: list[re.Match[str]] | None = None
) -> str | None:
    """A date still ahead: one the message does not put in the past ("closed on the 2nd")."""
    for found in dates if dates is not None else dates_in(text, words):
        if _PAST.search(text[max(0, found.start() - 24) : found.start()].lower()):
            continue
        if event is None or found.group() not in event:
            return found.group()
    return None


def delay_in(text: str, event: str | None, words: frozenset[str] | None = None) -> str | None:
    present = DELAY_TRIGGERS & (words if words is not None else frozenset(re.findall(r"[a-z]+", text.lower())))
    if not present and not _DIGIT.search(text):
        return None
    hits = sorted([*word_positions(text, present), *_digit_starts(text)])
    starts = [m.start() for m in anchored(DELAY, hits, text, back=2)]
    starts += [
        m.start("delay") for m in anchored(DECIDED_AFTER, word_positions(text, present & _DECIDED), text, back=0)
    ]
    for start in sorted(starts):
        phrase = clause(text, start, max_words=6, min_words=2, stop=DELAY_STOP)
        if phrase and (event is None or phrase not in event):
            return phrase
    return None


_DECIDED_WORDS = """
decision decide deciding decides wait waiting push pushed move moved revisit revert come back hold
holding park parked nothing
"""
_DECIDED = frozenset(_DECIDED_WORDS.split())
