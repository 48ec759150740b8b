"""What both databases accept, checked before a row is written, so SQLite and PostgreSQL agree.

PostgreSQL refuses a NUL byte in text and a string longer than its column; SQLite stores either. Every
insert and update through the ORM, and every `insert_if_absent`, is checked here first and raises
`UnstorableText` instead, whichever database is behind it. The handlers validate what people type with a
message of their own; this is the floor beneath them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.orm import Session as OrmSession

MAX_ID = 2**31 - 1  # ids are INTEGER: PostgreSQL's int4, the narrower of the two


class UnstorableText(ValueError):
    """A value no database of ours would store the same way."""


def check_row(table: Table, values: Mapping[str, Any]) -> None:
    limits = _limits(table)
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise UnstorableText(f"{table.name}.{name} contains a NUL byte")
        length = limits.get(name)
        if length is not None and len(value) > length:
            raise UnstorableText(f"{table.name}.{name} holds {length} characters; got {len(value)}")


@functools.cache
def _limits(table: Table) -> dict[str, int]:
    """Each length-limited column's limit (read once: this runs for every row written)."""
    lengths = {column.key: getattr(column.type, "length", None) for column in table.columns}
    return {name: length for name, length in lengths.items() if length is not None}


def _before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        table = getattr(type(obj), "__table__", None)
        if isinstance(table, Table):
            check_row(table, {column.key: getattr(obj, column.key, None) for column in table.columns})


def install() -> None:
    """Check every ORM flush (idempotent)."""
    if not event.contains(OrmSession, "before_flush", _before_flush):
        event.listen(OrmSession, "before_flush", _before_flush)
