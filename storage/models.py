"""The tables. Every row carries the Slack workspace (team) id; deal-owned rows cascade with their deal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _deal_fk() -> Column:  # type: ignore[type-arg]
    return Column(Integer, ForeignKey("deal.id", ondelete="CASCADE"), nullable=False, index=True)


class Deal(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", name="uq_deal_channel"),
        UniqueConstraint("team_id", "name_key", name="uq_deal_name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    channel_id: str = Field(max_length=32)
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80)
    owner_id: str = Field(max_length=32, index=True)
    is_private: bool = False
    stage: str = Field(default="open", max_length=8)  # open | won | lost
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Stakeholder(SQLModel, table=True):
    """A buyer-side person named in the deal's channel: one row per person, with their role and their
    personal driver once someone states it. A role named alone ("their CFO") has the role as its name
    until a name is learned."""

    __table_args__ = (UniqueConstraint("deal_id", "name_key", name="uq_stakeholder_name"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    deal_id: int = Field(sa_column=_deal_fk())
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80)
    role: str | None = Field(default=None, max_length=80)
    driver: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class BuyerFact(SQLModel, table=True):
    """Something the deal was told about the buyer: a pain, a goal, a cost, one of their dates, a competitor
    or a personal driver, as the seller wrote it, from an update, a thread answer, a note or a modal; linked
    to the person it is about when one is named. Unique per deal and `fact_key`, so repeating it keeps one."""

    __table_args__ = (UniqueConstraint("deal_id", "fact_key", name="uq_buyerfact_key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    deal_id: int = Field(sa_column=_deal_fk())
    stakeholder_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("stakeholder.id", ondelete="SET NULL"), nullable=True),
    )
    kind: str = Field(max_length=12)  # driver | pain | goal | cost | deadline | competitor
    text: str = Field(max_length=300)
    fact_key: str = Field(max_length=200)
    source: str = Field(max_length=12)  # update | thread | command | modal
    source_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)


class Note(SQLModel, table=True):
    """Deal context, tagged with the lens it answers. `source_ts` makes thread answers idempotent."""

    __table_args__ = (UniqueConstraint("deal_id", "source_ts", name="uq_note_source"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    deal_id: int = Field(sa_column=_deal_fk())
    author_id: str = Field(max_length=32)
    lens: str = Field(max_length=24)
    stakeholder: str | None = Field(default=None, max_length=80)
    text: str = Field(sa_type=Text)
    source: str = Field(max_length=12)  # command | thread | modal
    source_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)


class AskedQuestion(SQLModel, table=True):
    """A coaching question we asked in a message's thread. Claimed before posting: the exactly-once record."""

    __table_args__ = (UniqueConstraint("team_id", "channel_id", "message_ts", name="uq_question_message"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    deal_id: int = Field(sa_column=_deal_fk())
    channel_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    reply_ts: str | None = Field(default=None, max_length=32)
    asked_user_id: str = Field(max_length=32)
    lens: str = Field(max_length=24)
    stakeholder: str | None = Field(default=None, max_length=80)
    text: str = Field(sa_type=Text)
    meeting_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class DealUpdate(SQLModel, table=True):
    """A seller message the engine read: its signals (no text is kept). Feeds the buyer-focus figure."""

    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "message_ts", name="uq_update_message"),
        Index("ix_update_user_time", "team_id", "user_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    deal_id: int = Field(sa_column=_deal_fk())
    channel_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    signals: str = Field(max_length=200)  # space-separated, sorted
    reply: str = Field(max_length=8)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ChannelSetting(SQLModel, table=True):
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    quiet: bool = False
    updated_by: str = Field(max_length=32)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class UserProfile(SQLModel, table=True):
    """Per-user preferences and the cached Slack time zone."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    tz: str | None = Field(default=None, max_length=64)
    tz_checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lead_minutes: int | None = None
    digest_enabled: bool = True
    digest_weekday: int = 0  # Monday
    digest_minute: int = 8 * 60  # 08:00 local


class Call(SQLModel, table=True):
    """A booked customer call. `slot` is "booked" while live and unique per deal and start time, so the same
    call cannot be booked twice; a cancelled call frees its slot."""

    __table_args__ = (
        UniqueConstraint("deal_id", "starts_at", "slot", name="uq_call_slot"),
        Index("ix_call_team_start", "team_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    deal_id: int = Field(sa_column=_deal_fk())
    starts_at: datetime = Field(sa_type=UTCDateTime)
    tz: str = Field(max_length=64)  # the booker's zone, for showing the time back
    topic: str | None = Field(default=None, max_length=200)
    booked_by: str = Field(max_length=32)
    slot: str = Field(default="booked", max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Nudge(SQLModel, table=True):
    """The pre-call DM for one call, and where it stands: scheduled, sending, sent, missed or cancelled.

    A nudge moves to "sending" before the DM goes out and to "sent" after, so a crash in between is
    recognised on restart (and checked against the DM channel) instead of sending twice.
    """

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    call_id: int = Field(
        sa_column=Column(Integer, ForeignKey("call.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    state: str = Field(default="scheduled", max_length=12, index=True)
    recipient_id: str | None = Field(default=None, max_length=32)
    dm_channel: str | None = Field(default=None, max_length=32)
    dm_ts: str | None = Field(default=None, max_length=32)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class SchedulerLease(SQLModel, table=True):
    """Which process runs the scheduler. Held for a short term and renewed; another process takes over only
    once it lapses, so two `wiift run` processes on one database never both send nudges."""

    name: str = Field(primary_key=True, max_length=32)
    holder: str = Field(max_length=64)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class DigestRecord(SQLModel, table=True):
    """One user's weekly digest for one week ("2026-W47", the ISO week in the user's zone).

    Claimed before the DM is sent, then "sent" (with the DM's ts), "empty" (nothing to say) or "failed"
    (Slack refused for good, e.g. a deactivated user). The unique key makes the digest once a week; a claim
    left by a crash is finished by a later run after checking the DM for a digest that did go out.
    """

    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "week", name="uq_digest_week"),
        Index("ix_digest_week", "week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    week: str = Field(max_length=8)
    state: str = Field(default="claimed", max_length=8)  # claimed | sent | empty | failed
    dm_channel: str | None = Field(default=None, max_length=32)
    dm_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Feedback(SQLModel, table=True):
    """A "Not helpful" mark on one coaching question, once per user; it goes with the question's deal."""

    __table_args__ = (
        UniqueConstraint("question_id", "user_id", name="uq_feedback_question_user"),
        Index("ix_feedback_user_time", "team_id", "user_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    question_id: int = Field(
        sa_column=Column(Integer, ForeignKey("askedquestion.id", ondelete="CASCADE"), nullable=False)
    )
    lens: str = Field(max_length=24)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Job(SQLModel, table=True):
    """A unit of slow work, stored before Slack is answered and claimed by any instance's workers.

    `key` names the work (`update:{team}:{channel}:{ts}`, `nudge:{id}`, `digest:{team}:{user}:{week}`), so a
    redelivered event or a second leader enqueues nothing new. A claimed job holds a lease (`lease_until`, on
    the database's clock); a worker that dies leaves it to be claimed again once the lease lapses. Payloads
    carry message text only while the job is pending: it is cleared when the job ends.
    """

    __table_args__ = (
        UniqueConstraint("key", name="uq_job_key"),
        Index("ix_job_due", "state", "run_at"),
        Index("ix_job_turn", "state", "turn_at"),
        Index("ix_job_team", "team_id", "state", "turn_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160)
    kind: str = Field(max_length=16)
    team_id: str = Field(max_length=32)
    payload: str = Field(default="{}", sa_type=Text)
    state: str = Field(default="ready", max_length=12)  # ready | running | done | failed | cancelled
    attempts: int = 0
    run_at: datetime = Field(sa_type=UTCDateTime)
    turn_at: datetime = Field(sa_type=UTCDateTime)  # its place in line: fair across workspaces (storage.jobs)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    locked_by: str | None = Field(default=None, max_length=64)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
