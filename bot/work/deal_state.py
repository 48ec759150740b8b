"""Builds the coaching engine's view of a deal from what storage holds: its people with their roles and
drivers, what the buyer side told us, its notes, and what was asked lately."""

from __future__ import annotations

from sqlmodel import Session

from bot.coach import DealState
from bot.coach.memory import lenses_known, person_named
from storage.deals import name_key, stakeholders
from storage.memory import facts_for_deal
from storage.models import BuyerFact, Deal, Note, Stakeholder
from storage.notes import notes_for_deal
from storage.questions import recent_questions


def drivers_from(people: list[Stakeholder], notes: list[Note]) -> dict[str, str | None]:
    """Each stakeholder's driver: the one stated for them, else their latest personal-driver note (notes
    come newest first); None while unknown."""
    drivers: dict[str, str | None] = {person.name: person.driver for person in people}
    keys = {name_key(person.name): person.name for person in people}
    for note in notes:
        if note.lens != "personal_driver" or not note.stakeholder:
            continue
        name = keys.get(name_key(note.stakeholder), note.stakeholder)
        if drivers.get(name) is None:
            drivers[name] = note.text
    return drivers


def roles_of(people: list[Stakeholder]) -> dict[str, str]:
    """Each stakeholder's role; a stakeholder known only by a role ("CFO") has it as their role too."""
    roles: dict[str, str] = {}
    for person in people:
        role = person.role or person_named(person.name).role
        if role:
            roles[person.name] = role
    return roles


def known_from(facts: list[BuyerFact]) -> dict[str, tuple[str, ...]]:
    """What the deal was told, by kind, newest first. A driver stated for a known person is theirs (see
    `drivers_from`), not listed again here."""
    known: dict[str, list[str]] = {}
    for fact in facts:
        if fact.kind == "driver" and fact.stakeholder_id is not None:
            continue
        known.setdefault(fact.kind, []).append(fact.text)
    return {kind: tuple(texts) for kind, texts in known.items()}


def load_state(
    *,
    session: Session,
    deal: Deal,
    muted_lenses: frozenset[str] = frozenset(),
    notes: list[Note] | None = None,
    people: list[Stakeholder] | None = None,
) -> DealState:
    """`notes` (newest first) and `people` may be passed when the caller has loaded them already."""
    assert deal.id is not None
    if notes is None:
        notes = notes_for_deal(session=session, deal_id=deal.id)
    if people is None:
        people = stakeholders(session=session, deal_id=deal.id)
    facts = facts_for_deal(session=session, deal_id=deal.id)
    asked = recent_questions(session=session, deal_id=deal.id)
    known = known_from(facts)
    return DealState(
        name=deal.name,
        noted_lenses=frozenset(note.lens for note in notes) | lenses_known(set(known)),
        drivers=drivers_from(people, notes),
        recent_lenses=tuple(q.lens for q in asked),
        recent_questions=tuple(q.text for q in asked),
        muted_lenses=muted_lenses,
        roles=roles_of(people),
        known=known,
    )
