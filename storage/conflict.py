"""Insert-if-absent that is atomic on both SQLite and PostgreSQL (no savepoints, no race)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, SQLModel

from storage.storable import check_row


def insert_if_absent(
    session: Session, model: type[SQLModel], values: dict[str, Any], *, keys: Sequence[str] | None
) -> bool:
    """Insert a row unless it would clash with a unique constraint: on `keys`, or on any when `keys` is None.

    Returns whether this call inserted it.
    """
    dialect = session.get_bind().dialect.name
    table = model.__table__  # type: ignore[attr-defined]
    check_row(table, values)
    statement = _statement(table, dialect, tuple(keys) if keys is not None else None)
    # RETURNING, not rowcount: drivers disagree on rowcount for a skipped insert (psycopg reports -1).
    return session.execute(statement, values).first() is not None


@functools.cache
def _statement(table: Table, dialect: str, keys: tuple[str, ...] | None) -> Executable:
    """Built once per table and conflict target; the values come as parameters (the columns given)."""
    if dialect == "sqlite":
        insert = sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
    elif dialect == "postgresql":
        insert = postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
    else:  # pragma: no cover - the two supported databases are above
        raise NotImplementedError(f"unsupported database: {dialect}")
    return insert.returning(next(iter(table.primary_key.columns)))
