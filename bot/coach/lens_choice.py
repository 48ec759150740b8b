"""Which lens a message calls for: the message first, then the deal's gaps, then what was asked lately.

- a loss gets reflection and a win relationship, whatever else the message says;
- a cancelled call gets the cost of standing still, or the question for the person who cancelled;
- our own pressure gets the whose-timeline question only when the pressure in the message is ours: a
  competitor's deadline, the buyer's date or a seller who has stopped pushing never earn a lecture about
  our quarter (a competitor earns the fit question instead);
- a pitch gets the what-do-they-gain question; a stall the cost of waiting; a named person whose driver is
  unknown their personal stake; a call ahead the call-prep question;
- nobody is asked for what the deal already knows: a person with a driver is not asked for it, a lens the
  deal has answered is not asked generically again.

The lens the message calls for is never swapped for another because it was asked last time: only its
wording changes (see questions.py). Lenses the person marked unhelpful are passed over while another fits.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.model import Analysis, DealState
from bot.coach.people import PersonFact, same_person, split_person
from bot.coach.unknowns import open_lenses


@dataclass(frozen=True, slots=True)
class Choice:
    """A lens to ask through, the person it is about (if any), and whether the message itself called for
    it (True) or the deal's gaps did (False)."""

    lens: str
    person: PersonFact | None = None
    from_message: bool = True


def known_driver(person: PersonFact, state: DealState) -> bool:
    """Whether the deal already knows what is in it for this person."""
    for name, driver in state.drivers.items():
        if driver and same_person(person.name, person.role, *split_known(name, state)):
            return True
    return False


def split_known(name: str, state: DealState) -> tuple[str | None, str | None]:
    """A known stakeholder as (name, role): a role alone is stored under the role."""
    role = state.roles.get(name)
    if role is None:
        return split_person(name)
    return (None, name) if role == name else (name, role)


def our_pressure(analysis: Analysis) -> bool:
    """Whether the pressure in the message is ours: the analyzer read pressure, the seller has not said they
    stopped pushing, and nothing says it is someone else's (a competitor's offer, the buyer's own ask or
    event) unless the seller's own words ("my quarter", "quota") are there too."""
    facts = analysis.facts
    if facts.stopped_pushing:
        return False
    if facts.ours:  # the seller's own words: "my quota", "our year end"
        return True
    return "seller_pressure" in analysis.signals and not (
        facts.competitor or facts.ask or facts.event or facts.other_party
    )


def message_choices(analysis: Analysis, state: DealState) -> list[Choice]:
    """The lenses this message calls for, most fitting first."""
    signals, facts = analysis.signals, analysis.facts
    people = facts.people
    stated = facts.driver_of if facts.driver else None  # this message says what is in it for them
    undriven = [p for p in people if not known_driver(p, state) and p.label != stated]
    first = people[0] if people else None
    person = undriven[0] if undriven else first
    if "lost" in signals:
        return [Choice("reflection", first)]
    if "won" in signals:
        return [Choice("relationship", first)]
    wanted: list[Choice] = []
    ours = our_pressure(analysis)
    if facts.cancelled and "stall" in signals:
        wanted += [Choice("cost_of_inaction", first)]
        if undriven:
            wanted.append(Choice("personal_driver", undriven[0]))
    if ours:
        wanted.append(Choice("alignment", first))
    if facts.competitor:
        wanted.append(Choice("alignment", first))
    if "self_pitch" in signals:
        wanted.append(Choice("wiift", first))
    if "stall" in signals and "meeting" in signals and not facts.cancelled:  # they moved the call
        wanted.append(Choice("call_prep", person))
    if "stall" in signals:
        wanted.append(Choice("cost_of_inaction", first))
    if "objection" in signals:
        if undriven or facts.ask:
            wanted.append(Choice("personal_driver", person))
        wanted.append(Choice("cost_of_inaction" if facts.cost or facts.pain else "wiift", first))
    if undriven:
        wanted.append(Choice("personal_driver", undriven[0]))
    if "meeting" in signals:
        wanted.append(Choice("call_prep", person))
    if "seller_pressure" in signals and not ours:  # pressure that is not ours, or that the seller let go
        wanted.append(Choice("personal_driver", person) if person else Choice("wiift", None))
    return _unique(wanted)


def choose(analysis: Analysis, state: DealState, *, gaps_only: bool = False) -> Choice:
    """The one lens to ask through now: what the message calls for, then the deal's gaps (only the gaps
    with `gaps_only`), then what the buyer gains."""
    wanted = [] if gaps_only else message_choices(analysis, state)
    last = state.recent_lenses[-1] if state.recent_lenses else None
    first = analysis.facts.people[0] if analysis.facts.people else None
    gaps = [Choice(lens, _person(name, analysis, state) or first, False) for lens, name in open_lenses(state)]
    wanted += [g for g in gaps if g.lens != last] + gaps + [Choice("wiift", first, False)]
    return next((c for c in wanted if c.lens not in state.muted_lenses), wanted[0])


def _person(name: str | None, analysis: Analysis, state: DealState) -> PersonFact | None:
    if name is None:
        return None
    known_name, role = split_known(name, state)
    for person in analysis.facts.people:
        if same_person(person.name, person.role, known_name, role):
            return person
    return PersonFact(span=name, name=known_name, role=role)


def _unique(choices: list[Choice]) -> list[Choice]:
    seen: set[str] = set()
    found = []
    for choice in choices:
        if choice.lens not in seen:
            seen.add(choice.lens)
            found.append(choice)
    return found
