"""A workspace's data as a whole: forgotten in one unit of work when it uninstalls wiift."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, SQLModel

from storage import models  # noqa: F401  (registers the tables)


def forget_team(*, session: Session, team_id: str) -> dict[str, int]:
    """Delete every row that carries `team_id`, in every table (children before parents). Returns the
    number of rows deleted per table. Every wiift table carries the team, so nothing is left behind."""
    deleted: dict[str, int] = {}
    for table in reversed(SQLModel.metadata.sorted_tables):
        if "team_id" not in table.c:
            continue
        result = session.execute(delete(table).where(table.c.team_id == team_id).returning(*table.primary_key.columns))
        if count := len(result.all()):
            deleted[table.name] = count
    return deleted
