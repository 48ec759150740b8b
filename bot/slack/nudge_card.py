"""The pre-call DM: the call, what is still unknown about what's in it for the buyer, each stakeholder's
driver (or the question to ask them), the latest notes, and a short agenda framed around the buyer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot import coach
from bot.slack.cards import Block, context, header, section
from bot.slack.escape import escape, quote, truncate
from bot.slack.lenses import label
from bot.slack.plural import plural
from bot.slack.timefmt import duration, local
from storage.models import Call, Deal, Note

MAX_GAPS = 5
PEOPLE_PER_SECTION = 8
MAX_PEOPLE = 24
LATEST_NOTES = 3
MAX_BLOCKS = 50


def nudge_block_id(nudge_id: int) -> str:
    """Marks the DM so a restart can tell it was already sent."""
    return f"wiift-nudge-{nudge_id}"


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
    name = escape(deal.name)
    when = local(call.starts_at, tz)
    left = duration(time_left)
    text = f"Prep for your call with {name} at {when}"
    blocks: list[Block] = [
        header(f"Call with {deal.name} in {left}"),
        {
            "type": "section",
            "block_id": nudge_block_id(nudge_id),
            "text": {
                "type": "mrkdwn",
                "text": f"*{when}*" + (f" · {escape(call.topic)}" if call.topic else ""),
            },
        },
    ]
    gaps = [q for q in coach.gaps(state) if q.lens != "personal_driver"][:MAX_GAPS]
    if gaps:
        blocks.append(
            section("*Still unknown about what's in it for them*\n" + "\n".join(f"• {escape(q.text)}" for q in gaps))
        )
    people = list(state.drivers.items())
    shown = people[:MAX_PEOPLE]
    for start in range(0, len(shown), PEOPLE_PER_SECTION):
        lines = []
        for person, driver in shown[start : start + PEOPLE_PER_SECTION]:
            if driver:
                lines.append(f"• *{escape(person)}*: {escape(truncate(driver, 240))}")
            else:
                lines.append(f"• *{escape(person)}*: ask: {escape(coach.stakeholder_question(person, state).text)}")
        title = "*The people and what's in it for each*\n" if start == 0 else ""
        blocks.append(section(title + "\n".join(lines)))
    if len(people) > MAX_PEOPLE:
        more = plural(len(people) - MAX_PEOPLE, "more person", "more people")
        blocks.append(context(f"…and {more} on this deal: `/deal show`"))
    if notes:
        latest = "\n".join(f"{quote(truncate(n.text, 300))}\n_{label(n.lens)}_" for n in notes[:LATEST_NOTES])
        blocks.append(section("*Latest notes*\n" + latest))
    agenda = coach.call_agenda(state, topic=call.topic)
    blocks.append(
        section("*A buyer-centred agenda*\n" + "\n".join(f"{i}. {escape(line)}" for i, line in enumerate(agenda, 1)))
    )
    blocks.append(context(f"Deal *{name}* in <#{deal.channel_id}> · `/deal show` for the full card"))
    return text, blocks[:MAX_BLOCKS]
