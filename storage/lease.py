"""A named lease in the database: at most one live holder at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col

from storage.conflict import insert_if_absent
from storage.models import SchedulerLease


def acquire(*, session: Session, name: str, holder: str, now: datetime, term: timedelta) -> bool:
    """Take or renew the lease. True when `holder` holds it until now + term."""
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
        .values(expires_at=datetime(1970, 1, 1, tzinfo=UTC))
    )
