"""Deals and their stakeholders."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import and_, bindparam, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, col, delete, select

from storage.conflict import insert_if_absent
from storage.models import ChannelSetting, Deal, Stakeholder


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def create_deal(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    name: str,
    owner_id: str,
    is_private: bool,
    now: datetime,
) -> Deal | None:
    """Create a deal for a channel. None when the channel already has one or the name is taken."""
    inserted = insert_if_absent(
        session,
        Deal,
        dict(
            team_id=team_id,
            channel_id=channel_id,
            name=name,
            name_key=name_key(name),
            owner_id=owner_id,
            is_private=is_private,
            stage="open",
            created_at=now,
            updated_at=now,
        ),
        keys=None,  # the channel's deal, or the name, already taken: nothing is created
    )
    if not inserted:
        return None
    return deal_for_channel(session=session, team_id=team_id, channel_id=channel_id)


def deal_for_channel(*, session: Session, team_id: str, channel_id: str) -> Deal | None:
    return session.scalars(_deal_for_channel(), {"team_id": team_id, "channel_id": channel_id}).first()


@functools.cache
def _deal_for_channel() -> Executable:  # built once: this runs for every message
    return select(Deal).where(
        col(Deal.team_id) == bindparam("team_id"), col(Deal.channel_id) == bindparam("channel_id")
    )


def deal_and_quiet(*, session: Session, team_id: str, channel_id: str) -> tuple[Deal | None, bool]:
    """A channel's deal and whether the channel is quiet, in one query (this runs for every deal update)."""
    row = session.execute(_deal_and_quiet(), {"team_id": team_id, "channel_id": channel_id}).first()
    return (row[0], bool(row[1])) if row is not None else (None, False)


@functools.cache
def _deal_and_quiet() -> Executable:
    setting = and_(
        col(ChannelSetting.team_id) == col(Deal.team_id), col(ChannelSetting.channel_id) == col(Deal.channel_id)
    )
    return (
        select(Deal, ChannelSetting.quiet)
        .outerjoin(ChannelSetting, setting)
        .where(col(Deal.team_id) == bindparam("team_id"), col(Deal.channel_id) == bindparam("channel_id"))
    )


def deal_by_name(*, session: Session, team_id: str, name: str) -> Deal | None:
    return session.exec(select(Deal).where(Deal.team_id == team_id, Deal.name_key == name_key(name))).first()


def deal_by_id(*, session: Session, team_id: str, deal_id: int) -> Deal | None:
    return session.exec(select(Deal).where(Deal.team_id == team_id, Deal.id == deal_id)).first()


def name_taken(*, session: Session, team_id: str, name: str) -> bool:
    return deal_by_name(session=session, team_id=team_id, name=name) is not None


def list_deals(*, session: Session, team_id: str, owner_id: str | None = None) -> list[Deal]:
    query = select(Deal).where(Deal.team_id == team_id)
    if owner_id is not None:
        query = query.where(Deal.owner_id == owner_id)
    return list(session.exec(query.order_by(col(Deal.updated_at).desc())))


def touch_deal(*, session: Session, deal: Deal, now: datetime) -> None:
    """One UPDATE, now, rather than the ORM's flush before the next query (this runs for every update)."""
    session.execute(_touch(), {"deal_id": deal.id, "now": now})
    set_committed_value(deal, "updated_at", now)


@functools.cache
def _touch() -> Executable:
    table = Deal.__table__  # type: ignore[attr-defined]
    return update(table).where(table.c.id == bindparam("deal_id")).values(updated_at=bindparam("now"))


def set_owner(*, session: Session, deal: Deal, owner_id: str, now: datetime) -> Deal:
    deal.owner_id = owner_id
    deal.updated_at = now
    session.add(deal)
    return deal


def set_stage(*, session: Session, deal: Deal, stage: str, now: datetime) -> Deal:
    deal.stage = stage
    deal.updated_at = now
    session.add(deal)
    return deal


def delete_deal(*, session: Session, deal_id: int) -> None:
    """Delete a deal and everything hanging off it (notes, questions, updates cascade in the database)."""
    session.exec(delete(Deal).where(col(Deal.id) == deal_id))  # type: ignore[call-overload]


def add_stakeholders(
    *, session: Session, team_id: str, deal_id: int, names: tuple[str, ...] | list[str], now: datetime
) -> None:
    for name in names:
        insert_if_absent(
            session,
            Stakeholder,
            dict(team_id=team_id, deal_id=deal_id, name=name, name_key=name_key(name), created_at=now),
            keys=("deal_id", "name_key"),
        )


def stakeholders(*, session: Session, deal_id: int) -> list[Stakeholder]:
    return list(session.scalars(_stakeholders(), {"deal_id": deal_id}))


@functools.cache
def _stakeholders() -> Executable:
    return select(Stakeholder).where(col(Stakeholder.deal_id) == bindparam("deal_id")).order_by(col(Stakeholder.id))
