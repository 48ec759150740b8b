"""Booking, listing, cancelling and moving customer calls; each call carries one pre-call nudge."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot import coach
from bot.core.services import Services
from bot.slack.escape import escape
from bot.slack.timefmt import clock_time, duration, local
from bot.work.people import user_tz
from bot.work.queue import arm_nudge, cancel_nudge
from storage import calls as store
from storage.db import unit_of_work
from storage.models import Call, Deal
from storage.settings import user_profile

log = logging.getLogger(__name__)

MAX_TOPIC = 200
MAX_AHEAD = timedelta(days=366)
TOO_FAR = "calls can be booked up to a year ahead."
BEYOND_CALENDAR = datetime.max.replace(tzinfo=UTC)  # what "in 1000000000 hours" reads as
_HUGE_NUMBER = re.compile(r"\d{7,}")
WHEN_EXAMPLES = "`tomorrow 3pm`, `Thu 10:30`, `sat 10am`, `next Tuesday 9am PT`, `in 2 hours` or `2026-12-03 14:00`"
_CLOCK_WORD = re.compile(r"\d|noon|midday|midnight|hour|minute", re.IGNORECASE)  # what every time of day has


@dataclass(frozen=True, slots=True)
class Booking:
    ok: bool
    message: str  # mrkdwn for a person, user text already escaped
    call: Call | None = None


def lead_for(services: Services, *, team_id: str, user_id: str) -> timedelta:
    with unit_of_work(services.engine) as session:
        profile = user_profile(session=session, team_id=team_id, user_id=user_id)
    minutes = profile.lead_minutes if profile and profile.lead_minutes is not None else None
    return timedelta(minutes=services.settings.nudge_lead_minutes if minutes is None else minutes)


def read_when(
    services: Services, client: WebClient, *, team_id: str, user_id: str, when_text: str
) -> tuple[datetime | None, str]:
    """The instant a person meant, read in their Slack time zone, and that zone. A time past the end of
    the calendar ("in 1000000000 hours") comes back as `BEYOND_CALENDAR`."""
    tz = user_tz(services, client, team_id=team_id, user_id=user_id)
    now = services.clock().astimezone(ZoneInfo(tz))
    try:
        return coach.parse_when(when_text, now=now, tz=tz), tz
    except OverflowError:
        return BEYOND_CALENDAR, tz


def when_problem(services: Services, when: datetime | None, when_text: str, tz: str) -> str | None:
    """Why `when` cannot be a call's time, or None. Every instant here can be shown and stored."""
    if when is None and not _CLOCK_WORD.search(when_text):
        return f"I couldn't read a time of day in “{escape(when_text)}”. Add one, e.g. `sat 10am` or `tomorrow 3pm`."
    if when is None:
        if _HUGE_NUMBER.search(when_text):
            return f"“{escape(when_text[:60])}” is further ahead than I can book: {TOO_FAR}"
        return f"I couldn't read a time in “{escape(when_text)}”. Try {WHEN_EXAMPLES}."
    now = services.clock()
    if when is BEYOND_CALENDAR or when - now > MAX_AHEAD:
        return f"“{escape(when_text[:60])}” is too far ahead: {TOO_FAR}"
    if when < now - MAX_AHEAD:
        return f"“{escape(when_text[:60])}” was long ago. Give a time that is still ahead."
    if when <= now:
        return f"{local(when, tz)} has already passed. Give a time that is still ahead."
    return None


def book_call(
    services: Services,
    client: WebClient,
    *,
    team_id: str,
    deal: Deal,
    user_id: str,
    when_text: str,
    topic: str | None,
) -> Booking:
    when, tz = read_when(services, client, team_id=team_id, user_id=user_id, when_text=when_text)
    problem = when_problem(services, when, when_text, tz)
    if problem or when is None:
        return Booking(False, problem or "")
    return book_at(services, team_id=team_id, deal=deal, user_id=user_id, starts_at=when, tz=tz, topic=topic)


