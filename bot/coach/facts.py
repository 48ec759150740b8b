"""What the seller told us, pulled out of one message in their own words: the figures, the people and their
roles, the competitor, the buyer's pain or goal, a date or event that matters to the buyer, a personal
stake, and whether the pressure in the message is ours.

Pure: the message's plain text and the analyzer's stakeholder strings in, `Facts` out. Every fact is a
short span of the message as written, so a question can hand it back to the seller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.coach import cues
from bot.coach.buyer_dates import date_in, dates_in, delay_in, event_in
from bot.coach.clauses import anchored, clause, word_positions
from bot.coach.figures import cost_of, figures_in
from bot.coach.people import PersonFact, people_in
from bot.coach.rivals import competitor_in, named_in


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
    other_party: bool = False

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


def words_of(text: str) -> frozenset[str]:
    """The message's words, lower-cased, for skipping the patterns whose trigger words are absent."""
    return frozenset(_WORD.findall(text.lower()))


_WORD = re.compile(r"[a-z]+")


def extract_facts(text: str, stakeholders: tuple[str, ...] = (), words: frozenset[str] | None = None) -> Facts:
    """The facts in `text` (plain text, markup already stripped); `words` is `words_of(text)`, if already read."""
    words = words_of(text) if words is None else words
    near = _near(text, words)
    people = people_in(text, stakeholders)
    stopped = _found(cues.STOPPED_CHECK, near["stopped"], text)
    driver, driver_at = _first_clause(cues.DRIVER, text, max_words=12, keep_cue=True, hits=near["driver"])
    goal = _first_clause(cues.GOAL, text, max_words=10, min_words=2, keep_cue=_GOAL_KEEPS, hits=near["goal"])[0]
    if goal and _NOT_A_GOAL.match(goal):
        goal = None
    pain = _first_clause(
        cues.PAIN, text, max_words=8, min_words=2, keep_cue=_PAIN_KEEPS, stop=cues.VERB_STOP, hits=near["pain"]
    )[0]
    event = event_in(text, words)
    dates = dates_in(text, words)
    figures = figures_in(text, words, dates)
    competitor = competitor_in(text, people, words)
    said = None
    if "'" in text or '"' in text or "‘" in text or "“" in text:
        said = next((m.group(1).strip() for m in cues.QUOTED.finditer(text) if len(m.group(1).split()) >= 2), None)
    topic = _first_clause(cues.TOPIC, text, max_words=6, min_words=2, stop=cues.TOPIC_STOP, hits=near["topic"])[0]
    blocker = _first_clause(
        cues.BLOCKER, text, max_words=9, min_words=2, keep_cue=True, stop=cues.BLOCKER_STOP, hits=near["blocker"]
    )[0]
    reason = _first_clause(cues.REASON, text, max_words=9, min_words=2, hits=near["reason"])[0]
    if not reason:
        reason = _first_clause(
            cues.WHY_PAUSED, text, max_words=6, min_words=2, stop=cues.TOPIC_STOP, hits=near["paused"]
        )[0]
    return Facts(
        people=people,
        figures=figures,
        competitor=competitor,
        pain=pain,
        goal=goal if goal != pain else None,
        cost=cost_of(text, figures, pain),
        event=event,
        date=date_in(text, event, words, dates),
        delay=delay_in(text, event, words),
        ask=_ask(text) if near["ask"] else None,
        said=said,
        topic=topic,
        named=named_in(text, people, competitor),
        blocker=blocker,
        reason=reason,
        driver=_strip_owner(driver, people),
        driver_of=_owner(text, driver_at, people) if driver else None,
        ours=_ours(text, near["ours"]) if near["ours"] and not stopped else None,
        pitch=_pitch(text, near["pitch"]) if near["pitch"] else None,
        cancelled=_found(cues.CANCELLED, near["cancelled"], text) and bool(cues.CALL_WORDS.search(text)),
        stopped_pushing=stopped,
        other_party=_found(cues.OTHER_PARTY, near["other"], text),
    )


