"""Weekly digest records (the exactly-once ledger), who may be owed a digest, and digest settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, union, update
from sqlmodel import Session, col, select

from storage.conflict import insert_if_absent
from storage.models import Deal, DealUpdate, DigestRecord, UserProfile
from storage.settings import ensure_profile

CLAIMED, SENT, EMPTY, FAILED = "claimed", "sent", "empty", "failed"
DONE = frozenset({SENT, EMPTY, FAILED})


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone who may be owed a digest, with their settings (defaults when they have no profile)."""

    team_id: str
    user_id: str
    tz: str | None
    tz_known: bool
    enabled: bool
    weekday: int
    minute: int


def digest_candidates(*, session: Session, since: datetime) -> list[Candidate]:
    """Owners of open deals (or of deals touched since `since`) and everyone who posted a deal update since
    `since`, across workspaces, with their digest settings."""
    owners = select(col(Deal.team_id), col(Deal.owner_id).label("user_id")).where(
        or_(col(Deal.stage) == "open", col(Deal.updated_at) >= since)
    )
    posters = select(col(DealUpdate.team_id), col(DealUpdate.user_id)).where(col(DealUpdate.created_at) >= since)
    people = union(owners, posters).subquery()
    rows = session.execute(
        select(
            people.c.team_id,
            people.c.user_id,
            col(UserProfile.tz),
            col(UserProfile.tz_checked_at),
            col(UserProfile.digest_enabled),
            col(UserProfile.digest_weekday),
            col(UserProfile.digest_minute),
        )
        .select_from(people)
        .outerjoin(
            UserProfile,
            and_(
                col(UserProfile.team_id) == people.c.team_id,
                col(UserProfile.user_id) == people.c.user_id,
            ),
        )
        .order_by(people.c.team_id, people.c.user_id)
    )
    return [_candidate(*row) for row in rows]


def candidate(*, session: Session, team_id: str, user_id: str) -> Candidate:
    """One person's settings as a candidate, whether or not they own anything."""
    profile = session.get(UserProfile, (team_id, user_id))
    if profile is None:
        return _candidate(team_id, user_id, None, None, None, None, None)
    return _candidate(
        team_id,
        user_id,
        profile.tz,
        profile.tz_checked_at,
        profile.digest_enabled,
        profile.digest_weekday,
        profile.digest_minute,
    )


def _candidate(
    team_id: str,
    user_id: str,
    tz: str | None,
    tz_checked_at: datetime | None,
    enabled: bool | None,
    weekday: int | None,
    minute: int | None,
) -> Candidate:
    return Candidate(
        team_id=team_id,
        user_id=user_id,
        tz=tz,
        tz_known=tz_checked_at is not None,
        enabled=True if enabled is None else bool(enabled),
        weekday=0 if weekday is None else int(weekday),
        minute=8 * 60 if minute is None else int(minute),
    )


def records_for_weeks(*, session: Session, weeks: Iterable[str]) -> dict[tuple[str, str, str], tuple[str, datetime]]:
    """(team, user, week) -> (state, updated_at) for every record of these weeks."""
    rows = session.exec(
        select(
            DigestRecord.team_id,
            DigestRecord.user_id,
            DigestRecord.week,
            DigestRecord.state,
            DigestRecord.updated_at,
        ).where(col(DigestRecord.week).in_(sorted(set(weeks))))
    )
    return {(team, user, week): (state, updated) for team, user, week, state, updated in rows}


def digest_record(*, session: Session, team_id: str, user_id: str, week: str) -> DigestRecord | None:
    return session.exec(
        select(DigestRecord).where(
            DigestRecord.team_id == team_id, DigestRecord.user_id == user_id, DigestRecord.week == week
        )
    ).first()


def claim_digest(*, session: Session, team_id: str, user_id: str, week: str, now: datetime) -> bool:
    """Claim this week's digest for a person. False when the week already has a record."""
    return insert_if_absent(
        session,
        DigestRecord,
        dict(team_id=team_id, user_id=user_id, week=week, state=CLAIMED, created_at=now, updated_at=now),
        keys=("team_id", "user_id", "week"),
    )


def reclaim_digest(*, session: Session, record_id: int, stale_before: datetime, now: datetime) -> bool:
    """Take over a claim nobody has touched since `stale_before` (its run crashed or gave up). Only one
    caller wins."""
    result = session.execute(
        update(DigestRecord)
        .where(
            col(DigestRecord.id) == record_id,
            col(DigestRecord.state) == CLAIMED,
            col(DigestRecord.updated_at) < stale_before,
        )
        .values(updated_at=now)
        .returning(col(DigestRecord.id))
    )
    return result.first() is not None


def finish_digest(
    *,
    session: Session,
    record_id: int,
    state: str,
    now: datetime,
    dm_channel: str | None = None,
    dm_ts: str | None = None,
) -> None:
    values: dict[str, object] = {"state": state, "updated_at": now}
    if dm_channel is not None:
        values["dm_channel"] = dm_channel
    if dm_ts is not None:
        values["dm_ts"] = dm_ts
    session.execute(update(DigestRecord).where(col(DigestRecord.id) == record_id).values(**values))


def known_dm_channel(*, session: Session, team_id: str, user_id: str) -> str | None:
    """The DM channel an earlier digest went to: the bot's DM with a person never changes."""
    return session.exec(
        select(DigestRecord.dm_channel)
        .where(
            DigestRecord.team_id == team_id,
            DigestRecord.user_id == user_id,
            col(DigestRecord.dm_channel).is_not(None),
        )
        .order_by(col(DigestRecord.id).desc())
        .limit(1)
    ).first()


def set_digest(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    enabled: bool | None = None,
    weekday: int | None = None,
    minute: int | None = None,
) -> UserProfile:
    """Change a person's digest settings; None leaves a setting as it is."""
    profile = ensure_profile(session=session, team_id=team_id, user_id=user_id)
    if enabled is not None:
        profile.digest_enabled = enabled
    if weekday is not None:
        if not 0 <= weekday <= 6:
            raise ValueError("weekday is 0 (Monday) to 6 (Sunday)")
        profile.digest_weekday = weekday
    if minute is not None:
        if not 0 <= minute < 24 * 60:
            raise ValueError("minute is 0 to 1439 after local midnight")
        profile.digest_minute = minute
    session.add(profile)
    return profile