def book_at(
    services: Services,
    *,
    team_id: str,
    deal: Deal,
    user_id: str,
    starts_at: datetime,
    tz: str,
    topic: str | None,
) -> Booking:
    now = services.clock()
    if starts_at - now > MAX_AHEAD:
        return Booking(False, f"That is too far ahead: {TOO_FAR}")
    if starts_at <= now:
        return Booking(False, f"{local(starts_at, tz)} has already passed. Give a time that is still ahead.")
    if topic is not None and len(topic) > MAX_TOPIC:
        return Booking(False, f"Call topics hold at most {MAX_TOPIC} characters; that one has {len(topic)}.")
    lead = lead_for(services, team_id=team_id, user_id=deal.owner_id)
    due = max(now, starts_at - lead)
    with unit_of_work(services.engine) as session:
        booked = store.book_call(
            session=session,
            team_id=team_id,
            deal_id=deal.id or 0,
            starts_at=starts_at,
            tz=tz,
            topic=topic or None,
            booked_by=user_id,
            due_at=due,
            now=now,
        )
        if booked is not None:
            arm_nudge(session=session, team_id=team_id, nudge_id=booked[1].id or 0, run_at=due, now=now)
    if booked is None:
        return Booking(False, f"A call with *{escape(deal.name)}* is already booked for {local(starts_at, tz)}.")
    call, _nudge = booked
    services.wake()
    log.info("call booked: deal=%s call=%s", deal.id, call.id)
    return Booking(True, booking_message(deal, call, due=due, now=now, tz=tz), call)


def booking_message(deal: Deal, call: Call, *, due: datetime, now: datetime, tz: str) -> str:
    about = f" — {escape(call.topic)}" if call.topic else ""
    head = f"Booked call #{call.id} with *{escape(deal.name)}*: {local(call.starts_at, tz)}{about}."
    owner = f"<@{deal.owner_id}>"
    if due <= now:
        return head + f" It starts in {duration(call.starts_at - now)}, so {owner}'s prep DM is on its way now."
    return head + f" {owner} gets a prep DM at {clock_time(due, tz)}, {duration(call.starts_at - due)} before."


def cancel(services: Services, *, call: Call) -> None:
    now = services.clock()
    with unit_of_work(services.engine) as session:
        nudge = store.nudge_for_call(session=session, call_id=call.id or 0)
        fresh = store.call_by_id(session=session, team_id=call.team_id, call_id=call.id or 0)
        if fresh is not None:
            store.cancel_call(session=session, call=fresh, now=now)
        if nudge is not None:
            cancel_nudge(session=session, nudge_id=nudge.id or 0, now=now)


def move(services: Services, *, deal: Deal, call: Call, starts_at: datetime, tz: str) -> Booking:
    now = services.clock()
    if starts_at - now > MAX_AHEAD:
        return Booking(False, f"That is too far ahead: {TOO_FAR}")
    if starts_at <= now:
        return Booking(False, f"{local(starts_at, tz)} has already passed. Give a time that is still ahead.")
    due = max(now, starts_at - lead_for(services, team_id=call.team_id, user_id=deal.owner_id))
    with unit_of_work(services.engine) as session:
        fresh = store.call_by_id(session=session, team_id=call.team_id, call_id=call.id or 0)
        if fresh is None or fresh.slot != store.BOOKED:
            return Booking(False, f"Call #{call.id} is no longer booked.")
        if not store.move_call(session=session, call=fresh, starts_at=starts_at, tz=tz, due_at=due, now=now):
            return Booking(False, f"*{escape(deal.name)}* already has a call booked for {local(starts_at, tz)}.")
        nudge = store.nudge_for_call(session=session, call_id=fresh.id or 0)
        if nudge is not None:
            arm_nudge(session=session, team_id=call.team_id, nudge_id=nudge.id or 0, run_at=due, now=now)
    services.wake()
    return Booking(
        True, "Moved " + booking_message(deal, fresh, due=due, now=now, tz=tz).removeprefix("Booked "), fresh
    )


def reschedule_owner(services: Services, *, team_id: str, owner_id: str) -> int:
    """Re-time the owner's scheduled nudges after their lead time changed. Returns how many moved."""
    now = services.clock()
    lead = lead_for(services, team_id=team_id, user_id=owner_id)
    with unit_of_work(services.engine) as session:
        pending = store.scheduled_nudges_for_owner(session=session, team_id=team_id, owner_id=owner_id)
        for nudge, call in pending:
            nudge.due_at, nudge.updated_at = max(now, call.starts_at - lead), now
            session.add(nudge)
            arm_nudge(session=session, team_id=team_id, nudge_id=nudge.id or 0, run_at=nudge.due_at, now=now)
    services.wake()
    return len(pending)
