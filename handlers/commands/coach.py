"""`/coach`: the next question worth asking on this channel's deal, and quiet/on for automatic replies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import coach
from bot.core.services import Services
from bot.slack.cards import plural
from bot.slack.escape import escape
from bot.slack.lenses import label
from bot.slack.timefmt import duration
from bot.work import calls
from bot.work.deal_state import load_state
from bot.work.people import user_tz
from bot.work.weekly import describe_slot, read_slot
from handlers.answered import answered
from handlers.commands.common import Invocation, private
from storage.db import unit_of_work
from storage.deals import deal_for_channel
from storage.digests import set_digest
from storage.settings import ensure_profile, set_quiet

MAX_LEAD = 24 * 60

USAGE = "\n".join(
    [
        "*How to use `/coach`*",
        "`/coach` the most valuable open question on this channel's deal, just for you",
        "`/coach quiet` stop my automatic replies in this channel",
        "`/coach on` resume them",
        "`/coach lead MINUTES` how long before a customer call your prep DM comes (0 to 1440)",
        "`/coach digest on|off` your weekly digest DM, on or off",
        "`/coach digest DAY HH:MM` when it comes, in your time zone (e.g. `mon 08:00`, `Friday 16:30`)",
        "`/coach help` this help",
    ]
)

Handler = Callable[[Services, WebClient, Invocation, Respond], None]


def register(app: App, services: Services) -> None:
    @app.command("/coach")
    @answered
    def on_coach(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        handle(services, client, Invocation.from_command(command), respond)


def handle(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    handler = SUBCOMMANDS.get(inv.sub)
    if handler is None:
        intro = f"I don't know `/coach {escape(inv.sub)}`.\n" if inv.sub != "help" else ""
        private(respond, intro + USAGE)
        return
    handler(services, client, inv, respond)


def next_question(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    with unit_of_work(services.engine) as session:
        deal = deal_for_channel(session=session, team_id=inv.team_id, channel_id=inv.channel_id)
        state = load_state(session=session, deal=deal) if deal is not None else None
    if deal is None or state is None:
        private(respond, "Run `/coach` in a deal's channel. Start one with `/deal new NAME`.")
        return
    gaps = coach.gaps(state)
    if not gaps:
        private(respond, f"*{escape(deal.name)}* has a note for every lens. Ask the buyer what has changed since.")
        return
    first = gaps[0]
    rest = f"\n_{len(gaps) - 1} more open: `/deal show`_" if len(gaps) > 1 else ""
    private(respond, f":dart: {escape(first.text)}\n_{label(first.lens)}_ · answer with `/deal note …`{rest}")


def _quiet(quiet: bool) -> Handler:
    def handler(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
        with unit_of_work(services.engine) as session:
            set_quiet(
                session=session,
                team_id=inv.team_id,
                channel_id=inv.channel_id,
                quiet=quiet,
                user_id=inv.user_id,
                now=services.clock(),
            )
        if quiet:
            private(respond, "I'll stay quiet in this channel. `/coach on` brings me back; `/coach` still works.")
        else:
            private(respond, "I'm back: I'll ask one buyer-focused question on each deal update here.")

    return handler


def lead(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    text = inv.rest.strip().lower().removesuffix("m").removesuffix("min").removesuffix("minutes").strip()
    if not (text.isdecimal() and len(text) <= 4) or not 0 <= int(text) <= MAX_LEAD:
        current = calls.lead_for(services, team_id=inv.team_id, user_id=inv.user_id)
        private(
            respond,
            f"Give the lead in minutes, from 0 to {MAX_LEAD}: `/coach lead 45`. Yours is {duration(current)} now.",
        )
        return
    with unit_of_work(services.engine) as session:
        ensure_profile(session=session, team_id=inv.team_id, user_id=inv.user_id).lead_minutes = int(text)
    moved = calls.reschedule_owner(services, team_id=inv.team_id, owner_id=inv.user_id)
    also = f" {plural(moved, 'upcoming prep DM')} moved to match." if moved else ""
    private(respond, f"Your prep DMs now come {duration(timedelta(minutes=int(text)))} before each call.{also}")


def digest(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    """`/coach digest [on|off|DAY HH:MM]`: the weekly digest's settings, changed only on valid input."""
    words = inv.rest.lower().split()
    enabled: bool | None = None
    slot: tuple[int, int] | None = None
    if words in (["on"], ["off"]):
        enabled = words == ["on"]
    elif words:
        read = read_slot(inv.rest)
        if isinstance(read, str):
            private(respond, read)
            return
        slot, enabled = read, True
    tz = user_tz(services, client, team_id=inv.team_id, user_id=inv.user_id)
    with unit_of_work(services.engine) as session:
        profile = set_digest(
            session=session,
            team_id=inv.team_id,
            user_id=inv.user_id,
            enabled=enabled,
            weekday=slot[0] if slot else None,
            minute=slot[1] if slot else None,
        )
        on, weekday, minute = profile.digest_enabled, profile.digest_weekday, profile.digest_minute
    when = f"{describe_slot(weekday, minute)}, your time ({tz})"
    if not on:
        text = f"Your weekly digest is off. `/coach digest on` brings it back ({when})."
    elif words:
        text = f"Your weekly digest comes {when}."
    else:
        text = f"Your weekly digest comes {when}. `/coach digest DAY HH:MM` moves it; `/coach digest off` stops it."
    private(respond, text)


SUBCOMMANDS: dict[str, Handler] = {
    "": next_question,
    "quiet": _quiet(True),
    "off": _quiet(True),
    "on": _quiet(False),
    "lead": lead,
    "digest": digest,
}
