"""Deals and their stakeholders."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete, select

from storage.conflict import insert_if_absent
from storage.models import Deal, Stakeholder


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
    return session.exec(select(Deal).where(Deal.team_id == team_id, Deal.channel_id == channel_id)).first()


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
    deal.updated_at = now
    session.add(deal)


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
    return list(session.exec(select(Stakeholder).where(Stakeholder.deal_id == deal_id).order_by(col(Stakeholder.id))))
