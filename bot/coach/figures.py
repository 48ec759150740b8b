"""Figures as sellers write them ("~30k a month", "6 days per carrier", "$142,500", "free pilot"): which
numbers are worth handing back, which of them say what standing still costs, and which come first."""

from __future__ import annotations

import re

from bot.coach.buyer_dates import dates_in
from bot.coach.clauses import MONTHS, WordTest, anchored, clause, word_positions

MAX_FIGURES = 3
_DIGIT = re.compile(r"\d")
_NUMBER_TOKEN = re.compile(r"(?<!\S)\S{0,4}?(?<![\d.,])\d")  # read by _number_starts, faster
_FIRST_DIGIT = re.compile(r"\d(?<![\d.,]\d)")  # a digit not after a digit, "." or ","; skips straight to digits
_OFFER_HINT = frozenset(
    ["free", "flat", "fixed", "discounted", "waive", "waived", "implementation", "setup", "onboarding"]
)
_DANGLING = re.compile(r"\s+(?:every|each|per|a|an|the)$", re.I)
_MONEY = re.compile(r"[$€£₹¥]|\d\s?(?:k|m|bn|lakh|crore|cr)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"[%$€£₹]|\d\s?(?:k|m|bn|lakh|crore|cr|x)\b", re.IGNORECASE)
_SIGN = re.compile(r"[%$€£₹]")
_NOT_DIGITS = re.compile(r"\D")
_IN_HOURS = re.compile(r"\S+\s(?:hours?|hrs?|mins?|minutes?)\b")
_TIME_DIFFERENCE = re.compile(r"\S+\s(?:hours?|hrs?)\s(?:ahead|behind)\b")
_PLURAL = re.compile(r"[a-z-]{3,}s")
_POINTER_BEFORE = re.compile(r"(?:@|\bat|\bby|\btil|\btill|\bv|#|\bpo|\bno\.?)\s?$")
_YEAR = re.compile(r"20\d\d")
_PLUS_SPACE = re.compile(r"^\+\s")

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"a hundred|hundreds|half|a third|a quarter|a dozen|dozens|double|twice|triple|several"
)

# A number as sellers write it: "$142,500", "~30k", "S$25k", "₹38 lakh", "14 %", "1.2m", "3+".
_NUMBER = (
    r"(?:[~≈+]\s?)?(?:(?:US|A|NZ|S|C|HK|R)?[$€£₹¥]\s?|(?:USD|EUR|GBP|INR|AUD|NZD|ZAR|SGD|R)\s?)?"
    r"\d+(?:[.,]\d+)*(?:\s?(?:k|m|bn|mn|mil|million|billion|lakh|crore|cr|K|M|%|x|pc|percent))?\+?(?![\dA-Za-z])"
)

FIGURE = re.compile(
    rf"(?<![\w$€£₹/:.,-])(?:{_NUMBER}|(?:{_NUMBER_WORDS})\b)"
    r"(?:\s(?:more\s|extra\s|full\s|whole\s|senior\s|late\s|big\s|separate\s|large\s|old\s|new\s)?"
    r"(?:[a-z][a-z'’-]*|[A-Z]{2,}s?))?",
    re.IGNORECASE,
)

# What makes a number a figure worth asking about rather than a time of day or a version.
UNIT_WORDS = re.compile(
    r"\b(?:days?|weeks?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|people|staff|fte|ftes|heads|nurses|"
    r"engineers|analysts|agents|drivers|trucks|sites|stores|boutiques|branches|plants|clinics|schools|beds|"
    r"users|seats|licen[cs]es|tickets|orders|invoices|claims|calls|shifts|errors|defects|fines|penalties|"
    r"accounts|customers|patients|students|vessels|shipments|loads|units|batches|lines|pages|emails|"
    r"excursions|incidents|outages|complaints|returns|write-offs?|overtime|per|each|every|a|an)\b",
    re.IGNORECASE,
)

CLOCK_AFTER = re.compile(
    r"[:.h]\d{2}(?!\d)|\s?(?:am|pm|a\.m|p\.m|a|p|ish|o'?clock|hrs?\b(?!\s(?:a|per|every)))\b", re.IGNORECASE
)

