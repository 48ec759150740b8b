"""Deal memory: the people on the buyer side (name, role, driver) and the facts they told us.

Which mention is which person is decided above (bot.work.memory); these functions only read and write rows.
"""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, col, select, update

from storage.conflict import insert_if_absent
from storage.deals import name_key
from storage.models import BuyerFact, Stakeholder

MAX_FACT = 300


def add_person(
    *, session: Session, team_id: str, deal_id: int, name: str, role: str | None, now: datetime
) -> Stakeholder | None:
    """Add a person under `name` (a role alone is its own name). None when that name is taken on the deal."""
    inserted = insert_if_absent(
        session,
        Stakeholder,
        dict(team_id=team_id, deal_id=deal_id, name=name[:80], name_key=name_key(name)[:80], role=role, created_at=now),
        keys=("deal_id", "name_key"),
    )
    if not inserted:
        return None
    return session.exec(
        select(Stakeholder).where(Stakeholder.deal_id == deal_id, Stakeholder.name_key == name_key(name)[:80])
    ).one()


def update_person(
    *,
    session: Session,
    person: Stakeholder,
    name: str | None = None,
    role: str | None = None,
    driver: str | None = None,
) -> Stakeholder:
    """Learn more about a person: a fuller name, a role, a driver (the latest stated wins)."""
    if name and name_key(name) != person.name_key:
        person.name, person.name_key = name[:80], name_key(name)[:80]
    if role and not person.role:
        person.role = role[:80]
    if driver:
        person.driver = driver
    session.add(person)
    return person


def merge_people(*, session: Session, keep: Stakeholder, drop: Stakeholder) -> Stakeholder:
    """Two rows turned out to be one person ("CFO" and "Dana"): keep one, move the other's facts to it."""
    assert keep.id is not None and drop.id is not None
    session.exec(
        update(BuyerFact).where(col(BuyerFact.stakeholder_id) == drop.id).values(stakeholder_id=keep.id)  # type: ignore[call-overload]
    )
    keep.role = keep.role or drop.role
    keep.driver = keep.driver or drop.driver
    session.delete(drop)
    session.flush()
    session.add(keep)
    return keep


def add_fact(
    *,
    session: Session,
    team_id: str,
    deal_id: int,
    kind: str,
    text: str,
    source: str,
    now: datetime,
    stakeholder_id: int | None = None,
    source_ts: str | None = None,
) -> bool:
    """Keep one fact; the same fact stated again (same kind, person and words) is kept once."""
    text = " ".join(text.split())[:MAX_FACT]
    key = f"{kind}|{stakeholder_id or ''}|{text.casefold()}"[:200]
    return insert_if_absent(
        session,
        BuyerFact,
        dict(
            team_id=team_id,
            deal_id=deal_id,
            stakeholder_id=stakeholder_id,
            kind=kind,
            text=text,
            fact_key=key,
            source=source,
            source_ts=source_ts,
            created_at=now,
        ),
        keys=("deal_id", "fact_key"),
    )


def facts_for_deal(*, session: Session, deal_id: int) -> list[BuyerFact]:
    """Newest first."""
    return list(session.scalars(_facts_for_deal(), {"deal_id": deal_id}))


@functools.cache
def _facts_for_deal() -> Executable:
    newest = (col(BuyerFact.created_at).desc(), col(BuyerFact.id).desc())
    return select(BuyerFact).where(col(BuyerFact.deal_id) == bindparam("deal_id")).order_by(*newest)
