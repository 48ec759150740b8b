"""Every table in wiift's database, in one MetaData: wiift's own models and slack_sdk's OAuth stores.

Alembic compares and migrates against it, so one migration history owns the whole schema.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from storage import (
    models,  # noqa: F401  (registers the tables on SQLModel.metadata)
    slack_stores,
)


def _everything() -> MetaData:
    merged = MetaData()
    for source in (SQLModel.metadata, slack_stores.METADATA):
        for table in source.tables.values():
            table.to_metadata(merged)
    return merged


METADATA = _everything()
