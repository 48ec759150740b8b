"""Insert-if-absent that is atomic on both SQLite and PostgreSQL (no savepoints, no race)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

from storage.storable import check_row


def insert_if_absent(
    session: Session, model: type[SQLModel], values: dict[str, Any], *, keys: Sequence[str] | None
) -> bool:
    """Insert a row unless it would clash with a unique constraint: on `keys`, or on any when `keys` is None.

    Returns whether this call inserted it.
    """
    dialect = session.get_bind().dialect.name
    targets = list(keys) if keys is not None else None
    table = model.__table__  # type: ignore[attr-defined]
    check_row(table, values)
    if dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=targets)
    elif dialect == "postgresql":
        stmt = postgresql.insert(table).values(**values).on_conflict_do_nothing(index_elements=targets)
    else:  # pragma: no cover - the two supported databases are above
        raise NotImplementedError(f"unsupported database: {dialect}")
    # RETURNING, not rowcount: drivers disagree on rowcount for a skipped insert (psycopg reports -1).
    first_key = next(iter(table.primary_key.columns))
    return session.execute(stmt.returning(first_key)).first() is not None
