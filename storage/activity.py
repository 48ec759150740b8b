"""Bounded, batched reads of what happened on many deals in a period: the weekly digest and the Home tab
read a whole batch of people's deals in a handful of queries instead of a few queries per deal.

Every function takes lists of ids and returns plain tuples; long id lists are split into chunks so a
statement never carries more parameters than a database accepts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, func, select

from storage.models import AskedQuestion, BuyerFact, Call, Deal, DealUpdate, Note, Stakeholder

CHUNK = 2000
BOOKED = "booked"

T = TypeVar("T")


def _chunks(ids: Sequence[T]) -> Iterator[list[T]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def _rows(session: Session, statement: Any) -> list[Any]:
    """Plain rows through Core: column tuples need none of the ORM's per-row work."""
    return [tuple(row) for row in session.connection().execute(statement)]


def deals_owned_by(*, session: Session, team_id: str, user_ids: Sequence[str]) -> list[Deal]:
    found: list[Deal] = []
    for chunk in _chunks(user_ids):
        found += session.exec(select(Deal).where(Deal.team_id == team_id, col(Deal.owner_id).in_(chunk)))
    return found


def deals_by_ids(*, session: Session, team_id: str, deal_ids: Sequence[int]) -> list[Deal]:
    found: list[Deal] = []
    for chunk in _chunks(deal_ids):
        found += session.exec(select(Deal).where(Deal.team_id == team_id, col(Deal.id).in_(chunk)))
    return found


def lens_marks(*, session: Session, deal_ids: Sequence[int]) -> list[tuple[int, str, str | None]]:
    """(deal, lens, stakeholder) for every distinct combination noted on these deals: enough to know
    each deal's noted lenses and which stakeholders have a noted driver, without reading note texts."""
    found: list[tuple[int, str, str | None]] = []
    for chunk in _chunks(deal_ids):
        found += _rows(
            session,
            select(Note.deal_id, Note.lens, Note.stakeholder)
            .where(col(Note.deal_id).in_(chunk))
            .group_by(col(Note.deal_id), col(Note.lens), col(Note.stakeholder)),
        )
    return found


def stakeholders_of(*, session: Session, deal_ids: Sequence[int]) -> list[tuple[int, str, datetime, str | None, bool]]:
    """(deal, name, when first named, role, whether their driver is known), in the order they were named."""
    found: list[tuple[int, str, datetime, str | None, bool]] = []
    for chunk in _chunks(deal_ids):
        found += [
            (deal_id, name, created, role, bool(driven))
            for deal_id, name, created, role, driven in _rows(
                session,
                select(
                    Stakeholder.deal_id,
                    Stakeholder.name,
                    Stakeholder.created_at,
                    Stakeholder.role,
                    col(Stakeholder.driver).is_not(None),
                )
                .where(col(Stakeholder.deal_id).in_(chunk))
                .order_by(col(Stakeholder.id)),
            )
        ]
    return found


def fact_marks(
    *, session: Session, deal_ids: Sequence[int], since: datetime | None = None
) -> list[tuple[int, str, bool, datetime]]:
    """(deal, kind, linked to a person, when learned) for the facts on these deals (learned since `since`)."""
    found: list[tuple[int, str, bool, datetime]] = []
    for chunk in _chunks(deal_ids):
        query = select(
            BuyerFact.deal_id, BuyerFact.kind, col(BuyerFact.stakeholder_id).is_not(None), BuyerFact.created_at
        ).where(col(BuyerFact.deal_id).in_(chunk))
        if since is not None:
            query = query.where(col(BuyerFact.created_at) >= since)
        found += [(d, k, bool(linked), _aware(at)) for d, k, linked, at in _rows(session, query)]
    return found


