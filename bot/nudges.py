"""Delivering pre-call nudges exactly once.

A nudge row moves scheduled -> sending -> sent (or missed / cancelled). Only one caller can move it out
of "scheduled"; the DM carries a block id naming the nudge, so a nudge found in "sending" after a crash is
checked against the DM channel before anything is sent again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot import runtime
from bot.deal_state import load_state
from bot.insiders import is_insider
from bot.nudge_card import nudge_block_id, nudge_message
from bot.people import user_tz
from bot.services import Services
from bot.slack_out import find_marked_message, post_message
from storage import calls as store
from storage.db import unit_of_work
from storage.deals import deal_by_id
from storage.models import Call, Nudge
from storage.notes import notes_for_deal

if TYPE_CHECKING:
    from bot.scheduler import Jobs

log = logging.getLogger(__name__)


def run_nudge(nudge_id: int) -> None:
    """The scheduled job: APScheduler calls it by reference with the nudge's id."""
    rt = runtime.current()
    deliver_nudge(rt.services, rt.client, nudge_id)


def deliver_nudge(services: Services, client: WebClient, nudge_id: int) -> str:
    """Send one nudge if it is still owed. Returns the nudge's state afterwards."""
    now = services.clock()
    with unit_of_work(services.engine, read_only=True) as session:
        nudge = session.get(Nudge, nudge_id)
        call = session.get(Call, nudge.call_id) if nudge else None
        deal = deal_by_id(session=session, team_id=nudge.team_id, deal_id=call.deal_id) if nudge and call else None
        if nudge is None or call is None or deal is None:
            return "gone"
        if nudge.state not in ("scheduled", "sending"):
            return nudge.state
        notes = notes_for_deal(session=session, deal_id=deal.id or 0)
        state = load_state(session=session, deal=deal, notes=notes)
    recovering = nudge.state == "sending"
    with unit_of_work(services.engine) as session:
        if now >= call.starts_at:
            store.finish_nudge(session=session, nudge_id=nudge_id, state="missed", now=now)
            log.info("nudge missed: nudge=%s (the call has started)", nudge_id)
            return "missed"
        if not recovering and not store.claim_nudge(session=session, nudge_id=nudge_id, now=now):
            return "sending"  # another worker claimed it first

    owner = deal.owner_id
    if services.lookup.person(client, owner) is None:
        return "sending"  # Slack cannot say who the owner is just now: the next attempt asks again
    if not is_insider(services.lookup, client, team_id=deal.team_id, user_id=owner):
        with unit_of_work(services.engine) as session:  # prep notes are internal: never to the buyer's side
            store.finish_nudge(session=session, nudge_id=nudge_id, state="cancelled", now=now)
        log.warning("nudge cancelled: nudge=%s (the deal's owner is outside the organisation)", nudge_id)
        return "cancelled"
    dm, error = services.lookup.dm(client, owner)
    if dm is None:
        log.warning("nudge %s: no DM channel with the owner: %s", nudge_id, error)
        return "sending"  # left in "sending": the next delivery attempt tries again
    ts = None
    if recovering:
        checked, ts = find_marked_message(client, channel=dm, block_id=nudge_block_id(nudge_id))
        if not checked:
            return "sending"  # cannot tell whether the DM went out: better late than twice
    if ts is None:
        tz = user_tz(services, client, team_id=deal.team_id, user_id=owner)
        text, blocks = nudge_message(
            nudge_id=nudge_id,
            deal=deal,
            call=call,
            state=state,
            notes=notes,
            tz=tz,
            time_left=call.starts_at - now,
        )
        ts = post_message(client, channel=dm, text=text, blocks=blocks)
    if ts is None:
        return "sending"
    with unit_of_work(services.engine) as session:
        store.finish_nudge(
            session=session,
            nudge_id=nudge_id,
            state="sent",
            now=services.clock(),
            recipient_id=owner,
            dm_channel=dm,
            dm_ts=ts,
        )
    log.info("nudge sent: nudge=%s deal=%s", nudge_id, deal.id)
    return "sent"


def record_missed(services: Services, nudge_id: int) -> None:
    """APScheduler skipped the job (its grace ran out while wiift was down)."""
    with unit_of_work(services.engine) as session:
        nudge = session.get(Nudge, nudge_id)
        if nudge is not None and nudge.state == "scheduled":
            store.finish_nudge(session=session, nudge_id=nudge_id, state="missed", now=services.clock())
            log.info("nudge missed: nudge=%s (wiift was down past its grace)", nudge_id)


def reconcile(services: Services, client: WebClient, jobs: Jobs) -> None:
    """At take-over: arm every scheduled nudge that has no job, and settle the ones a crash left sending."""
    now = services.clock()
    stored = jobs.job_ids()
    with unit_of_work(services.engine) as session:
        scheduled = store.nudges_in_state(session=session, states=("scheduled",))
        sending = store.nudges_in_state(session=session, states=("sending",))
    for nudge_id, due, starts in scheduled:
        if f"nudge-{nudge_id}" in stored:
            continue
        if now >= starts:
            record_missed(services, nudge_id)
        else:
            jobs.schedule_nudge(nudge_id, run_at=max(due, now), call_starts=starts)
    for nudge_id, _due, _starts in sending:
        deliver_nudge(services, client, nudge_id)


def deliver_due(services: Services, client: WebClient) -> list[str]:
    """Deliver every scheduled nudge that is due by the app's clock (the demo's fast-forward, operators)."""
    now = services.clock()
    with unit_of_work(services.engine) as session:
        due = [n for n, at, _ in store.nudges_in_state(session=session, states=("scheduled", "sending")) if at <= now]
    return [deliver_nudge(services, client, nudge_id) for nudge_id in due]