# Each trigger word and the cues it triggers (see cues.TRIGGERS): a message's trigger words are looked up once.
_TRIGGERED: dict[str, tuple[str, ...]] = {
    word: tuple(name for name, trigger in cues.TRIGGERS.items() if word in trigger)
    for word in frozenset().union(*cues.TRIGGERS.values())
}
_TRIGGER_WORDS = frozenset(_TRIGGERED)


def _near(text: str, words: frozenset[str]) -> dict[str, list[int]]:
    """For each cue of cues.TRIGGERS, where its trigger words are in `text` (whose words_of are `words`), in
    order: `word_positions(text, trigger & words)`, with each trigger word found once however many cues it
    serves."""
    near: dict[str, list[int]] = {name: [] for name in cues.TRIGGERS}
    merged: set[str] = set()
    for word in _TRIGGER_WORDS.intersection(words):
        found = word_positions(text, (word,))
        if found:
            for name in _TRIGGERED[word]:
                if near[name]:
                    merged.add(name)
                near[name] += found
    for name in merged:  # a word's positions are in order, and two words never start at one place
        near[name].sort()
    return near


def _found(pattern: re.Pattern[str], hits: list[int], text: str) -> bool:
    return bool(hits) and next(anchored(pattern, hits, text), None) is not None


# Cues that are part of the fact ("manually", "sick of …" is not; "keeps re-keying" is).
_PAIN_KEEPS = re.compile(
    r"^(?:still|keeps?|kept|spend|spends|spending|spent|los|wast|burn|by hand|manual|on |in |off |can|no |re-?)", re.I
)

_GOAL_KEEPS = re.compile(r"^(?:get|bring|cut|reduc|halv|drop)", re.I)
_NOT_A_GOAL = re.compile(r"(?:for|to|with|on|in|at|by|from|about|it|that|this)\b", re.I)
_NEGATED = re.compile(r"\bnot\s+$")


def _first_clause(
    pattern: re.Pattern[str],
    text: str,
    *,
    max_words: int,
    min_words: int = 1,
    keep_cue: bool | re.Pattern[str] = False,
    stop: re.Pattern[str] | None = None,
    hits: list[int] | None = None,
) -> tuple[str | None, int]:
    """The phrase the first match of `pattern` starts (tried only near `hits`, when given, see
    clauses.anchored), and where the match begins."""
    if hits is not None and not hits:
        return None, -1
    for found in pattern.finditer(text) if hits is None else anchored(pattern, hits, text):
        cue = found.group()
        keep = keep_cue if isinstance(keep_cue, bool) else bool(keep_cue.match(cue.strip()))
        start = (
            _sentence_start(text, found.start()) if keep and _trails(cue) else found.start() if keep else found.end()
        )
        phrase = clause(text, start, max_words=max_words, min_words=min_words, stop=stop)
        if phrase:
            return phrase, found.start()
    return None, -1


def _trails(cue: str) -> bool:
    """A cue that qualifies what came before it ("reconciles by hand", "fees are still killing them"): the
    fact starts before the cue."""
    lowered = cue.strip().lower()
    return lowered in ("by hand", "manually", "on spreadsheets", "on spreadsheet", "in excel", "on paper") or (
        lowered.startswith(("still ", "keeps ", "keep ", "kept "))
    )


def _sentence_start(text: str, at: int) -> int:
    """The start of the phrase that ends at `at`: back over at most five words, within the clause."""
    head = text[:at]
    cut = max(head.rfind(mark) for mark in (".", ",", ";", ":", "\n", "!", "?", "(", " - ", " – "))
    words = head[cut + 1 :].split()[-5:]
    return at - len(" ".join(words)) - 1 if words else at


