"""Booked calls and their pre-call nudges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, literal, update
from sqlmodel import Session, col, select

from storage.conflict import insert_if_absent
from storage.models import Call, Deal, Job, Nudge

BOOKED = "booked"


def book_call(
    *,
    session: Session,
    team_id: str,
    deal_id: int,
    starts_at: datetime,
    tz: str,
    topic: str | None,
    booked_by: str,
    due_at: datetime,
    now: datetime,
) -> tuple[Call, Nudge] | None:
    """Book a call and its nudge. None when the deal already has a live call at that time."""
    inserted = insert_if_absent(
        session,
        Call,
        dict(
            team_id=team_id,
            deal_id=deal_id,
            starts_at=starts_at,
            tz=tz,
            topic=topic,
            booked_by=booked_by,
            slot=BOOKED,
            created_at=now,
        ),
        keys=("deal_id", "starts_at", "slot"),
    )
    if not inserted:
        return None
    call = session.exec(
        select(Call).where(Call.deal_id == deal_id, Call.starts_at == starts_at, Call.slot == BOOKED)
    ).one()
    nudge = Nudge(team_id=team_id, call_id=call.id or 0, due_at=due_at, state="scheduled", updated_at=now)
    session.add(nudge)
    session.flush()
    return call, nudge


def call_by_id(*, session: Session, team_id: str, call_id: int) -> Call | None:
    return session.exec(select(Call).where(Call.team_id == team_id, Call.id == call_id)).first()


def nudge_for_call(*, session: Session, call_id: int) -> Nudge | None:
    return session.exec(select(Nudge).where(Nudge.call_id == call_id)).first()


def upcoming_calls(
    *, session: Session, team_id: str, now: datetime, deal_id: int | None = None, owner_id: str | None = None
) -> list[tuple[Call, Deal, Nudge | None]]:
    query = (
        select(Call, Deal, Nudge)
        .join(Deal, col(Deal.id) == col(Call.deal_id))
        .join(Nudge, col(Nudge.call_id) == col(Call.id), isouter=True)
        .where(Call.team_id == team_id, Call.slot == BOOKED, Call.starts_at > now)
    )
    if deal_id is not None:
        query = query.where(Call.deal_id == deal_id)
    if owner_id is not None:
        query = query.where(Deal.owner_id == owner_id)
    return [tuple(row) for row in session.exec(query.order_by(col(Call.starts_at)))]  # type: ignore[misc]


def cancel_call(*, session: Session, call: Call, now: datetime) -> None:
    call.slot = f"cancelled-{call.id}"
    session.add(call)
    set_nudge_state(session=session, call_id=call.id or 0, state="cancelled", now=now)


def move_call(*, session: Session, call: Call, starts_at: datetime, tz: str, due_at: datetime, now: datetime) -> bool:
    """Move a call and re-arm its nudge. False when the deal already has a live call at the new time."""
    clash = session.exec(
        select(Call).where(
            Call.deal_id == call.deal_id, Call.starts_at == starts_at, Call.slot == BOOKED, Call.id != call.id
        )
    ).first()
    if clash is not None:
        return False
    call.starts_at = starts_at
    call.tz = tz
    session.add(call)
    nudge = nudge_for_call(session=session, call_id=call.id or 0)
    if nudge is not None:
        nudge.due_at, nudge.state, nudge.dm_ts, nudge.updated_at = due_at, "scheduled", None, now
        session.add(nudge)
    return True


def set_nudge_state(*, session: Session, call_id: int, state: str, now: datetime) -> None:
    session.execute(update(Nudge).where(col(Nudge.call_id) == call_id).values(state=state, updated_at=now))


def claim_nudge(*, session: Session, nudge_id: int, now: datetime) -> bool:
    """Move a scheduled nudge to "sending". Only one caller ever wins the move."""
    result = session.execute(
        update(Nudge)
        .where(col(Nudge.id) == nudge_id, col(Nudge.state) == "scheduled")
        .values(state="sending", updated_at=now)
        .returning(col(Nudge.id))
    )
    return result.first() is not None


def finish_nudge(
    *,
    session: Session,
    nudge_id: int,
    state: str,
    now: datetime,
    recipient_id: str | None = None,
    dm_channel: str | None = None,
    dm_ts: str | None = None,
) -> None:
    """Settle a nudge that is still owed (scheduled or sending); a settled one is left as it is."""
    values: dict[str, object] = {"state": state, "updated_at": now}
    if recipient_id is not None:
        values.update(recipient_id=recipient_id, dm_channel=dm_channel, dm_ts=dm_ts)
    session.execute(
        update(Nudge).where(col(Nudge.id) == nudge_id, col(Nudge.state).in_(("scheduled", "sending"))).values(**values)
    )


OPEN_NUDGE = ("scheduled", "sending")


def unarmed_nudges(*, session: Session, key_prefix: str) -> list[tuple[int, str, datetime]]:
    """(nudge id, team, due time) for every nudge still owed whose job (`key_prefix` + id) is missing or no
    longer waiting or running: one query, however many nudges are scheduled."""
    key = literal(key_prefix) + cast(col(Nudge.id), String)
    live = (col(Job.key) == key) & col(Job.state).in_(("ready", "running"))
    rows = session.exec(
        select(Nudge.id, Nudge.team_id, Nudge.due_at)
        .outerjoin(Job, live)
        .where(col(Nudge.state).in_(OPEN_NUDGE), col(Job.id).is_(None))
    )
    return [(int(i or 0), team, due) for i, team, due in rows]


def nudge_ids_for_deal(*, session: Session, deal_id: int) -> list[int]:
    return [
        int(i or 0)
        for i in session.exec(
            select(Nudge.id).join(Call, col(Call.id) == col(Nudge.call_id)).where(Call.deal_id == deal_id)
        )
    ]


def scheduled_nudges_for_owner(*, session: Session, team_id: str, owner_id: str) -> list[tuple[Nudge, Call]]:
    rows = session.exec(
        select(Nudge, Call)
        .join(Call, col(Call.id) == col(Nudge.call_id))
        .join(Deal, col(Deal.id) == col(Call.deal_id))
        .where(Deal.team_id == team_id, Deal.owner_id == owner_id, Nudge.state == "scheduled")
    )
    return [(n, c) for n, c in rows]
