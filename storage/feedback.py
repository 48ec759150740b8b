"""People's "Not helpful" marks on coaching questions, and the lenses they mute for them.

The rule: a lens a person marked unhelpful at least `MUTE_AFTER` times in the last `MUTE_WINDOW` is muted
for them. One mark is noise (a bad phrasing, a busy day); two within a month is a pattern. The mute fades by
itself as the marks age, so a lens is never silenced for good, and a muted lens is only asked less: the
engine still asks it when nothing else fits.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, col, func, select

from storage.conflict import insert_if_absent
from storage.models import Feedback

MUTE_AFTER = 2
MUTE_WINDOW = timedelta(days=30)


def mark_unhelpful(*, session: Session, team_id: str, user_id: str, question_id: int, lens: str, now: datetime) -> bool:
    """Record the mark. False when this person had already marked this question."""
    return insert_if_absent(
        session,
        Feedback,
        dict(team_id=team_id, user_id=user_id, question_id=question_id, lens=lens, created_at=now),
        keys=("question_id", "user_id"),
    )


def muted_lenses(*, session: Session, team_id: str, user_id: str, now: datetime) -> frozenset[str]:
    params = {"team_id": team_id, "user_id": user_id, "since": now - MUTE_WINDOW}
    return frozenset(session.execute(_muted(), params).scalars())


@functools.cache
def _muted() -> Executable:  # built once: this runs for every question
    table = Feedback.__table__  # type: ignore[attr-defined]
    return (
        select(table.c.lens)
        .where(
            table.c.team_id == bindparam("team_id"),
            table.c.user_id == bindparam("user_id"),
            table.c.created_at >= bindparam("since"),
        )
        .group_by(table.c.lens)
        .having(func.count() >= MUTE_AFTER)
    )


def muted_lenses_for(
    *, session: Session, team_id: str, user_ids: list[str], now: datetime
) -> dict[str, frozenset[str]]:
    """`muted_lenses` for many people in one query."""
    found: dict[str, set[str]] = {}
    if not user_ids:
        return {}
    rows = session.exec(
        select(Feedback.user_id, Feedback.lens)
        .where(
            Feedback.team_id == team_id,
            col(Feedback.user_id).in_(user_ids),
            col(Feedback.created_at) >= now - MUTE_WINDOW,
        )
        .group_by(col(Feedback.user_id), col(Feedback.lens))
        .having(func.count() >= MUTE_AFTER)
    )
    for user_id, lens in rows:
        found.setdefault(user_id, set()).add(lens)
    return {user_id: frozenset(lenses) for user_id, lenses in found.items()}


def unhelpful_counts(
    *, session: Session, team_id: str, user_ids: list[str], since: datetime, until: datetime
) -> dict[str, int]:
    """How many questions each person marked unhelpful in [since, until]."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(Feedback.user_id, func.count())
        .where(
            Feedback.team_id == team_id,
            col(Feedback.user_id).in_(user_ids),
            col(Feedback.created_at) >= since,
            col(Feedback.created_at) <= until,
        )
        .group_by(col(Feedback.user_id))
    )
    return {user_id: int(count) for user_id, count in rows}
