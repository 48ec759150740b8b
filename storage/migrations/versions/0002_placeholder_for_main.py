"""placeholder for main's 0002 (the job table)

This branch was cut before main's migration 0002 landed. This empty revision only keeps the chain whole
here, so that 0003 (which revises "0002") applies; drop this file at merge in favour of main's 0002.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
