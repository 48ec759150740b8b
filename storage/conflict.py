"""Insert-if-absent that is atomic on both SQLite and PostgreSQL (no savepoints, no race)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Executable
from sqlmodel import SQLModel

from storage.db import Db, dialect_of
from storage.storable import check_row


def insert_if_absent(session: Db, model: type[SQLModel], values: dict[str, Any], *, keys: Sequence[str] | None) -> bool:
    """Insert a row unless it would clash with a unique constraint: on `keys`, or on any when `keys` is None.

    Returns whether this call inserted it.
    """
    return _insert(session, model, values, keys=keys, whole=False) is not None


def insert_row_if_absent(
    session: Db, model: type[SQLModel], values: dict[str, Any], *, keys: Sequence[str] | None
) -> Mapping[str, Any] | None:
    """`insert_if_absent` that returns the inserted row's columns (with its id), or None."""
    return _insert(session, model, values, keys=keys, whole=True)


def _insert(
    session: Db, model: type[SQLModel], values: dict[str, Any], *, keys: Sequence[str] | None, whole: bool
) -> Mapping[str, Any] | None:
    table = model.__table__  # type: ignore[attr-defined]
    check_row(table, values)
    statement = _statement(table, dialect_of(session), tuple(keys) if keys is not None else None, whole)
    # RETURNING, not rowcount: drivers disagree on rowcount for a skipped insert (psycopg reports -1).
    row = session.execute(statement, values).first()
    return row._mapping if row is not None else None


@functools.cache
def _statement(table: Table, dialect: str, keys: tuple[str, ...] | None, whole: bool) -> Executable:
    """Built once per table and conflict target; the values come as parameters (the columns given)."""
    if dialect == "sqlite":
        insert = sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
    elif dialect == "postgresql":
        insert = postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
    else:  # pragma: no cover - the two supported databases are above
        raise NotImplementedError(f"unsupported database: {dialect}")
    return insert.returning(*table.c) if whole else insert.returning(next(iter(table.primary_key.columns)))
