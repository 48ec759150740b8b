"""Deal notes: the deal-context answers sellers give."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import Select, bindparam
from sqlmodel import Session, col, func, select

from storage.conflict import insert_if_absent
from storage.models import Note


def add_note(
    *,
    session: Session,
    team_id: str,
    deal_id: int,
    author_id: str,
    lens: str,
    text: str,
    source: str,
    now: datetime,
    stakeholder: str | None = None,
    source_ts: str | None = None,
) -> bool:
    """Add a note. With a `source_ts` (a Slack message ts) the same message never makes two notes.

    Returns whether a note was added (False: this message was already a note).
    """
    values = dict(
        team_id=team_id,
        deal_id=deal_id,
        author_id=author_id,
        lens=lens,
        stakeholder=stakeholder,
        text=text,
        source=source,
        source_ts=source_ts,
        created_at=now,
    )
    if source_ts is None:
        session.add(Note(**values))
        return True
    return insert_if_absent(session, Note, values, keys=("deal_id", "source_ts"))


def notes_for_deal(*, session: Session, deal_id: int, limit: int | None = None) -> list[Note]:
    """Newest first."""
    query = _notes_for_deal()
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query, {"deal_id": deal_id}))


@functools.cache
def _notes_for_deal() -> Select[tuple[Note]]:
    newest = (col(Note.created_at).desc(), col(Note.id).desc())
    return select(Note).where(col(Note.deal_id) == bindparam("deal_id")).order_by(*newest)


def count_notes(*, session: Session, deal_id: int) -> int:
    return session.exec(select(func.count()).select_from(Note).where(Note.deal_id == deal_id)).one()
