"""A named lease in the database: at most one live holder at a time, timed by the database's own clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col

from storage.conflict import insert_if_absent
from storage.db import database_now
from storage.models import SchedulerLease

RELEASED = datetime(1970, 1, 1, tzinfo=UTC)  # a lease given up by a clean stop, not one that lapsed


def acquire(*, session: Session, name: str, holder: str, term: timedelta) -> bool:
    """Take or renew the lease. True when `holder` holds it for `term` from the database's now."""
    now = database_now(session)
    if insert_if_absent(session, SchedulerLease, dict(name=name, holder=holder, expires_at=now + term), keys=("name",)):
        return True
    result = session.execute(
        update(SchedulerLease)
        .where(
            col(SchedulerLease.name) == name,
            or_(col(SchedulerLease.holder) == holder, col(SchedulerLease.expires_at) < now),
        )
        .values(holder=holder, expires_at=now + term)
        .returning(col(SchedulerLease.name))
    )
    return result.first() is not None


def release(*, session: Session, name: str, holder: str) -> None:
    session.execute(
        update(SchedulerLease)
        .where(col(SchedulerLease.name) == name, col(SchedulerLease.holder) == holder)
        .values(expires_at=RELEASED)
    )
