"""Block Kit for what people see: the coaching reply, the deal card, the deal list, usage help.

Every piece of user text passes through `bot.slack.escape.escape` here; nothing else renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import coach
from bot.coach import DealState, Question
from bot.coach.memory import LABELS as KNOWN_LABELS
from bot.slack.escape import escape, quote, truncate
from bot.slack.lenses import label
from bot.slack.plural import plural
from storage.models import AskedQuestion, Deal, Note

Block = dict[str, Any]
SECTION_LIMIT = 3000
MAX_BLOCKS = 50  # a message holds 50 blocks; a modal or Home tab 100


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, 150), "emoji": True}}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def coaching_block_id(question_id: int) -> str:
    return f"coach-{question_id}"


def coaching_reply(asked: AskedQuestion | Question, *, hint: str | None = None) -> tuple[str, list[Block]]:
    """The question in the seller's thread. A recorded question (with an id) carries its buttons:
    add a note, mark it unhelpful, and, when the update named a call time, a reminder before that call."""
    text = escape(asked.text)
    blocks = [
        section(f":dart: {text}"),
        context(f"_{label(asked.lens)}_ · " + (hint or "answer in this thread to keep it as a deal note")),
    ]
    if isinstance(asked, AskedQuestion) and asked.id is not None:
        value = str(asked.id)
        buttons = [
            button("Add a note", "coach_add_note", value),
            button("Not helpful", "coach_not_helpful", value),
        ]
        if asked.meeting_at is not None:
            buttons.insert(0, button("Remind me before this call", "call_remind", value, style="primary"))
        blocks.append({"type": "actions", "block_id": coaching_block_id(asked.id), "elements": buttons})
    return text, blocks


def private_coaching_reply(
    asked: AskedQuestion | Question, *, channel_id: str, link: str | None
) -> tuple[str, list[Block]]:
    """The question sent to the seller alone, because people outside the organisation read `channel_id`."""
    about = f"<{link}|your update> in <#{channel_id}>" if link else f"your update in <#{channel_id}>"
    hint = (
        f"about {about} · just for you: that channel is shared with people outside your organisation. "
        "*Add a note* keeps your answer."
    )
    return coaching_reply(asked, hint=hint)


def deal_card(
    deal: Deal, *, notes: Sequence[Note], state: DealState, notes_per_lens: int = 3
) -> tuple[str, list[Block]]:
    """Owner, stakeholders with their roles and drivers, what the buyer side told us, notes by lens, and the
    open gaps as questions."""
    drivers, gaps = dict(state.drivers), coach.gaps(state)
    name = escape(deal.name)
    stage = {"open": "open", "won": "won :tada:", "lost": "lost"}.get(deal.stage, deal.stage)
    blocks: list[Block] = [
        header(f"Deal: {deal.name}"),
        context(f"Owner <@{deal.owner_id}> · {stage} · <#{deal.channel_id}> · {plural(len(notes), 'note')}"),
    ]
    if drivers:
        lines = [person_line(person, driver, state) for person, driver in drivers.items()]
        blocks.append(section("*Stakeholders*\n" + "\n".join(lines)))
    told = known_lines(state)
    if told:
        blocks.append(section("*What they told us*\n" + "\n".join(told)))
    by_lens: dict[str, list[Note]] = {}
    for note in notes:
        by_lens.setdefault(note.lens, []).append(note)
    for lens, items in by_lens.items():
        shown = [quote(truncate(note.text, 500)) for note in items[:notes_per_lens]]
        more = f"\n_…and {len(items) - notes_per_lens} more_" if len(items) > notes_per_lens else ""
        blocks.append(section(f"*{label(lens)}*\n" + "\n".join(shown) + more))
    if gaps:
        blocks.append({"type": "divider"})
        blocks.append(section("*Still open*\n" + "\n".join(f"• {escape(q.text)}" for q in gaps)))
    elif not notes:
        blocks.append(section("No notes yet. Answer a coaching question in a thread, or `/deal note …`."))
    return f"Deal card: {name}", blocks[:MAX_BLOCKS]


def who(person: str, state: DealState) -> str:
    """A stakeholder as the card shows them: "*Dana Whitfield* (CFO)", or "*CFO*" for a role alone."""
    role = state.roles.get(person)
    if role == person:  # a role alone: "Controller"
        return f"*{escape(person[:1].upper() + person[1:])}*"
    return f"*{escape(person)}*" + (f" ({escape(role)})" if role else "")


def person_line(person: str, driver: str | None, state: DealState) -> str:
    return f"• {who(person, state)}: " + (escape(truncate(driver, 200)) if driver else "_driver unknown_")


def known_lines(state: DealState, *, per_kind: int = 3) -> list[str]:
    """What the deal was told, a line per kind: "_Their pain_: manual reconciliation · …"."""
    lines = []
    for kind, label_text in KNOWN_LABELS.items():
        texts = state.known.get(kind, ())[:per_kind]
        if texts:
            lines.append(f"• _{label_text}_: " + " · ".join(escape(truncate(t, 120)) for t in texts))
    return lines


def deal_list(deals: Sequence[Deal], *, note_counts: dict[int, int], limit: int = 40) -> tuple[str, list[Block]]:
    if not deals:
        return "No deals yet.", [section("No deals yet. Start one in its channel with `/deal new NAME`.")]
    lines = [
        f"• *{escape(d.name)}* · <#{d.channel_id}> · owner <@{d.owner_id}> · {d.stage} · "
        f"{plural(note_counts.get(d.id or 0, 0), 'note')}"
        for d in deals[:limit]
    ]
    more = f"\n_…and {len(deals) - limit} more_" if len(deals) > limit else ""
    return plural(len(deals), "deal"), [section("*Deals*\n" + "\n".join(lines) + more)]
