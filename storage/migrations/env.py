"""Alembic environment: wiift's tables, on the connection `storage.db.init_db` hands in."""

from __future__ import annotations

from alembic import context

from storage.db import include_object
from storage.schema import METADATA


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run wiift's migrations through storage.db.init_db, which supplies the connection")
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
