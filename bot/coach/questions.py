"""Choosing the one question to ask: the lens (lens_choice.py), then the form of it that uses the most of
what the seller wrote, in words that hand their facts back to them.

Anti-repeat only ever changes the wording: among the forms that use as many facts, one not asked lately
and not opening the way the last question did; never a generic form in place of a specific one.
"""

from __future__ import annotations

import re
import string
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.coach import lens_choice
from bot.coach.facts import Facts
from bot.coach.model import Analysis, DealState, Question
from bot.coach.people import PersonFact
from bot.coach.phrasings import FORMS, SLOT_WEIGHTS

BUYER = "the buyer"
_FLAGS = re.compile(r"^\[([a-z_ ]+)\]\s*")
_DETERMINER = re.compile(r"^(?:the|a|an|our|their|his|her|its|this|that|these|those|all|each|every|\d)\b", re.I)
_OPENING_WORD = re.compile(r"[a-z0-9'’]+")
_TERM = re.compile(r"[$€£₹]|\d\s?[km]\b|\b(?:years?|yrs?|months?|mths?)\b")
_SILENCE = re.compile(r"\S+\s(?:days?|weeks?|wks?|months?|mths?)")
_AS_WRITTEN = re.compile(r"[~$€£₹\d]")
_COUNT = re.compile(r"~?\d")
_NOUN = re.compile(r"[a-z][a-z-]+")
_NOT_ONE_THING = re.compile(r"(?:s|er|est|ly)$")
_DATED_EVENT = re.compile(r"^(?:[A-Z][a-z]{2,8}\.?\s\d|\d)")
_DELAY_LEAD = re.compile(r"^(?:not\s)?(?P<word>after|till|til|until|untill|post|once|before|in|into|to)\s", re.I)


@dataclass(frozen=True, slots=True)
class Form:
    lens: str
    template: str
    slots: frozenset[str]  # the slots it fills, lower-cased, `who` and `whose` aside
    flags: frozenset[str]
    names_who: bool = False  # it names {who}, the person when there is one
    weight: int = 0  # how much of the message it hands back (see phrasings.SLOT_WEIGHTS)
    fields: tuple[str, ...] = ()  # the template's fields as written, in order (render fills them)


def _parse(lens: str, text: str) -> Form:
    flags: frozenset[str] = frozenset()
    found = _FLAGS.match(text)
    if found:
        flags, text = frozenset(found.group(1).split()), text[found.end() :]
    fields = tuple(name for _, name, _, _ in string.Formatter().parse(text) if name)
    slots = {name.lower() for name in fields}
    filled = frozenset(slots - {"who", "whose"})
    weight = sum(SLOT_WEIGHTS.get(slot, 0) for slot in filled) * 2
    return Form(lens, text, filled, flags, bool(slots & {"who", "whose"}), weight, fields)


TABLE: dict[str, tuple[Form, ...]] = {lens: tuple(_parse(lens, t) for t in texts) for lens, texts in FORMS.items()}


def opening(text: str) -> str:
    """A question's first three words, lower-cased: how a channel tells one question from the next."""
    return " ".join(_OPENING_WORD.findall(text.lower())[:3])


_QUOTES = " “”\"'‘’"


def quote(text: str) -> str:
    return "“" + text.strip(_QUOTES) + "”"


