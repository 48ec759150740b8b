"""A team's deals, stakeholders, notes and calls as plain rows: every stored column, in id order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from storage.models import Call, Deal, Note, Stakeholder

TABLES: dict[str, type[SQLModel]] = {"deals": Deal, "stakeholders": Stakeholder, "notes": Note, "calls": Call}


def columns(table: str) -> list[str]:
    return [column.name for column in TABLES[table].__table__.columns]  # type: ignore[attr-defined]


def rows(*, session: Session, table: str, team_id: str | None) -> Iterator[dict[str, Any]]:
    """Every row of one table (of one team, or of all), as {column: stored value}."""
    model = TABLES[table]
    query = select(model).order_by(col(model.id))  # type: ignore[attr-defined]
    if team_id is not None:
        query = query.where(col(model.team_id) == team_id)  # type: ignore[attr-defined]
    names = columns(table)
    for row in session.exec(query):
        yield {name: getattr(row, name) for name in names}


def teams_with_deals(*, session: Session) -> list[str]:
    return list(session.exec(select(Deal.team_id).distinct().order_by(col(Deal.team_id))))
