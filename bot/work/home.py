"""The App Home tab: a person's own deals at a glance (stage, last update, open gaps, next call) with the
week's buyer-focus figure, and buttons to open a deal card, add a note or book a call.

Only deals the person owns are shown. A Home tab holds 100 blocks, so deals come a page at a time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.services import Services
from bot.slack.cards import Block, button, context, header, plural, section
from bot.slack.escape import escape
from bot.slack.timefmt import local
from bot.work.deal_facts import DealFacts, PersonWeek, load_weeks
from bot.work.people import user_tz
from bot.work.weekly import describe_slot, focus_line
from storage.db import unit_of_work
from storage.settings import user_profile

log = logging.getLogger(__name__)

PAGE_SIZE = 20  # 3 blocks a deal: 60, plus the header, figure and pager
MAX_BLOCKS = 100
CALLS_AHEAD = timedelta(days=366)

START_HERE = (
    "*Start with one deal.* Add me to the deal's channel and post updates there: a channel named "
    "`deal-…` becomes a deal on its first update, or run `/deal new NAME` in any channel. I'll ask one "
    "buyer-focused question at a time and keep your answers as notes.\n"
    "• `/deal note TEXT` keeps something you learned\n"
    "• `/deal call WHEN` books a customer call, with a prep DM before it\n"
    "• `/coach` asks the most valuable open question on a deal"
)


def home_view(person: PersonWeek, *, tz: str, now: datetime, page: int, digest: str) -> dict[str, Any]:
    deals = person.deals
    blocks: list[Block] = [header("Your deals" if deals else "Welcome to wiift")]
    if not deals:
        blocks += [section(START_HERE), context(digest)]
        return {"type": "home", "blocks": blocks}
    pages = (len(deals) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = deals[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    blocks += [section(focus_line(person.focus, person.last_focus)), context(digest), {"type": "divider"}]
    for facts in shown:
        blocks += _deal_blocks(facts, tz=tz, now=now)
    if pages > 1:
        first = page * PAGE_SIZE + 1
        blocks.append(
            context(f"Deals {first}–{first + len(shown) - 1} of {len(deals)}: open first, most recently active first")
        )
        pager = []
        if page > 0:
            pager.append(button("← Previous", "home_page_prev", str(page - 1)))
        if page < pages - 1:
            pager.append(button("Next →", "home_page_next", str(page + 1)))
        blocks.append({"type": "actions", "block_id": "home-pager", "elements": pager})
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def _deal_blocks(facts: DealFacts, *, tz: str, now: datetime) -> list[Block]:
    deal = facts.deal
    stage = {"open": "open", "won": "won :tada:", "lost": "lost"}.get(deal.stage, deal.stage)
    lines = [
        f"*{escape(deal.name)}* · {stage} · <#{deal.channel_id}>",
        f"Last update {_ago(deal.updated_at, now=now, tz=tz)}"
        + (f" · {plural(facts.updates, 'update')} this week" if facts.updates else ""),
    ]
    if facts.gaps:
        lines.append(f"{plural(len(facts.gaps), 'open question')}, first: _{escape(facts.gaps[0].text)}_")
    elif deal.stage == "open":
        lines.append("Every lens has a note. Ask the buyer what has changed since.")
    if facts.next_call is not None:
        lines.append(f"Next call: {local(facts.next_call, tz)}")
    value = str(deal.id)
    buttons = [button("Deal card", "home_open_deal", value), button("Add a note", "home_add_note", value)]
    if deal.stage == "open":
        buttons.append(button("Book a call", "home_book_call", value))
    return [
        section("\n".join(lines)),
        {"type": "actions", "block_id": f"home-deal-{value}", "elements": buttons},
        {"type": "divider"},
    ]


def _ago(moment: datetime, *, now: datetime, tz: str) -> str:
    zone = ZoneInfo(tz)
    days = (now.astimezone(zone).date() - moment.astimezone(zone).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    at = moment.astimezone(zone)
    return f"on {at.day} {at:%b}" + (f" {at.year}" if at.year != now.astimezone(zone).year else "")


def build_home(services: Services, client: WebClient, *, team_id: str, user_id: str, page: int = 0) -> dict[str, Any]:
    tz = user_tz(services, client, team_id=team_id, user_id=user_id)
    now = services.clock()
    with unit_of_work(services.engine) as session:
        person = load_weeks(
            session=session,
            team_id=team_id,
            user_ids=[user_id],
            now=now,
            ahead=CALLS_AHEAD,
            every_owned=True,
            posted_in=False,
        )[user_id]
        profile = user_profile(session=session, team_id=team_id, user_id=user_id)
    if profile is not None and not profile.digest_enabled:
        digest = "Weekly digest: off. `/coach digest on` turns it back on."
    else:
        weekday, minute = (profile.digest_weekday, profile.digest_minute) if profile else (0, 8 * 60)
        digest = f"Weekly digest DM: {describe_slot(weekday, minute)}, your time. `/coach digest DAY HH:MM` moves it."
    return home_view(person, tz=tz, now=now, page=page, digest=digest)


def publish_home(services: Services, client: WebClient, *, team_id: str, user_id: str, page: int = 0) -> bool:
    view = build_home(services, client, team_id=team_id, user_id=user_id, page=page)
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        log.warning("views.publish failed: %s", (exc.response.data or {}).get("error"))
        return False
    return True
