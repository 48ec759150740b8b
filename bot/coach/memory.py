"""What a deal should remember from one message: each person's driver, and the buyer's pain, goal, cost,
dates and competitors, whatever the message was answering. Pure: facts in, things to keep out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.facts import Facts
from bot.coach.people import PersonFact, same_person, split_person

KINDS: tuple[str, ...] = ("driver", "pain", "goal", "cost", "deadline", "competitor")
# Which lens a kind of fact answers: a deal that knows it is not asked for it again.
LENS_OF_KIND: dict[str, str] = {
    "driver": "personal_driver",
    "pain": "wiift",
    "goal": "wiift",
    "cost": "cost_of_inaction",
    "deadline": "alignment",
}
LABELS: dict[str, str] = {
    "driver": "Personal stake",
    "pain": "Their pain",
    "goal": "What they want",
    "cost": "What standing still costs",
    "deadline": "Their dates",
    "competitor": "Also in the running",
}


@dataclass(frozen=True, slots=True)
class Learned:
    """One thing to remember: its kind, the words it was stated in, and whom it is about (if anyone)."""

    kind: str
    text: str
    person: PersonFact | None = None


def person_named(text: str) -> PersonFact:
    """A person from a stored name or a name typed in a form: "CFO" is a role, "Dana Whitfield" a name."""
    name, role = split_person(text)
    return PersonFact(span=text, name=name, role=role)


def learned_from(facts: Facts, *, about: PersonFact | None = None, driver: str | None = None) -> list[Learned]:
    """What to keep from one message's facts. `about` is whom the message answers a question about, if
    anyone; `driver` is the whole message when it answers "what's in it for them" about that person."""
    first = facts.person or about
    found: list[Learned] = []
    if facts.driver:
        owner = next((p for p in facts.people if p.label == facts.driver_of), None) or first
        found.append(Learned("driver", facts.driver, owner))
    elif driver and about is not None:
        found.append(Learned("driver", driver, about))
    if facts.pain:
        found.append(Learned("pain", facts.pain, first))
    if facts.goal:
        found.append(Learned("goal", facts.goal, first))
    if facts.cost:
        found.append(Learned("cost", facts.cost, first))
    deadline = facts.event or (facts.date if not (facts.ours or facts.competitor or facts.ask) else None)
    if deadline:
        found.append(Learned("deadline", deadline, first))
    if facts.competitor:
        found.append(Learned("competitor", facts.competitor))
    return found


def lenses_known(kinds: set[str] | frozenset[str]) -> frozenset[str]:
    """The lenses a deal's facts answer."""
    return frozenset(LENS_OF_KIND[k] for k in kinds if k in LENS_OF_KIND)


def matches(person: PersonFact, name: str, role: str | None) -> bool:
    """Whether a stored stakeholder (`name`, `role`) is this person."""
    stored = person_named(name)
    stored_name = stored.name
    stored_role = role or stored.role
    return same_person(person.name, person.role, stored_name, stored_role)