NOT_A_UNIT = re.compile(
    r"(?:am|pm|a|an|the|to|and|or|of|on|in|at|by|for|with|is|are|was|were|min|mins|minutes|ish|o'?clock|"
    r"st|nd|rd|th|times?|more|so|it|this|that|then|tomorrow|today|pst|est|cet|gmt|et|pt|ct|aest|ist|baje|uhr|"
    rf"(?:{MONTHS}))\b",
    re.IGNORECASE,
)

# What we or a rival put on the table: "free calibration yr 1", "flat pricing", "3 months free".
OFFER = re.compile(
    r"\b(?:free|flat|fixed|discounted|waived?)\s(?!(?:to|of|up|for|trial|and|or|if|with)\b)[a-z`][\w+`-]*"
    r"(?:\s(?!(?:if|and|or|to|for|with|when|so|but|the|a|on|in|at|by)\b)[a-z][\w-]*){0,2}"
    r"|\b(?:implementation|setup|onboarding)\s(?:fees?\s)?(?:at cost|free|waived|for free)\b",
    re.IGNORECASE,
)

_FIGURE_TRIGGERS_WORDS = """
one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty
hundred hundreds half third quarter dozen dozens double twice triple several free flat fixed
discounted waive waived implementation setup onboarding
"""
FIGURE_TRIGGERS = frozenset(_FIGURE_TRIGGERS_WORDS.split())
FIGURE_STOP = re.compile(
    r"^(?:after|before|since|during|until|till|about|with|from|because|when|for|to|at|on|by|via|into|is|are|was|"
    r"were|has|have|had|will|would|can|could|should|under|over|between|within|without|against|->|→|ago|"
    r"arrives?|use|uses|used|eats?|takes?|costs?|runs?|goes|comes?|needs?|wants?|gets?|says?|said|makes?|"
    r"loses?|lost|spends?|sits?|waits?|fails?|breaks?|stays?|ships?|unanswered|left|later|earlier|across|"
    r"including|plus|vs|versus|than|\S*\d\S*)$",
    re.I,
)

LABEL_WORDS = re.compile(
    r"phase|line|form|version|v|tier|stage|level|step|round|wave|option|plan|batch|po|#|no\.?|number|id|ticket|"
    r"room|gate|floor|building|block|unit|site|zone|table|slide|page|item|q|fy|h|yr|year|month|week|day|sprint"
)

# A figure that can be a cost: money, a share, or an amount of time or work per period or unit.
COSTLY = re.compile(
    r"[$€£₹%]|\d\s?(?:k|m|bn|lakh|crore|cr)\b|\b(?:a|per|every|each|an)\s(?:\w+\s)?(?:month|week|year|day|shift|quarter|"
    r"season|sprint|run|order|part|carrier|fault|pop|unit|batch|case)\b|/(?:month|mo|wk|week|yr|year|day)\b|"
    r"\b(?:hours?|hrs?|days?|weeks?|fte|ftes|people|staff)\b",
    re.IGNORECASE,
)

COST = re.compile(
    r"\b(?:cost(?:s|ing)?|costed)\s(?:them|her|him|the business|the team|us)?\s?|\bwritten off\b|\bwrite-?offs?\b|"
    r"\bpenalt(?:y|ies)\b|\bfines?\b|\bworth\s(?:about\s|around\s|roughly\s)?(?:~\s?)?[$€£₹\d]|"
    r"\b(?:a|per|every|each)\s(?:month|week|year|day|quarter|season|shift|fault|part|carrier|order)\b",
    re.IGNORECASE,
)


