"""What the domain puts on the durable job table: the kinds of work, their keys, and their payloads.

Every unit of slow work is stored under a key that names it, before Slack is answered (for an event) or in
the same transaction as the row it serves (a call's nudge), so a redelivered event, a second process or a
restart finds the key and adds nothing. Workers in any instance pick the jobs up (bot.jobs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.services import Services
from storage import jobs as store

UPDATE = "update"  # a top-level deal update: read it, ask or nod
ANSWER = "answer"  # a reply in a thread: keep it as a note if it answers our question
NUDGE = "nudge"  # a pre-call DM
DIGEST = "digest"  # one person's weekly digest
HOME = "home"  # publish a person's Home tab


@dataclass(frozen=True, slots=True)
class DealMessage:
    """A person's message in a channel: as much of the event as coaching needs."""

    team_id: str
    channel_id: str
    user_id: str
    ts: str
    text: str
    thread_ts: str | None = None
    bot_user_id: str | None = None
    shared: bool = False  # Slack marked the channel as shared with another organisation
    poster_team: str | None = None  # the workspace Slack says the poster belongs to

    @property
    def is_answer(self) -> bool:
        return bool(self.thread_ts) and self.thread_ts != self.ts

    @property
    def kind(self) -> str:
        return ANSWER if self.is_answer else UPDATE

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.team_id}:{self.channel_id}:{self.ts}"

    def payload(self) -> dict[str, Any]:
        """What the job stores (`dataclasses.asdict` would deep-copy each field: this is on the ack path)."""
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> DealMessage:
        return cls(**{name: payload.get(name) for name in cls.__slots__})  # type: ignore[arg-type]


def keep_message(services: Services, message: DealMessage) -> bool:
    """Store a message's job (before Slack gets its 2xx). True when it is new."""
    now = services.clock()
    stored = store.store_now(  # one insert, on the request thread
        services.engine,
        key=message.key,
        kind=message.kind,
        team_id=message.team_id,
        payload=message.payload(),
        run_at=now,
        now=now,
    )
    if stored:
        services.wake()
    return stored


def nudge_key(nudge_id: int) -> str:
    return f"{NUDGE}:{nudge_id}"


def arm_nudge(*, session: Session, team_id: str, nudge_id: int, run_at: datetime, now: datetime) -> None:
    """(Re)arm a nudge's job, in the same transaction as the nudge row it serves."""
    store.arm(
        session=session,
        key=nudge_key(nudge_id),
        kind=NUDGE,
        team_id=team_id,
        payload={"nudge_id": nudge_id},
        run_at=run_at,
        now=now,
    )


def cancel_nudge(*, session: Session, nudge_id: int, now: datetime) -> None:
    store.cancel(session=session, key=nudge_key(nudge_id), now=now)


def digest_key(team_id: str, user_id: str, week: str) -> str:
    return f"{DIGEST}:{team_id}:{user_id}:{week}"


def enqueue_digest(*, session: Session, team_id: str, user_id: str, week: str, now: datetime) -> bool:
    return store.enqueue(
        session=session,
        key=digest_key(team_id, user_id, week),
        kind=DIGEST,
        team_id=team_id,
        payload={"team_id": team_id, "user_id": user_id, "week": week},
        run_at=now,
        now=now,
    )


def keep_home_opened(services: Services, *, team_id: str, user_id: str, event_ts: str) -> None:
    """Publish a person's Home tab off the request thread (one job per opening)."""
    now = services.clock()
    stored = store.store_now(
        services.engine,
        key=f"{HOME}:{team_id}:{user_id}:{event_ts}",
        kind=HOME,
        team_id=team_id,
        payload={"team_id": team_id, "user_id": user_id},
        run_at=now,
        now=now,
    )
    if stored:
        services.wake()
