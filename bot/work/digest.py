"""The weekly digest: one person's deals over the week, as one Slack message.

It shows the deals that moved (what changed, their open gaps as questions), the calls in the week ahead,
the notes added, the buyer-focus figure beside last week's, how often coaching was marked unhelpful, and
ends with one question chosen from the week. A person with nothing to show gets no digest (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot import coach
from bot.slack.cards import Block, context, header, plural, section
from bot.slack.escape import escape, truncate
from bot.slack.lenses import label
from bot.slack.timefmt import local
from bot.work.deal_facts import DealFacts, PersonWeek, load_weeks
from bot.work.weekly import focus_line
from storage.db import unit_of_work

MAX_BLOCKS = 50
MAX_DEALS = 10  # deals shown in full; the rest are named in one line
MAX_GAPS = 2  # open questions per deal
MAX_CALLS = 10
MAX_QUIET = 20  # quiet deals named before "and N more"
BATCH = 100  # people read per database session: short, since a SQLite session holds the write lock


def digest_block_id(week: str) -> str:
    """Marks the DM so a resumed run can tell this week's digest already went out."""
    return f"wiift-digest-{week}"


@dataclass(frozen=True, slots=True)
class Digest:
    team_id: str
    user_id: str
    week: str
    text: str
    blocks: list[Block]


def compose_many(
    engine: Engine, *, team_id: str, people: Sequence[tuple[str, str, str]], now: datetime
) -> dict[str, Digest | None]:
    """Digests for (user, zone, week key) triples of one workspace, a batch per short session."""
    found: dict[str, Digest | None] = {}
    for start in range(0, len(people), BATCH):
        batch = people[start : start + BATCH]
        with unit_of_work(engine) as session:
            weeks = load_weeks(session=session, team_id=team_id, user_ids=[p[0] for p in batch], now=now)
        for user_id, tz, week in batch:
            found[user_id] = compose(weeks[user_id], week=week, tz=tz)
    return found


def compose_one(engine: Engine, *, team_id: str, user_id: str, tz: str, week: str, now: datetime) -> Digest | None:
    return compose_many(engine, team_id=team_id, people=[(user_id, tz, week)], now=now)[user_id]


def compose(person: PersonWeek, *, week: str, tz: str) -> Digest | None:
    moved = sorted((f for f in person.deals if f.moved), key=_weight, reverse=True)
    quiet = [f for f in person.deals if not f.moved and f.deal.stage == "open"]
    if not moved and not person.focus.updates and not person.unhelpful:
        return None  # nothing happened this week: no digest rather than an empty one

    zone = ZoneInfo(tz)
    first, last = person.start.astimezone(zone), person.end.astimezone(zone)
    blocks: list[Block] = [
        header(f"Your week in deals: {first.day} {first:%b} to {last.day} {last:%b}"),
        {**section(focus_line(person.focus, person.last_focus)), "block_id": digest_block_id(week)},
    ]
    if person.asked or person.unhelpful:
        blocks.append(
            context(
                f"Coaching this week: {plural(person.asked, 'question')} asked, "
                f"{person.unhelpful} marked not helpful"
                + (" (a lens marked twice in a month is asked less)." if person.unhelpful else ".")
            )
        )
    blocks.append({"type": "divider"})
    blocks += [section(_deal_text(f)) for f in moved[:MAX_DEALS]]
    if len(moved) > MAX_DEALS:
        rest = moved[MAX_DEALS:]
        blocks.append(section(f"_…and {plural(len(rest), 'more deal')} that moved: " + _names(rest) + "_"))
    if quiet:
        blocks.append(section("*Quiet this week* (open questions in brackets): " + _names(quiet, gaps=True)))
    calls = sorted(((when, topic, f) for f in moved for when, topic in f.calls), key=lambda c: c[0])
    if calls:
        lines = [
            f"• {local(when, tz)} · *{escape(f.deal.name)}*" + (f" · {escape(truncate(topic, 80))}" if topic else "")
            for when, topic, f in calls[:MAX_CALLS]
        ]
        more = f"\n_…and {len(calls) - MAX_CALLS} more_" if len(calls) > MAX_CALLS else ""
        blocks.append(section("*Calls in the week ahead*\n" + "\n".join(lines) + more))
    closing = _closing_question(moved or quiet, salt=week)
    if closing is not None:
        blocks += [{"type": "divider"}, section(closing)]
    blocks.append(
        context("Weekly, in your time zone. `/coach digest DAY HH:MM` moves it; `/coach digest off` stops it.")
    )
    text = f"Your week in deals: {plural(len(moved), 'deal')} moved; buyer focus {person.focus.figure()}."
    return Digest(person.team_id, person.user_id, week, text, blocks[:MAX_BLOCKS])


