"""Delivering pre-call nudges exactly once.

A nudge row moves scheduled -> sending -> sent (or missed / cancelled). Only one caller can move it out
of "scheduled"; the DM carries a block id naming the nudge, so a nudge found in "sending" after a crash is
checked against the DM channel before anything is sent again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient

from bot.core.services import Services
from bot.slack.nudge_card import nudge_block_id, nudge_message
from bot.slack.post import find_marked_message, post_message
from bot.work.deal_state import load_state
from bot.work.insiders import is_insider
from bot.work.people import user_tz
from bot.work.queue import arm_nudge, nudge_key
from storage import calls as store
from storage.db import unit_of_work
from storage.deals import deal_by_id
from storage.models import Call, Nudge
from storage.notes import notes_for_deal

log = logging.getLogger(__name__)


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


def sweep_nudges(services: Services, *, now: datetime) -> int:
    """Every scheduled nudge has its job; one a crash left "sending" is tried again (after checking its DM).

    Run by the scheduler's leader at take-over and every half minute. Returns how many jobs it (re)armed."""
    armed = 0
    with unit_of_work(services.engine) as session:
        for nudge_id, team_id, due in store.unarmed_nudges(session=session, key_prefix=nudge_key(0)[:-1]):
            arm_nudge(session=session, team_id=team_id, nudge_id=nudge_id, run_at=min(due, now), now=now)
            armed += 1
    if armed:
        log.info("nudge sweep: %s nudge job(s) armed", armed)
    return armed