def updates_by(
    *, session: Session, team_id: str, user_ids: Sequence[str], since: datetime, until: datetime
) -> list[tuple[str, int, str, str, datetime]]:
    """(user, deal, signals, reply, when) for each deal update these people posted in [since, until]."""
    found: list[tuple[str, int, str, str, datetime]] = []
    for chunk in _chunks(user_ids):
        found += _rows(
            session,
            select(
                DealUpdate.user_id, DealUpdate.deal_id, DealUpdate.signals, DealUpdate.reply, DealUpdate.created_at
            ).where(
                DealUpdate.team_id == team_id,
                col(DealUpdate.user_id).in_(chunk),
                col(DealUpdate.created_at) >= since,
                col(DealUpdate.created_at) <= until,
            ),
        )
    return found


def update_counts(*, session: Session, deal_ids: Sequence[int], since: datetime, until: datetime) -> dict[int, int]:
    """How many deal updates (by anyone, chatter included) each deal had in [since, until]."""
    found: dict[int, int] = {}
    for chunk in _chunks(deal_ids):
        rows = _rows(
            session,
            select(DealUpdate.deal_id, func.count())
            .where(
                col(DealUpdate.deal_id).in_(chunk),
                col(DealUpdate.created_at) >= since,
                col(DealUpdate.created_at) <= until,
                col(DealUpdate.reply) != "none",
            )
            .group_by(col(DealUpdate.deal_id)),
        )
        found.update({deal_id: int(count) for deal_id, count in rows})
    return found


def notes_added(
    *, session: Session, deal_ids: Sequence[int], since: datetime, until: datetime
) -> list[tuple[int, str, int]]:
    """(deal, lens, how many) for notes added in [since, until]."""
    found: list[tuple[int, str, int]] = []
    for chunk in _chunks(deal_ids):
        found += _rows(
            session,
            select(Note.deal_id, Note.lens, func.count())
            .where(col(Note.deal_id).in_(chunk), col(Note.created_at) >= since, col(Note.created_at) <= until)
            .group_by(col(Note.deal_id), col(Note.lens)),
        )
    return found


def calls_between(
    *, session: Session, deal_ids: Sequence[int], since: datetime, until: datetime
) -> list[tuple[int, datetime, str | None]]:
    """(deal, start, topic) for booked calls starting in [since, until], soonest first."""
    found: list[tuple[int, datetime, str | None]] = []
    for chunk in _chunks(deal_ids):
        found += _rows(
            session,
            select(Call.deal_id, Call.starts_at, Call.topic).where(
                col(Call.deal_id).in_(chunk),
                col(Call.slot) == BOOKED,
                col(Call.starts_at) >= since,
                col(Call.starts_at) < until,
            ),
        )
    return sorted(found, key=lambda row: row[1])


def next_calls(*, session: Session, deal_ids: Sequence[int], after: datetime) -> dict[int, datetime]:
    """Each deal's next booked call starting after `after`."""
    found: dict[int, datetime] = {}
    for chunk in _chunks(deal_ids):
        rows = _rows(
            session,
            select(Call.deal_id, func.min(Call.starts_at))
            .where(col(Call.deal_id).in_(chunk), col(Call.slot) == BOOKED, col(Call.starts_at) > after)
            .group_by(col(Call.deal_id)),
        )
        found.update({deal_id: _aware(start) for deal_id, start in rows if start is not None})
    return found


def questions_asked(
    *, session: Session, deal_ids: Sequence[int], user_ids: Sequence[str], since: datetime, until: datetime
) -> dict[str, int]:
    """How many coaching questions each of these people was asked on these deals in [since, until]."""
    found: dict[str, int] = {}
    wanted = set(user_ids)
    for chunk in _chunks(deal_ids):
        rows = _rows(
            session,
            select(AskedQuestion.asked_user_id, func.count())
            .where(
                col(AskedQuestion.deal_id).in_(chunk),
                col(AskedQuestion.created_at) >= since,
                col(AskedQuestion.created_at) <= until,
            )
            .group_by(col(AskedQuestion.asked_user_id)),
        )
        for user_id, count in rows:
            if user_id in wanted:
                found[user_id] = found.get(user_id, 0) + int(count)
    return found


def _aware(value: datetime) -> datetime:
    """A UTC time from an aggregate, aware whatever the driver handed back."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
