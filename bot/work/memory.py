"""The deal memory, kept from every message: who each person is (one stakeholder per person, with name,
role and driver) and what the buyer side told us. Updates, thread answers, `/deal note` and the note modal
all come through `remember`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot import coach
from bot.coach.memory import Learned, learned_from, matches, person_named
from bot.coach.people import PersonFact
from storage.deals import name_key, stakeholders
from storage.memory import add_fact, add_person, merge_people, update_person
from storage.models import Deal, Stakeholder


def remember(
    session: Session,
    *,
    deal: Deal,
    facts: coach.Facts,
    source: str,
    now: datetime,
    source_ts: str | None = None,
    about: str | None = None,
    driver: str | None = None,
    people: list[Stakeholder] | None = None,
) -> list[Learned]:
    """Keep what `facts` tell about the deal. `about` names the person a question asked about (a thread
    answer or a note for someone); `driver` is text that states that person's driver outright. `people`: the
    deal's stakeholders, when the caller has just loaded them.

    Returns what was learned."""
    assert deal.id is not None
    about_person = person_named(about) if about else None
    learned = learned_from(facts, about=about_person, driver=driver)
    mentioned = [*facts.people, *([about_person] if about_person else []), *(item.person for item in learned)]
    rows = people if people is not None else stakeholders(session=session, deal_id=deal.id)
    for person in mentioned:
        if person is not None:
            rows = _keep_person(session, deal, rows, person, now)
    for item in learned:
        row = _find(rows, item.person) if item.person else None
        if item.kind == "driver" and row is not None:
            update_person(session=session, person=row, driver=item.text)  # and kept below, for the record
        add_fact(
            session=session,
            team_id=deal.team_id,
            deal_id=deal.id,
            kind=item.kind,
            text=item.text,
            stakeholder_id=row.id if row else None,
            source=source,
            source_ts=source_ts,
            now=now,
        )
    return learned


def _keep_person(
    session: Session, deal: Deal, rows: list[Stakeholder], person: PersonFact, now: datetime
) -> list[Stakeholder]:
    """One row per person: a new mention of someone known fills in their name or role; two rows that turn
    out to be one person ("CFO", then "Dana", then "their CFO Dana") are merged."""
    assert deal.id is not None
    same = [row for row in rows if matches(person, row.name, row.role)]
    if not same:
        added = add_person(
            session=session,
            team_id=deal.team_id,
            deal_id=deal.id,
            name=person.name or person.role or person.span,
            role=person.role,
            now=now,
        )
        return [*rows, added] if added is not None else stakeholders(session=session, deal_id=deal.id)
    keep = same[0]
    for other in same[1:]:
        keep = merge_people(session=session, keep=keep, drop=other)
        rows = [row for row in rows if row is not other]
    fuller = _fuller_name(keep, person)
    if fuller and not any(row is not keep and row.name_key == name_key(fuller) for row in rows):
        update_person(session=session, person=keep, name=fuller, role=person.role)
    else:
        update_person(session=session, person=keep, role=person.role)
    return rows


def _fuller_name(row: Stakeholder, person: PersonFact) -> str | None:
    """The better name for a known person: a name where we had only a role, a full name for a first name."""
    if not person.name:
        return None
    stored = person_named(row.name)
    if stored.name is None or (len(person.name.split()) > len(stored.name.split())):
        return person.name
    return None


def _find(rows: Sequence[Stakeholder], person: PersonFact | None) -> Stakeholder | None:
    if person is None:
        return None
    return next((row for row in rows if matches(person, row.name, row.role)), None)
