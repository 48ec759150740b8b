"""What the seller told us, pulled out of one message in their own words: the figures, the people and their
roles, the competitor, the buyer's pain or goal, a date or event that matters to the buyer, a personal
stake, and whether the pressure in the message is ours.

Pure: the message's plain text and the analyzer's stakeholder strings in, `Facts` out. Every fact is a
short span of the message as written, so a question can hand it back to the seller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.coach import fact_rules as rules
from bot.coach.people import PersonFact, people_in

MAX_FIGURES = 3


@dataclass(frozen=True, slots=True)
class Facts:
    """The facts in one message; a field is empty when the message does not state it.

    `driver` is a personal stake, belonging to `driver_of` (a person's label) when the message says whose.
    `ours` is the seller's own pressure as written ("short on quota this quarter"); a competitor's offer or
    the buyer's own date is never `ours`. `delay` is where the buyer pushed the decision ("after the
    summer"); `event` an event of theirs ("March audit"), `date` a bare date ("Nov 30"); `ask` what the
    buyer asks of us (a counter-offer, a condition). `cost` is a figure or phrase about what their status
    quo costs them. `said` is something the buyer said, quoted by the seller; `topic` what a call or request
    is about; `named` a product, standard or event the message names; `blocker` what stops them (no
    budget, a freeze); `reason` why they decided as they did.
    """

    people: tuple[PersonFact, ...] = ()
    figures: tuple[str, ...] = ()
    competitor: str | None = None
    pain: str | None = None
    goal: str | None = None
    cost: str | None = None
    event: str | None = None
    date: str | None = None
    delay: str | None = None
    ask: str | None = None
    said: str | None = None
    topic: str | None = None
    named: str | None = None
    blocker: str | None = None
    reason: str | None = None
    driver: str | None = None
    driver_of: str | None = None
    ours: str | None = None
    pitch: str | None = None
    cancelled: bool = False
    stopped_pushing: bool = False

    @property
    def person(self) -> PersonFact | None:
        return self.people[0] if self.people else None

    def spans(self) -> tuple[str, ...]:
        """Every fact as written, most specific first (for tests and the benchmark)."""
        found = [*self.figures, self.competitor, self.event, self.date, self.delay, self.pain, self.goal]
        found += [self.cost, self.ask, self.said, self.topic, self.named, self.blocker, self.reason]
        found += [self.driver, self.pitch]
        return tuple(dict.fromkeys(f for f in found if f))


NO_FACTS = Facts()


def extract_facts(text: str, stakeholders: tuple[str, ...] = ()) -> Facts:
    """The facts in `text` (plain text, markup already stripped)."""
    people = people_in(text, stakeholders)
    stopped = bool(rules.STOPPED_CHECK.search(text))
    driver, driver_at = _first_clause(rules.DRIVER, text, max_words=12, keep_cue=True)
    goal, _ = _first_clause(rules.GOAL, text, max_words=10, min_words=2, keep_cue=_GOAL_KEEPS)
    pain, _ = _first_clause(rules.PAIN, text, max_words=8, min_words=2, keep_cue=_PAIN_KEEPS, stop=rules.VERB_STOP)
    ask = _ask(text)
    event = _event(text)
    figures = _figures(text)
    competitor = _competitor(text, people)
    said = next((m.group(1).strip() for m in rules.QUOTED.finditer(text) if len(m.group(1).split()) >= 2), None)
    topic, _ = _first_clause(rules.TOPIC, text, max_words=7, min_words=2, stop=rules.DELAY_STOP)
    blocker, _ = _first_clause(rules.BLOCKER, text, max_words=7, min_words=2, keep_cue=True)
    reason, _ = _first_clause(rules.REASON, text, max_words=9, min_words=2)
    return Facts(
        people=people,
        figures=figures,
        competitor=competitor,
        pain=pain,
        goal=goal if goal != pain else None,
        cost=_cost(text, figures, pain),
        event=event,
        date=_date(text, event),
        delay=_delay(text, event),
        ask=ask,
        said=said,
        topic=topic,
        named=_named(text, people, competitor),
        blocker=blocker,
        reason=reason,
        driver=_strip_owner(driver, people),
        driver_of=_owner(text, driver_at, people) if driver else None,
        ours=None if stopped else _ours(text),
        pitch=_pitch(text),
        cancelled=bool(rules.CANCELLED.search(text) and rules.CALL_WORDS.search(text)),
        stopped_pushing=stopped,
    )


# Cues that are part of the fact ("manually", "sick of …" is not; "keeps re-keying" is).
_PAIN_KEEPS = re.compile(
    r"^(?:still|keeps?|kept|spend|spends|spending|spent|los|wast|burn|by hand|manual|on |in |off |can|no |re-?)", re.I
)
_GOAL_KEEPS = re.compile(r"^(?:get|bring|cut|reduc|halv|drop)", re.I)


def _first_clause(
    pattern: re.Pattern[str],
    text: str,
    *,
    max_words: int,
    min_words: int = 1,
    keep_cue: bool | re.Pattern[str] = False,
    stop: re.Pattern[str] | None = None,
) -> tuple[str | None, int]:
    for found in pattern.finditer(text):
        cue = found.group()
        keep = keep_cue if isinstance(keep_cue, bool) else bool(keep_cue.match(cue.strip()))
        start = (
            _sentence_start(text, found.start()) if keep and _trails(cue) else found.start() if keep else found.end()
        )
        phrase = rules.clause(text, start, max_words=max_words, min_words=min_words, stop=stop)
        if phrase:
            return phrase, found.start()
    return None, -1


def _trails(cue: str) -> bool:
    """A cue that qualifies what came before it ("reconciles by hand"): the fact starts before the cue."""
    return cue.strip().lower() in ("by hand", "manually", "on spreadsheets", "on spreadsheet", "in excel", "on paper")


def _sentence_start(text: str, at: int) -> int:
    """The start of the phrase that ends at `at`: back over at most five words, within the clause."""
    head = text[:at]
    cut = max(head.rfind(mark) for mark in (".", ",", ";", ":", "\n", "!", "?", "(", " - ", " – "))
    words = head[cut + 1 :].split()[-5:]
    return at - len(" ".join(words)) - 1 if words else at


def _ours(text: str) -> str | None:
    """The seller's own pressure, in the words of the sentence (or clause) that states it."""
    found = rules.OUR_PRESSURE.search(text)
    if found is None:
        return None
    start = max(text.rfind(mark, 0, found.start()) for mark in (".", "!", "?", "\n", ",", ";", " - ")) + 1
    ends = [text.find(mark, found.end()) for mark in (".", "!", "?", "\n", ",", ";", " - ")]
    end = min((e for e in ends if e >= 0), default=len(text))
    words = text[start:end].split()
    return " ".join(words[:12]).strip(" ,'’\"") or found.group()


def _ask(text: str) -> str | None:
    """What the buyer asks of us; not what we need ("we need the IRAP letter") nor a time ("asked for after
    lunch")."""
    for pattern in rules.ASKS:
        for found in pattern.finditer(text):
            if re.search(
                r"\b(?:we|i|we'll|we're|i'll|i'm|us)\s+(?:\w+\s+)?$",
                text[max(0, found.start() - 16) : found.start()],
                re.I,
            ):
                continue
            phrase = rules.clause(text, found.end(), max_words=8, min_words=2)
            if phrase and not re.match(r"(?:after|before|at|on|in|a call|a meeting|time)\b", phrase, re.I):
                return phrase
    return None


def _event(text: str) -> str | None:
    for found in rules.EVENT.finditer(text):
        phrase = found.group().strip()
        if not re.match(r"(?:our|my|internal|forecast|pipeline|deal desk|the deal|this|that|a|an)\b", phrase, re.I):
            return re.sub(r"^(?:the|their|her|his)\s", "", phrase, flags=re.I)
    return None


def _date(text: str, event: str | None) -> str | None:
    """A date still ahead: one the message does not put in the past ("closed on the 2nd")."""
    for found in rules.DATE.finditer(text):
        before = text[max(0, found.start() - 24) : found.start()].lower()
        if re.search(
            r"\b(?:since|was|were|last|ago|came|went|sent|signed|closed|landed|on the)\b|\w+ed\s+(?:on\s+)?$", before
        ):
            continue
        if event is None or found.group() not in event:
            return found.group()
    return None


def _delay(text: str, event: str | None) -> str | None:
    for found in rules.DELAY.finditer(text):
        phrase = rules.clause(text, found.start(), max_words=6, min_words=2, stop=rules.DELAY_STOP)
        if phrase and (event is None or phrase not in event):
            return phrase
    return None


def _competitor(text: str, people: tuple[PersonFact, ...]) -> str | None:
    named = {part.casefold() for p in people for part in (p.name or "").split()}
    for pattern in (rules.COMPETITOR_BEFORE, rules.COMPETITOR_AFTER):
        for found in pattern.finditer(text):
            name = next((g for g in found.groups() if g), "").strip(" .,'’")
            if name[:1].islower():  # "went with the bank's own collections product": the phrase, as written
                at = text.find(name, found.start())
                name = rules.clause(text, at, max_words=5, stop=rules.COMPETITOR_STOP) or name
                name = re.sub(r"^(?:the|their|a)\s(?=[A-Z])", "", name)
            words = name.split()
            while words and (words[-1].casefold() in rules.NOT_COMPETITORS or words[-1].isdigit()):
                words.pop()
            name = " ".join(words)
            first = name.split()[0].casefold() if name else ""
            if first in ("the", "their", "a") and len(words) > 1:
                first = words[1].casefold()
            if not name or first in rules.NOT_COMPETITORS or first in named or _is_month_or_day(first):
                continue
            return name
    return None


def _named(text: str, people: tuple[PersonFact, ...], competitor: str | None) -> str | None:
    """The first named thing past the message's opening words (which usually name the buyer's company)."""
    names = {part.casefold() for p in people for part in f"{p.name or ''} {p.role or ''}".split()}
    first = re.match(r"\W*[A-Z][\w&’'-]*(?:\s[A-Z][\w&’'-]*)*", text)
    skip = first.end() if first else 0
    for found in rules.NAMED.finditer(text, skip):
        name = found.group().strip(" .,'’")
        words = name.split()
        before = text[max(0, found.start() - 6) : found.start()].lower()
        after = text[found.end() : found.end() + 14].lower()
        if (
            (competitor and name in competitor)
            or re.search(r"\b(?:at|with|from|for|to)\s$", before)
            or re.match(r"(?:['’]s?\b|\s(?:procurement|legal|it|team|finance|ops|board|people|staff)\b)", after)
            or any(_is_month_or_day(w) for w in words)
            or words[0].casefold() in names
            or words[0].casefold() in rules.NOT_COMPETITORS
            or _is_month_or_day(words[0])
            or (re.fullmatch(r"[A-Z]{2,5}", name) and name in _ROLES_AND_NOISE)
            or (text[max(0, found.start() - 2) : found.start()].strip() in (".", "!", "?", ":") and len(words) == 1)
        ):
            continue
        return name
    return None


_ROLES_AND_NOISE = frozenset(
    [
        "CEO",
        "CFO",
        "COO",
        "CIO",
        "CTO",
        "CMO",
        "CRO",
        "CISO",
        "CNO",
        "CNIO",
        "CDO",
        "CSO",
        "CPO",
        "VP",
        "SVP",
        "EVP",
        "GM",
        "MD",
        "HR",
        "IT",
        "PO",
        "POC",
        "QBR",
        "RFP",
        "RFI",
        "MSA",
        "SOW",
        "NDA",
        "DPA",
        "SLA",
        "SSO",
        "API",
        "UI",
        "UX",
        "AI",
        "ASAP",
        "FYI",
        "EOD",
        "EOM",
        "EOQ",
        "EOY",
        "TBH",
        "IMO",
        "OOO",
        "PM",
        "AM",
        "PT",
        "ET",
        "CT",
        "MT",
        "GMT",
        "UTC",
        "IST",
        "AEST",
        "CET",
        "BST",
        "ROI",
        "KPI",
        "OKR",
        "CRM",
        "ERP",
        "SE",
        "AE",
        "SDR",
        "BDR",
        "CSM",
        "LOL",
        "OK",
        "PS",
        "NB",
        "QA",
        "HQ",
    ]
)


def _is_month_or_day(word: str) -> bool:
    return bool(re.fullmatch(rf"(?:{rules.MONTHS})|mon|tue|wed|thu|fri|sat|sun|\w+day|today|tomorrow", word, re.I))


def _figures(text: str) -> tuple[str, ...]:
    found: list[str] = []
    taken = [m.span() for m in rules.DATE.finditer(text)]
    for match in rules.FIGURE.finditer(text):
        start = match.start()
        if any(a <= start < b for a, b in taken):
            continue
        number = match.group().split()[0]
        phrase = rules.clause(text, start, max_words=5, stop=rules.FIGURE_STOP) or match.group()
        if not _is_figure(number, phrase, text, start) or re.match(r"\s+ago\b", text[start + len(phrase) :]):
            continue
        taken.append((start, start + len(phrase)))
        found.append(re.sub(r"^\+\s", "+", phrase))
    return tuple(sorted(found, key=_salience, reverse=True)[:MAX_FIGURES])


def _salience(figure: str) -> int:
    """Money first, then shares and amounts per period, then counts: what a seller would lead with."""
    if re.search(r"[$€£₹¥]|\d\s?(?:k|m|bn|lakh|crore|cr)\b", figure, re.IGNORECASE):
        return 3
    return 2 if rules.COSTLY.search(figure) else 1


def _is_figure(number: str, phrase: str, text: str, start: int) -> bool:
    """A figure worth asking about: an amount, a share, or a count of something; not a clock time, a
    year, a version or an order number."""
    before = text[max(0, start - 5) : start].lower()
    previous = text[max(0, start - 12) : start].split()[-1:] or [""]
    after = phrase.split()[1:4]
    digits = re.sub(r"\D", "", number)
    if re.search(r"\bin\s$", before) and re.match(r"\S+\s(?:hours?|hrs?|mins?|minutes?)\b", phrase):
        return False  # "in 2 hours": when a call is, not a figure
    if re.match(r"\S+\s(?:hours?|hrs?)\s(?:ahead|behind)\b", phrase):
        return False  # a time difference
    if not digits:  # "two days a month", "three sites", "half a day"
        return bool(after) and bool(rules.UNIT_WORDS.match(after[0]) or re.fullmatch(r"[a-z-]{3,}s", after[0]))
    if not re.search(r"[%$€£₹]", number) and (
        (previous[0][:1].isupper() and previous[0].isalpha()) or rules.LABEL_WORDS.fullmatch(previous[0].lower())
    ):
        return False  # "Order Form 1", "phase 2", "Aurora 2.0": a label, not a figure
    if re.search(r"[%$€£₹]|\d\s?(?:k|m|bn|lakh|crore|cr|x)\b", phrase, re.IGNORECASE):
        return True
    if re.search(r"(?:@|\bat|\bby|\btil|\btill|\bv|#|\bpo|\bno\.?)\s?$", before) or rules.CLOCK_AFTER.match(
        text, start + len(number)
    ):
        return False
    if len(digits) >= 6 or re.fullmatch(r"20\d\d", number) or re.search(r"[a-z]", number[-1:], re.I):
        return False  # an order number, a year, a version
    return bool(after) and not rules.NOT_A_UNIT.match(after[0])


def _cost(text: str, figures: tuple[str, ...], pain: str | None) -> str | None:
    """What the status quo costs them: a figure of money, or said per month, week or unit, next to a cost
    word or to the pain."""
    figures = tuple(f for f in figures if rules.COSTLY.search(f))
    for found in rules.COST.finditer(text):
        for figure in figures:
            at = text.find(figure)
            if -60 < at - found.start() < 40:
                return figure
    if pain:
        for figure in figures:
            if figure in pain or pain in text[max(0, text.find(figure) - 60) : text.find(figure)]:
                return figure
    return None


def _pitch(text: str) -> str | None:
    for found in rules.PITCH.finditer(text):
        phrase = rules.clause(text, found.end(), max_words=5, min_words=1)
        if phrase and not re.match(
            r"(?:them|him|her|hers|his|theirs|ours|mine|yours|it|us|up|around|the door)\b", phrase, re.I
        ):
            return phrase
    return None


def _owner(text: str, at: int, people: tuple[PersonFact, ...]) -> str | None:
    """Whose stake a driver is: the person named closest before it in its sentence, else the only person."""
    best: tuple[int, PersonFact] | None = None
    for person in people:
        where = text.rfind(person.span.split()[0], 0, at + len(person.span) + 1)
        if 0 <= where <= at + 1 and (best is None or where > best[0]):
            best = (where, person)
    if best is not None:
        return best[1].label
    return people[0].label if len(people) == 1 else None


def _strip_owner(driver: str | None, people: tuple[PersonFact, ...]) -> str | None:
    """ "Dana's bonus rides on X" -> "bonus rides on X" (the person is kept apart, in `driver_of`)."""
    if not driver:
        return None
    stripped = re.sub(r"^(?:[A-Z][\w-]*(?:\s[A-Z][\w-]*)?['’]s|his|her|their)\s", "", driver)
    return stripped or driver
