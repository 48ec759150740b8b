"""Coaching questions we asked, and the deal updates the engine read.

A question row is written (claimed) before the reply is posted and completed with the reply's ts after:
a redelivered event finds the claim and posts nothing.
"""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import Engine, bindparam, update
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, col, select

from storage.conflict import insert_if_absent, insert_row_if_absent
from storage.db import Db, execute_alone
from storage.models import AskedQuestion, Deal, DealUpdate


def record_update(
    *,
    session: Session,
    team_id: str,
    deal_id: int,
    channel_id: str,
    message_ts: str,
    user_id: str,
    signals: frozenset[str] | set[str],
    reply: str,
    now: datetime,
) -> bool:
    """Record that the engine read a message. False when this message was already read (a retry)."""
    return insert_if_absent(
        session,
        DealUpdate,
        dict(
            team_id=team_id,
            deal_id=deal_id,
            channel_id=channel_id,
            message_ts=message_ts,
            user_id=user_id,
            signals=" ".join(sorted(signals)),
            reply=reply,
            created_at=now,
        ),
        keys=("team_id", "channel_id", "message_ts"),
    )


def claim_question(
    *,
    session: Session,
    team_id: str,
    deal_id: int,
    channel_id: str,
    message_ts: str,
    asked_user_id: str,
    lens: str,
    text: str,
    now: datetime,
    stakeholder: str | None = None,
    meeting_at: datetime | None = None,
    reply_ts: str | None = None,
) -> AskedQuestion | None:
    """Claim the right to ask about a message: the claimed question, or None when it was claimed before (a
    redelivery)."""
    row = insert_row_if_absent(
        session,
        AskedQuestion,
        dict(
            team_id=team_id,
            deal_id=deal_id,
            channel_id=channel_id,
            message_ts=message_ts,
            asked_user_id=asked_user_id,
            lens=lens,
            stakeholder=stakeholder,
            text=text,
            meeting_at=meeting_at,
            reply_ts=reply_ts,
            created_at=now,
        ),
        keys=("team_id", "channel_id", "message_ts"),
    )
    return AskedQuestion(**row) if row is not None else None


def question_for_message(*, session: Session, team_id: str, channel_id: str, message_ts: str) -> AskedQuestion | None:
    params = {"team_id": team_id, "channel_id": channel_id, "message_ts": message_ts}
    return session.scalars(_question_for_message(), params).first()


@functools.cache
def _question_for_message() -> Executable:
    return select(AskedQuestion).where(
        col(AskedQuestion.team_id) == bindparam("team_id"),
        col(AskedQuestion.channel_id) == bindparam("channel_id"),
        col(AskedQuestion.message_ts) == bindparam("message_ts"),
    )


def question_by_id(*, session: Session, team_id: str, question_id: int) -> AskedQuestion | None:
    return session.exec(
        select(AskedQuestion).where(AskedQuestion.team_id == team_id, AskedQuestion.id == question_id)
    ).first()


def question_and_deal(*, session: Session, team_id: str, question_id: int | None) -> tuple[AskedQuestion, Deal] | None:
    """A question we asked, with its deal, both in this workspace."""
    if question_id is None:
        return None
    row = session.exec(
        select(AskedQuestion, Deal)
        .join(Deal, col(Deal.id) == col(AskedQuestion.deal_id))
        .where(AskedQuestion.team_id == team_id, AskedQuestion.id == question_id, Deal.team_id == team_id)
    ).first()
    return (row[0], row[1]) if row else None


def mark_posted(*, session: Db, question_id: int, reply_ts: str) -> None:
    session.execute(_mark_posted(), {"question_id": question_id, "reply_ts": reply_ts})


def mark_posted_now(engine: Engine, *, question_id: int, reply_ts: str) -> None:
    """`mark_posted`, committed when it returns (on PostgreSQL through the driver's cursor)."""
    execute_alone(engine, _mark_posted(), {"question_id": question_id, "reply_ts": reply_ts})


@functools.cache
def _mark_posted() -> Executable:
    table = AskedQuestion.__table__  # type: ignore[attr-defined]
    return update(table).where(table.c.id == bindparam("question_id")).values(reply_ts=bindparam("reply_ts"))


def recent_questions(*, session: Session, deal_id: int, limit: int = 5) -> list[AskedQuestion]:
    """Oldest first, the last `limit` questions asked on a deal."""
    rows = session.scalars(_recent_questions(), {"deal_id": deal_id, "limit": limit})
    return list(reversed(list(rows)))


@functools.cache
def _recent_questions() -> Executable:
    return (
        select(AskedQuestion)
        .where(col(AskedQuestion.deal_id) == bindparam("deal_id"))
        .order_by(col(AskedQuestion.created_at).desc(), col(AskedQuestion.id).desc())
        .limit(bindparam("limit"))
    )