def values_of(facts: Facts, person: PersonFact | None, deal: str | None, lens: str = "") -> dict[str, str]:
    """What each slot reads as, for the facts at hand. Phrases the seller wrote are quoted back to them;
    names, figures, dates and products are woven in as they are."""
    who = person.label if person else (deal or BUYER)
    values = {"who": who, "whose": possessive(who), "org": deal or "their company"}
    if person:
        values["person"] = person.label
    figures = [f for f in facts.figures if not (facts.ask and f in facts.ask)]  # an ask is asked about as one
    if lens == "relationship":  # a signed deal is told by its value and term, not by a percentage
        figures.sort(key=lambda f: "%" in f)
    if figures:
        values["figure"] = with_article(figures[0])
    term = next((f for f in figures if _TERM.search(f)), None)
    if term:
        values["term"] = term
    silence = next((f for f in figures if _SILENCE.fullmatch(f)), None)
    if silence:
        values["silence"] = silence
    if facts.cost:
        values["cost"] = facts.cost if _AS_WRITTEN.match(facts.cost) or " " not in facts.cost else quote(facts.cost)
    if facts.date:
        values["date"] = facts.date
    if facts.ask:
        values["ask"] = quote(facts.ask)
    for slot in ("said", "blocker", "reason"):
        if getattr(facts, slot):
            values[slot] = quote(getattr(facts, slot))
    for slot in ("topic", "named"):
        if getattr(facts, slot):
            values[slot] = getattr(facts, slot)
    if facts.pain:
        values["pain"] = quote(facts.pain)
    if facts.goal:
        values["goal"] = quote(facts.goal)
    if facts.event:
        values["event"] = event_phrase(facts.event)
    if facts.delay:
        values["delay"] = delay_phrase(facts.delay)
    if facts.competitor:
        values["competitor"] = facts.competitor[:1].upper() + facts.competitor[1:]
    if facts.pitch:
        values["pitch"] = facts.pitch if _DETERMINER.match(facts.pitch) else f"the {facts.pitch}"
    if facts.ours and not facts.stopped_pushing:
        values["ours"] = quote(facts.ours)
    return values


def flags_of(analysis: Analysis) -> frozenset[str]:
    facts = analysis.facts
    flags = set(analysis.signals)
    if facts.cancelled:
        flags.add("cancelled")
    if lens_choice.our_pressure(analysis):
        flags.add("ours")
    if facts.event or facts.delay or facts.date:
        flags.add("dated")
    if "stall" in analysis.signals and "meeting" not in analysis.signals and not facts.cancelled:
        flags.add("quiet")
    return frozenset(flags)


def with_article(figure: str) -> str:
    """ "20% discount" -> "a 20% discount": a number before one thing reads with an article."""
    words = figure.split()
    one_thing = len(words) == 2 and _COUNT.match(words[0]) and _NOUN.fullmatch(words[1])
    units = ("off", "more", "per", "free", "yr", "year", "month", "mth", "day", "week", "hour", "hr", "min")
    if one_thing and not _NOT_ONE_THING.search(words[1]) and words[1] not in units:
        return f"a {figure}"
    return figure


def possessive(who: str) -> str:
    return who + ("’" if who.endswith("s") else "’s")


def event_phrase(event: str) -> str:
    """ "March audit" -> "their March audit"; a bare date or a named event stays as written."""
    if _DETERMINER.match(event) or _DATED_EVENT.match(event):
        return event
    return f"their {event}"


def delay_phrase(delay: str) -> str:
    """Where a decision was pushed, read after "waits": "till March" -> "until March"."""
    found = _DELAY_LEAD.match(delay)
    if found is None:
        return f"until {delay}"
    word, rest = found.group("word").lower(), delay[found.end() :]
    if word in ("after", "before"):
        return f"until {word} {rest}"
    return f"until after {rest}" if word == "post" else f"until {rest}"


def render(form: Form, values: Mapping[str, str]) -> str:
    filled = {}
    for name in form.fields:
        value = values[name.lower()]
        filled[name] = value[:1].upper() + value[1:] if name[:1].isupper() else value
    text = form.template.format(**filled)
    return text[:1].upper() + text[1:]


def usable(lens: str, values: Mapping[str, str], flags: frozenset[str]) -> list[Form]:
    """The forms whose slots and flags this message fills; when it names a person, only forms that name
    them."""
    person = "person" in values
    keys = set(values)  # a set: subset tests against it run in C
    return [
        f
        for f in TABLE[lens]
        if f.slots <= keys and f.flags <= flags and (not person or f.names_who or "person" in f.slots)
    ]


def pick(
    forms: Sequence[Form], values: Mapping[str, str], recent: Sequence[str], *, salt: str, lens: str
) -> tuple[str, int] | None:
    """The wording to use: the heaviest forms first, in an order varied by `salt`; the first that was not
    asked lately and does not open like a recent question, else the first not asked just before. Never a
    generic wording when one that hands back a fact fits."""
    if not forms:
        return None
    start = zlib.crc32(f"{lens}|{salt}".encode())
    weights = [form.weight for form in forms]
    size = len(forms)

    def order(i: int) -> tuple[int, int]:
        return -weights[i], (i - start) % size

    if not recent:  # the first in that order is the one: no need to sort them all
        first = min(range(size), key=order)
        return render(forms[first], values), weights[first]
    ordered = sorted(range(size), key=order)
    heaviest = weights[ordered[0]]
    openings = {opening(q) for q in recent[-3:]}
    last = recent[-1]
    fallback: tuple[str, int] | None = None
    for i in ordered:
        if weights[i] == 0 and heaviest > 0:
            break
        text = render(forms[i], values)
        if text not in recent and opening(text) not in openings:
            return text, weights[i]
        if fallback is None and text != last:
            fallback = (text, weights[i])
    return fallback or (render(forms[ordered[0]], values), heaviest)


