"""The pre-call DM, sized for a phone screen: when the call is, the one open question most worth asking,
each person's driver or the one question for them, and three agenda lines. Everything else (the notes, the
other open questions) is one button away, on the deal card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot import coach
from bot.slack.cards import Block, button, context, header, section, who
from bot.slack.escape import escape, truncate
from bot.slack.plural import plural
from bot.slack.timefmt import duration, local
from storage.models import Call, Deal, Note

MAX_PEOPLE = 3
DRIVER_CHARS = 90
OPEN_CARD = "home_open_deal"  # the Home tab's "Deal card" button: the same card, in a modal


def nudge_block_id(nudge_id: int) -> str:
    """Marks the DM so a restart can tell it was already sent."""
    return f"wiift-nudge-{nudge_id}"


def first_question(state: coach.DealState) -> str:
    """The single most valuable open question (a person's own question is on their line instead)."""
    gaps = coach.gaps(state)
    best = next((q for q in gaps if q.lens != "personal_driver"), None)
    if best is not None:
        return best.text
    return "What has changed for them since you last spoke, and does it change what they need from you?"


def nudge_message(
    *,
    nudge_id: int,
    deal: Deal,
    call: Call,
    state: coach.DealState,
    notes: Sequence[Note],
    tz: str,
    time_left: timedelta,
) -> tuple[str, list[Block]]:
    """`notes` are not shown (the card has them); they are part of the signature for callers that pass them."""
    name = escape(deal.name)
    when = local(call.starts_at, tz)
    text = f"Prep for your call with {name} at {when}"
    blocks: list[Block] = [
        header(f"Call with {deal.name} in {duration(time_left)}"),
        {
            "type": "section",
            "block_id": nudge_block_id(nudge_id),
            "text": {
                "type": "mrkdwn",
                "text": f"*{when}*" + (f" · {escape(truncate(call.topic, 80))}" if call.topic else ""),
            },
        },
        section(f":dart: *Ask first:* {escape(first_question(state))}"),
    ]
    people = list(state.drivers.items())
    if people:
        lines = []
        for person, driver in people[:MAX_PEOPLE]:
            if driver:
                lines.append(f"• {who(person, state)}: {escape(truncate(driver, DRIVER_CHARS))}")
            else:
                lines.append(f"• {who(person, state)}: ask _{escape(coach.stakeholder_question(person, state).text)}_")
        more = ""
        if len(people) > MAX_PEOPLE:
            more = f"\n_+{plural(len(people) - MAX_PEOPLE, 'more person', 'more people')} on the card_"
        blocks.append(section("*What's in it for each of them*\n" + "\n".join(lines) + more))
    agenda = coach.call_agenda(state, topic=call.topic)
    blocks.append(section("*Agenda*\n" + "\n".join(f"{i}. {escape(line)}" for i, line in enumerate(agenda, 1))))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"nudge-card-{nudge_id}",
            "elements": [button("Open the deal card", OPEN_CARD, str(deal.id))],
        }
    )
    blocks.append(context(f"Notes and every open question: `/deal show {name}`"))
    return text, blocks