def figures_in(
    text: str, words: frozenset[str] | None = None, dates: list[re.Match[str]] | None = None
) -> tuple[str, ...]:
    """The message's figures, most telling first; numbers inside `dates` (see buyer_dates.dates_in) are not."""
    if words is not None and not _DIGIT.search(text) and FIGURE_TRIGGERS.isdisjoint(words):
        return ()
    found: list[str] = []
    taken = [m.span() for m in (dates if dates is not None else dates_in(text, words))]
    present = FIGURE_TRIGGERS & (words if words is not None else frozenset(re.findall(r"[a-z]+", text.lower())))
    numbers = _number_starts(text)  # "$142,500", "~30k", "+2": where the token starts
    hits = sorted([*numbers, *word_positions(text, present)])
    for match in anchored(FIGURE, hits, text, back=1):
        start = match.start()
        if any(a <= start < b for a, b in taken):
            continue
        number = match.group().split()[0]
        phrase = clause(text, start, max_words=6, stop=FIGURE_STOP) or match.group()
        phrase = _DANGLING.sub("", phrase) or phrase
        if not is_figure(number, phrase, text, start):
            continue
        taken.append((start, start + len(phrase)))
        found.append(_PLUS_SPACE.sub("+", phrase) if phrase[:1] == "+" else phrase)
    for offer in OFFER.finditer(text) if _OFFER_HINT & present else ():
        words = offer.group().replace("`", "").split()
        phrase = " ".join(words[:4])
        if not any(phrase in f or f in phrase for f in found):
            found.append(phrase)
    if len(found) < 2:
        return tuple(found)
    return tuple(sorted(found, key=salience, reverse=True)[:MAX_FIGURES])


def _number_starts(text: str) -> list[int]:
    """`[m.start() for m in _NUMBER_TOKEN.finditer(text)]`, read from the digits: where a token (a run of
    non-space) starts that has, within its first five characters, a digit not after a digit, "." or ",".
    The pattern tries every position; the digits are few."""
    found: list[int] = []
    last = -1
    for match in _FIRST_DIGIT.finditer(text):
        digit = start = match.start()
        while start > 0 and digit - start < 4 and not text[start - 1].isspace():
            start -= 1
        if (start == 0 or text[start - 1].isspace()) and start != last:
            found.append(start)
            last = start
    return found


def salience(figure: str) -> int:
    """Money first, then shares and amounts per period, then counts: what a seller would lead with."""
    if _MONEY.search(figure):
        return 3
    return 2 if COSTLY.search(figure) or OFFER.match(figure) else 1


def is_figure(number: str, phrase: str, text: str, start: int) -> bool:
    """A figure worth asking about: an amount, a share, or a count of something; not a clock time, a
    year, a version or an order number."""
    before = text[max(0, start - 5) : start].lower()
    previous = text[max(0, start - 12) : start].split()[-1:] or [""]
    after = phrase.split()[1:4]
    digits = _NOT_DIGITS.sub("", number)
    if before.endswith("in ") and _IN_HOURS.match(phrase):
        return False  # "in 2 hours": when a call is, not a figure
    if ("ahead" in phrase or "behind" in phrase) and _TIME_DIFFERENCE.match(phrase):
        return False  # a time difference
    if not digits:  # "two days a month", "three sites", "half a day"
        return bool(after) and (_UNIT_WORD[after[0]] or _PLURAL_WORD[after[0]])
    if not _SIGN.search(number) and (
        (previous[0][:1].isupper() and previous[0].isalpha()) or _LABEL_WORD[previous[0].lower()]
    ):
        return False  # "Order Form 1", "phase 2", "Aurora 2.0": a label, not a figure
    if _AMOUNT.search(phrase):
        return True
    if _POINTER_BEFORE.search(before) or CLOCK_AFTER.match(text, start + len(number)):
        return False
    if len(digits) >= 6 or _YEAR.fullmatch(number) or number[-1:].isalpha():
        return False  # an order number, a year, a version
    return bool(after) and not _NOT_A_UNIT_WORD[after[0]]


# The word tests is_figure makes, cached per word.
_UNIT_WORD = WordTest(UNIT_WORDS)
_PLURAL_WORD = WordTest(_PLURAL, whole=True)
_LABEL_WORD = WordTest(LABEL_WORDS, whole=True)
_NOT_A_UNIT_WORD = WordTest(NOT_A_UNIT)


def cost_of(text: str, figures: tuple[str, ...], pain: str | None) -> str | None:
    """What the status quo costs them: a figure of money, or said per month, week or unit, next to a cost
    word or to the pain."""
    figures = tuple(f for f in figures if COSTLY.search(f))
    if not figures:
        return None
    for found in COST.finditer(text):
        for figure in figures:
            at = text.find(figure)
            if -60 < at - found.start() < 40:
                return figure
    if pain:
        for figure in figures:
            if figure in pain or pain in text[max(0, text.find(figure) - 60) : text.find(figure)]:
                return figure
    return None