def choose_question(analysis: Analysis, state: DealState, *, salt: str = "") -> Question:
    """One question for this message: at most two sentences, about the person it names, else the deal.

    Of the lenses the message calls for, the first that can hand one of its facts back is used; if none
    can, the first that fits; then the deal's gaps. A lens the person marked unhelpful is passed over while
    another fits."""
    flags = flags_of(analysis)
    recent = state.recent_questions[-5:]
    choices = lens_choice.message_choices(analysis, state)
    fallback = lens_choice.choose(analysis, state, gaps_only=True) if state.muted_lenses else None
    if fallback is None or fallback.lens not in state.muted_lenses:  # nothing muted: the filter keeps all
        choices = [c for c in choices if c.lens not in state.muted_lenses]
    candidates: list[tuple[lens_choice.Choice, str, int]] = []
    for choice in choices:
        values = values_of(analysis.facts, choice.person, state.name, choice.lens)
        picked = pick(usable(choice.lens, values, flags), values, recent, salt=salt, lens=choice.lens)
        if picked is None:
            continue
        text, weight = picked
        specific = weight - 2 * bool(choice.person)  # what it hands back besides the person's name
        if not specific and choice.lens in state.noted_lenses:
            continue  # nothing from the message to add, and the deal already knows this: ask what it doesn't
        candidates.append((choice, text, specific))
        if specific:
            break  # the first that hands a fact back is the one asked: the lenses after it cannot change that
    grounded = next((c for c in candidates if c[2]), None)
    if grounded or candidates:
        choice, text, _ = grounded or candidates[0]
        return Question(choice.lens, text, stakeholder=_stakeholder(choice))
    fallback = fallback or lens_choice.choose(analysis, state, gaps_only=True)
    values = values_of(analysis.facts, fallback.person, state.name)
    text, _ = pick(usable(fallback.lens, values, flags), values, recent, salt=salt, lens=fallback.lens) or ("", 0)
    return Question(fallback.lens, text, stakeholder=_stakeholder(fallback))


def _stakeholder(choice: lens_choice.Choice) -> str | None:
    if choice.person is None:
        return None
    return choice.person.name or choice.person.role or choice.person.span


def ask(
    lens: str, state: DealState, *, person: PersonFact | None = None, salt: str = "", known: bool = True
) -> Question:
    """A question through `lens` built from what the deal knows (for gaps, /coach and the prep DM); with
    `known=False`, about the person alone."""
    values = values_of(known_facts(state) if known else Facts(), person, state.name)
    forms = usable(lens, values, frozenset())
    text, _ = pick(forms, values, state.recent_questions, salt=salt, lens=lens) or ("", 0)
    stakeholder = (person.name or person.role) if person else None
    return Question(lens, text, stakeholder=stakeholder)


def known_facts(state: DealState) -> Facts:
    """The deal's memory as the facts of one message, for wording questions about it."""
    known = state.known
    first = {kind: texts[0] for kind, texts in known.items() if texts}
    return Facts(
        pain=first.get("pain"),
        goal=first.get("goal"),
        event=first.get("deadline"),
        competitor=first.get("competitor"),
        cost=first.get("cost"),
    )


def stakeholder_question(name: str, state: DealState) -> Question:
    """What is in it for this person: the personal_driver question naming them."""
    known_name, role = lens_choice.split_known(name, state)
    person = PersonFact(span=name, name=known_name, role=role)
    return ask("personal_driver", state, person=person, salt=name, known=False)


def closing_question(outcome: str, state: DealState) -> Question:
    """After a close: what they will tell others (won), or whose self-interest went unserved (lost)."""
    lenses = {"won": "relationship", "lost": "reflection"}
    if outcome not in lenses:
        raise ValueError(f"outcome must be 'won' or 'lost', not {outcome!r}")
    return ask(lenses[outcome], state, salt=outcome)
