"""deal memory: a stakeholder's role and driver, and the facts the buyer side told us

Existing data is kept: every stakeholder gets its latest personal-driver note as its driver.
Touches only `stakeholder` and the new `buyerfact`, so it applies on top of 0001's tables and main's
0002 (the job table) alike.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
        batch_op.add_column(sa.Column("driver", sa.Text(), nullable=True))

    op.create_table(
        "buyerfact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("fact_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("source_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholder.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deal_id", "fact_key", name="uq_buyerfact_key"),
    )
    with op.batch_alter_table("buyerfact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buyerfact_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_buyerfact_deal_id"), ["deal_id"], unique=False)

    # Drivers noted before this migration: each stakeholder's latest personal-driver note.
    op.execute(
        """
        UPDATE stakeholder SET driver = (
            SELECT note.text FROM note
            WHERE note.deal_id = stakeholder.deal_id
              AND note.lens = 'personal_driver'
              AND lower(trim(note.stakeholder)) = stakeholder.name_key
            ORDER BY note.created_at DESC, note.id DESC
            LIMIT 1
        )
        WHERE driver IS NULL
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("buyerfact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buyerfact_deal_id"))
        batch_op.drop_index(batch_op.f("ix_buyerfact_created_at"))
    op.drop_table("buyerfact")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_column("driver")
        batch_op.drop_column("role")