def _weight(facts: DealFacts) -> tuple[int, int, str]:
    pressure = facts.mine["seller_pressure"] + facts.mine["self_pitch"]
    return (facts.updates + sum(facts.notes_added.values()) + len(facts.calls), pressure, facts.deal.name)


def _deal_text(facts: DealFacts) -> str:
    deal = facts.deal
    stage = {"open": "open", "won": "won :tada:", "lost": "lost"}.get(deal.stage, deal.stage)
    lines = [f"*{escape(deal.name)}* · <#{deal.channel_id}> · {stage}"]
    changes = []
    if facts.updates:
        changes.append(plural(facts.updates, "update"))
    if facts.notes_added:
        lenses = ", ".join(f"_{label(lens)}_" for lens, _ in facts.notes_added.most_common())
        changes.append(f"{plural(sum(facts.notes_added.values()), 'note')} added ({lenses})")
    if facts.new_people:
        changes.append("newly named: " + ", ".join(escape(n) for n in facts.new_people[:5]))
    if facts.learned:
        changes.append("learned: " + ", ".join(_learned(kind, n) for kind, n in facts.learned.most_common()))
    if facts.closed_this_week:
        changes.append(f"closed {deal.stage} this week")
    if changes:
        lines.append(" · ".join(changes))
    if facts.gaps:
        lines.append("Still open:")
        lines += [f"• {escape(q.text)}" for q in facts.gaps[:MAX_GAPS]]
        if len(facts.gaps) > MAX_GAPS:
            lines.append(f"_{len(facts.gaps) - MAX_GAPS} more: `/deal show {escape(deal.name)}`_")
    return "\n".join(lines)


def _names(deals: Sequence[DealFacts], *, gaps: bool = False) -> str:
    shown = [f"*{escape(f.deal.name)}*" + (f" ({len(f.gaps)})" if gaps else "") for f in deals[:MAX_QUIET]]
    more = f" and {len(deals) - MAX_QUIET} more" if len(deals) > MAX_QUIET else ""
    return ", ".join(shown) + more


def _closing_question(deals: Sequence[DealFacts], *, salt: str) -> str | None:
    """One question chosen from the week: the deal where the person leaned most on their own pressure,
    then on their own pitch, then the one that stalled most; failing those, the busiest deal's first gap."""
    open_deals = [f for f in deals if f.deal.stage == "open"]
    for signal, why in (
        ("seller_pressure", "leaned on our own timeline"),
        ("self_pitch", "talked about our product more than their outcome"),
        ("stall", "reported it stalling"),
    ):
        counted = [f for f in open_deals if f.mine[signal]]
        if counted:
            top = max(counted, key=lambda f: (f.mine[signal], f.updates))
            question = coach.choose_question(coach.Analysis(signals=frozenset({signal})), top.state, salt=salt)
            reason = f"Your updates on *{escape(top.deal.name)}* {why} {_times(top.mine[signal])} this week."
            return f":thought_balloon: *One question for the week*\n{reason}\n> {escape(question.text)}"
    with_gaps = [f for f in open_deals if f.gaps]
    if not with_gaps:
        return None
    top = with_gaps[0]
    reason = f"*{escape(top.deal.name)}* still has {plural(len(top.gaps), 'open question')}."
    return f":thought_balloon: *One question for the week*\n{reason}\n> {escape(top.gaps[0].text)}"


_LEARNED = {
    "driver": ("a personal driver", "personal drivers"),
    "pain": ("their pain", "pains"),
    "goal": ("what they want", "goals"),
    "cost": ("what waiting costs", "costs"),
    "deadline": ("a date of theirs", "dates of theirs"),
    "competitor": ("a competitor", "competitors"),
}


def _learned(kind: str, count: int) -> str:
    one, many = _LEARNED.get(kind, (kind, kind))
    return one if count == 1 else f"{count} {many}"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
