"""`/deal call`, `/deal calls`, `/deal cancel`, `/deal move`: customer calls and their pre-call nudges."""

from __future__ import annotations

import re

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.core.services import Services
from bot.slack.escape import escape
from bot.slack.timefmt import local
from bot.work import calls
from bot.work.access import can_see
from bot.work.people import user_tz
from handlers.actions.values import id_from
from handlers.commands.common import Invocation, private
from storage import calls as store
from storage.db import unit_of_work
from storage.deals import deal_by_id, deal_by_name, deal_for_channel
from storage.models import Call, Deal

_TOPIC = re.compile(r"\s+(?:—|–|--|-)\s+|\s*[—–]\s*")
CALL_USAGE = "Book a call with `/deal call WHEN [— topic]`, e.g. `/deal call Thu 10:30 — pricing review`."


def _split_topic(text: str) -> tuple[str, str | None]:
    parts = _TOPIC.split(text, maxsplit=1)
    when = parts[0].strip()
    topic = " ".join(parts[1].split()) if len(parts) > 1 and parts[1].strip() else None
    return when, topic


def _named_deal(services: Services, client: WebClient, inv: Invocation, words: list[str]) -> tuple[Deal | None, int]:
    """The deal named by the longest run of leading words that matches a deal the caller can see."""
    with unit_of_work(services.engine) as session:
        for size in range(len(words) - 1, 0, -1):
            deal = deal_by_name(session=session, team_id=inv.team_id, name=" ".join(words[:size]))
            if deal is not None:
                break
        else:
            return None, 0
    if not can_see(services.lookup, client, deal=deal, user_id=inv.user_id, from_channel=inv.channel_id):
        return None, 0
    return deal, size


def call(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    text, topic = _split_topic(inv.rest)
    if not text:
        private(respond, CALL_USAGE)
        return
    with unit_of_work(services.engine) as session:
        deal = deal_for_channel(session=session, team_id=inv.team_id, channel_id=inv.channel_id)
    when_text = text
    if deal is None:
        deal, used = _named_deal(services, client, inv, text.split())
        if deal is None:
            private(
                respond,
                "No deal here or by that name. In a deal's channel: `/deal call WHEN`; elsewhere: "
                "`/deal call NAME WHEN`.",
            )
            return
        when_text = " ".join(text.split()[used:])
    booking = calls.book_call(
        services,
        client,
        team_id=inv.team_id,
        deal=deal,
        user_id=inv.user_id,
        when_text=when_text,
        topic=topic,
    )
    private(respond, booking.message)


def list_calls(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    tz = user_tz(services, client, team_id=inv.team_id, user_id=inv.user_id)
    now = services.clock()
    with unit_of_work(services.engine) as session:
        deal = deal_for_channel(session=session, team_id=inv.team_id, channel_id=inv.channel_id)
        if deal is not None:
            rows = store.upcoming_calls(session=session, team_id=inv.team_id, now=now, deal_id=deal.id)
        else:
            rows = store.upcoming_calls(session=session, team_id=inv.team_id, now=now, owner_id=inv.user_id)
    if not rows:
        where = f"*{escape(deal.name)}*" if deal else "your deals"
        private(respond, f"No upcoming calls for {where}. {CALL_USAGE}")
        return
    lines = []
    for booked, on_deal, nudge in rows[:40]:
        about = f" — {escape(booked.topic)}" if booked.topic else ""
        prep = {"scheduled": "prep DM scheduled", "sent": "prep DM sent"}.get(nudge.state if nudge else "", "")
        lines.append(f"• `#{booked.id}` *{escape(on_deal.name)}* · {local(booked.starts_at, tz)}{about} · {prep}")
    private(respond, "*Upcoming calls*\n" + "\n".join(lines) + "\n_`/deal cancel ID` or `/deal move ID WHEN`_")


def _call_from(
    services: Services, client: WebClient, inv: Invocation, word: str, respond: Respond
) -> tuple[Call, Deal] | tuple[None, None]:
    call_id = word.lstrip("#")
    if not call_id.isdecimal():
        private(respond, "Give the call's number from `/deal calls`, e.g. `/deal cancel 12`.")
        return None, None
    number = id_from(call_id)
    if number is None:  # no call can have it: too big for an id, or zero
        private(respond, f"There is no call #{escape(call_id[:24])}: call numbers are the ones `/deal calls` lists.")
        return None, None
    with unit_of_work(services.engine) as session:
        booked = store.call_by_id(session=session, team_id=inv.team_id, call_id=number)
        deal = deal_by_id(session=session, team_id=inv.team_id, deal_id=booked.deal_id) if booked else None
    if (
        booked is None
        or deal is None
        or booked.slot != store.BOOKED
        or not can_see(services.lookup, client, deal=deal, user_id=inv.user_id, from_channel=inv.channel_id)
    ):
        private(respond, f"No booked call #{escape(call_id)}. `/deal calls` lists them.")
        return None, None
    return booked, deal


def cancel(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    booked, deal = _call_from(services, client, inv, inv.rest.split()[0] if inv.rest else "", respond)
    if booked is None:
        return
    calls.cancel(services, call=booked)
    tz = user_tz(services, client, team_id=inv.team_id, user_id=inv.user_id)
    private(
        respond,
        f"Cancelled call #{booked.id} with *{escape(deal.name)}* ({local(booked.starts_at, tz)}) and its prep DM.",
    )


def move(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    word, _, when_text = inv.rest.partition(" ")
    if not when_text.strip():
        private(respond, "Say where it moves to: `/deal move ID WHEN`, e.g. `/deal move 12 Friday 2pm`.")
        return
    booked, deal = _call_from(services, client, inv, word, respond)
    if booked is None:
        return
    when, tz = calls.read_when(services, client, team_id=inv.team_id, user_id=inv.user_id, when_text=when_text)
    problem = calls.when_problem(services, when, when_text, tz)
    if problem or when is None:
        private(respond, problem or "")
        return
    private(respond, calls.move(services, deal=deal, call=booked, starts_at=when, tz=tz).message)