def _lowered_alike(text: str) -> str | None:
    """The text lowercased, when an IGNORECASE pattern of ASCII letters reads it as a plain pattern reads this:
    same length (so the same offsets) and no dotless i or long s (which IGNORECASE takes for i and s)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) and "ı" not in text and "ſ" not in text else None


def _plain(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """An IGNORECASE pattern for lowercased text, without IGNORECASE: the engine then rejects branches by their
    first letter. `[A-Z]`, any letter under IGNORECASE, becomes `[a-z]`; `(?-i:…)` loses its case (a caller
    that relies on it must check the text). None for a pattern with other capitals in it."""
    source = pattern.pattern.replace("[A-Z]", "[a-z]").replace("(?-i:", "(?:")
    if not pattern.flags & re.IGNORECASE or re.search(r"[A-Z]", source.replace("\\", "")):
        return None
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


_OUR_PRESSURE_LOWER = _plain(cues.OUR_PRESSURE)
_ASKS_LOWER = tuple(_plain(pattern) for pattern in cues.ASKS)


def _ours(text: str, hits: list[int]) -> str | None:
    """The seller's own pressure, in their words: the clause that states it, cut to about eight words around
    the telling phrase ("my Q1 is toast", "I need MDB to close in Q4 for my number")."""
    lowered = _lowered_alike(text)
    plain = _OUR_PRESSURE_LOWER
    if plain is not None and lowered is not None and lowered.count("commission") == text.count("commission"):
        matches = plain.finditer(lowered)  # the same spans, several times faster
    else:  # "Commission" is not what the case-sensitive (?-i:commission) reads
        matches = cues.OUR_PRESSURE.finditer(text)
    found = next((m for m in matches if not _NEGATED.search(text, max(0, m.start() - 5), m.start())), None)
    if found is None:
        return None
    marks = (".", "!", "?", "\n", ",", ";", ":", " - ", " – ", " or ", " but ", " and ")
    start = (
        max(text.rfind(mark, 0, found.start()) + len(mark) for mark in marks if text.rfind(mark, 0, found.start()) >= 0)
        if any(text.rfind(mark, 0, found.start()) >= 0 for mark in marks)
        else 0
    )
    ends = [text.find(mark, found.end()) for mark in marks]
    end = min((e for e in ends if e >= 0), default=len(text))
    words = [w for w in text[start:end].split() if any(c.isalnum() for c in w)]
    if len(words) > 8:
        before = len(text[start : found.start()].split())
        words = words[max(0, min(before, len(words) - 8)) :][:8]
    return " ".join(words).strip(" ,'’\"") or text[found.start() : found.end()]


def _ask(text: str) -> str | None:
    """What the buyer asks of us; not what we need ("we need the IRAP letter") nor a time ("asked for after
    lunch")."""
    lowered = _lowered_alike(text)
    for pattern, lower in zip(cues.ASKS, _ASKS_LOWER, strict=True):
        for found in pattern.finditer(text) if lowered is None or lower is None else lower.finditer(lowered):
            before = text[max(0, found.start() - 16) : found.start()]
            if _OUR_NEED.search(before):
                continue  # our own need ("we need the letter", "Need a one-pager")
            phrase = clause(text, found.end(), max_words=8, min_words=2)
            if phrase and not _NOT_AN_ASK.match(phrase):
                return phrase
    return None


_OUR_NEED = re.compile(
    r"\b(?:we|i|we'll|we're|i'll|i'm|us|can't|cannae|couldn't|cannot)\s+(?:\w+\s+)?$|(?:^|[.!?]\s*)$", re.I
)
_NOT_AN_ASK = re.compile(
    r"(?:after|before|at|on|in|time|(?:a|an|the)\s(?:(?:quick|brief|short|first|follow-up|second)\s)?"
    r"(?:demo|call|meeting|session|visit|workshop|chat))\b",
    re.I,
)


def _pitch(text: str, hits: list[int]) -> str | None:
    for found in anchored(cues.PITCH, hits, text):
        phrase = clause(text, found.end(), max_words=5, min_words=1, stop=cues.PITCH_STOP)
        if phrase and not _NOT_A_PITCH.match(phrase):
            return phrase
    return None


_NOT_A_PITCH = re.compile(r"(?:them|him|her|hers|his|theirs|ours|mine|yours|it|us|up|around|the door)\b", re.I)


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
    stripped = _OWNER.sub("", driver)
    return stripped or driver


_OWNER = re.compile(r"^(?:[A-Z][\w-]*(?:\s[A-Z][\w-]*)?['’]s|his|her|their)\s")
