"""Builds the coaching engine's view of a deal from what storage holds."""

from __future__ import annotations

from sqlmodel import Session

from bot.coach import DealState
from storage.deals import name_key, stakeholders
from storage.models import Deal, Note
from storage.notes import notes_for_deal
from storage.questions import recent_questions


def drivers_from(names: list[str], notes: list[Note]) -> dict[str, str | None]:
    """Each stakeholder's latest personal-driver note (notes come newest first), None while unknown."""
    drivers: dict[str, str | None] = {name: None for name in names}
    keys = {name_key(name): name for name in names}
    for note in notes:
        if note.lens != "personal_driver" or not note.stakeholder:
            continue
        name = keys.get(name_key(note.stakeholder), note.stakeholder)
        if drivers.get(name) is None:
            drivers[name] = note.text
    return drivers


def load_state(
    *,
    session: Session,
    deal: Deal,
    muted_lenses: frozenset[str] = frozenset(),
    notes: list[Note] | None = None,
) -> DealState:
    """`notes` (newest first) may be passed when the caller has loaded them already."""
    assert deal.id is not None
    if notes is None:
        notes = notes_for_deal(session=session, deal_id=deal.id)
    names = [person.name for person in stakeholders(session=session, deal_id=deal.id)]
    asked = recent_questions(session=session, deal_id=deal.id)
    return DealState(
        name=deal.name,
        noted_lenses=frozenset(note.lens for note in notes),
        drivers=drivers_from(names, notes),
        recent_lenses=tuple(q.lens for q in asked),
        recent_questions=tuple(q.text for q in asked),
        muted_lenses=muted_lenses,
    )
