"""What a batch of people's deals look like over one week, read in a fixed number of bounded queries.

The weekly digest reads 10,000 people this way, a few hundred at a time; the Home tab reads one person.
Note and fact texts are never loaded: gaps need only which lenses have notes or facts and which stakeholders
have a driver.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot import coach
from bot.coach.memory import lenses_known, person_named
from bot.work.weekly import WEEK, BuyerFocus
from storage import activity
from storage.deals import name_key
from storage.feedback import muted_lenses_for, unhelpful_counts
from storage.models import Deal

_KNOWN = "noted"  # gaps only ask whether a stakeholder's driver is known, not what it is


@dataclass(slots=True)
class DealFacts:
    deal: Deal
    state: coach.DealState
    gaps: list[coach.Question]
    updates: int = 0  # deal updates by anyone in the week, chatter aside
    notes_added: Counter[str] = field(default_factory=Counter)  # lens -> notes added in the week
    new_people: list[str] = field(default_factory=list)  # stakeholders first named in the week
    learned: Counter[str] = field(default_factory=Counter)  # kind -> facts learned in the week
    calls: list[tuple[datetime, str | None]] = field(default_factory=list)  # booked, ahead, soonest first
    mine: Counter[str] = field(default_factory=Counter)  # signals of the person's own updates in the week
    closed_this_week: bool = False

    @property
    def moved(self) -> bool:
        """Something happened on it this week, or a call is coming up."""
        return bool(
            self.updates or self.notes_added or self.new_people or self.learned or self.calls or self.closed_this_week
        )

    @property
    def next_call(self) -> datetime | None:
        return self.calls[0][0] if self.calls else None


@dataclass(slots=True)
class PersonWeek:
    team_id: str
    user_id: str
    start: datetime
    end: datetime
    deals: list[DealFacts]
    focus: BuyerFocus
    last_focus: BuyerFocus
    unhelpful: int = 0
    asked: int = 0
    muted: frozenset[str] = frozenset()


def load_weeks(
    *,
    session: Session,
    team_id: str,
    user_ids: Sequence[str],
    now: datetime,
    ahead: timedelta = WEEK,
    every_owned: bool = False,
    posted_in: bool = True,
) -> dict[str, PersonWeek]:
    """Each person's week ending at `now`: their deals (open ones and ones that moved this week, or with
    `every_owned` all they own), plus with `posted_in` deals they posted updates on this week."""
    start, last_start = now - WEEK, now - 2 * WEEK
    owned = activity.deals_owned_by(session=session, team_id=team_id, user_ids=user_ids)
    updates = activity.updates_by(session=session, team_id=team_id, user_ids=user_ids, since=last_start, until=now)

    deals: dict[int, Deal] = {d.id or 0: d for d in owned}
    per_person: dict[str, dict[int, None]] = {u: {} for u in user_ids}
    for deal in sorted(owned, key=lambda d: (d.stage != "open", -d.updated_at.timestamp(), d.id or 0)):
        if every_owned or deal.stage == "open" or deal.updated_at >= start:
            per_person.setdefault(deal.owner_id, {})[deal.id or 0] = None
    this_week: dict[str, list[frozenset[str]]] = {u: [] for u in user_ids}
    last_week: dict[str, list[frozenset[str]]] = {u: [] for u in user_ids}
    mine: dict[tuple[str, int], Counter[str]] = {}
    for user_id, deal_id, signals, reply, created in updates:
        if reply == "none":
            continue  # chatter is not a deal update
        parsed = frozenset(signals.split())
        if created >= start:
            this_week[user_id].append(parsed)
            mine.setdefault((user_id, deal_id), Counter()).update(parsed)
            if posted_in:
                per_person.setdefault(user_id, {}).setdefault(deal_id, None)
        else:
            last_week[user_id].append(parsed)
    missing = [d for ids in per_person.values() for d in ids if d not in deals]
    deals.update({d.id or 0: d for d in activity.deals_by_ids(session=session, team_id=team_id, deal_ids=missing)})

    deal_ids = [d for ids in per_person.values() for d in ids if d in deals]
    noted: dict[int, set[str]] = {}
    driven: dict[int, dict[str, str]] = {}
    for deal_id, lens, stakeholder in activity.lens_marks(session=session, deal_ids=deal_ids):
        noted.setdefault(deal_id, set()).add(lens)
        if lens == "personal_driver" and stakeholder:
            driven.setdefault(deal_id, {})[name_key(stakeholder)] = stakeholder
    people: dict[int, list[tuple[str, str | None, bool]]] = {}
    new_people: dict[int, list[str]] = {}
    for deal_id, name, created, role, has_driver in activity.stakeholders_of(session=session, deal_ids=deal_ids):
        people.setdefault(deal_id, []).append((name, role, has_driver))
        if start <= created <= now:
            new_people.setdefault(deal_id, []).append(name)
    kinds: dict[int, set[str]] = {}
    learned: dict[int, Counter[str]] = {}
    for deal_id, kind, _linked, created in activity.fact_marks(session=session, deal_ids=deal_ids):
        kinds.setdefault(deal_id, set()).add(kind)
        if start <= created <= now:
            learned.setdefault(deal_id, Counter())[kind] += 1
    update_counts = activity.update_counts(session=session, deal_ids=deal_ids, since=start, until=now)
    added: dict[int, Counter[str]] = {}
    for deal_id, lens, count in activity.notes_added(session=session, deal_ids=deal_ids, since=start, until=now):
        added.setdefault(deal_id, Counter())[lens] += count
    calls: dict[int, list[tuple[datetime, str | None]]] = {}
    for deal_id, starts_at, topic in activity.calls_between(
        session=session, deal_ids=deal_ids, since=now, until=now + ahead
    ):
        calls.setdefault(deal_id, []).append((starts_at, topic))
    muted = muted_lenses_for(session=session, team_id=team_id, user_ids=list(user_ids), now=now)
    unhelpful = unhelpful_counts(session=session, team_id=team_id, user_ids=list(user_ids), since=start, until=now)
    asked = activity.questions_asked(session=session, deal_ids=deal_ids, user_ids=user_ids, since=start, until=now)

    weeks: dict[str, PersonWeek] = {}
    for user_id in user_ids:
        user_muted = muted.get(user_id, frozenset())
        facts: list[DealFacts] = []
        for deal_id in per_person.get(user_id, {}):
            deal = deals.get(deal_id)
            if deal is None:
                continue
            state = _state(
                deal,
                noted.get(deal_id, set()) | lenses_known(kinds.get(deal_id, set())),
                people.get(deal_id, []),
                driven.get(deal_id, {}),
                user_muted,
            )
            facts.append(
                DealFacts(
                    deal=deal,
                    state=state,
                    gaps=coach.gaps(state) if deal.stage == "open" else [],
                    updates=update_counts.get(deal_id, 0),
                    notes_added=added.get(deal_id, Counter()),
                    new_people=new_people.get(deal_id, []),
                    learned=learned.get(deal_id, Counter()),
                    calls=calls.get(deal_id, []) if deal.stage == "open" else [],
                    mine=mine.get((user_id, deal_id), Counter()),
                    closed_this_week=deal.stage != "open" and deal.updated_at >= start,
                )
            )
        weeks[user_id] = PersonWeek(
            team_id=team_id,
            user_id=user_id,
            start=start,
            end=now,
            deals=facts,
            focus=BuyerFocus.of(this_week[user_id]),
            last_focus=BuyerFocus.of(last_week[user_id]),
            unhelpful=unhelpful.get(user_id, 0),
            asked=asked.get(user_id, 0),
            muted=user_muted,
        )
    return weeks


def _state(
    deal: Deal,
    noted: set[str] | frozenset[str],
    people: list[tuple[str, str | None, bool]],
    driven: dict[str, str],
    muted: frozenset[str],
) -> coach.DealState:
    """The engine's view of a deal, as `bot.work.deal_state.load_state` builds it, from aggregated rows."""
    drivers: dict[str, str | None] = {}
    roles: dict[str, str] = {}
    for name, role, has_driver in people:
        drivers[name] = _KNOWN if has_driver or name_key(name) in driven else None
        role = role or person_named(name).role
        if role:
            roles[name] = role
    named = {name_key(name) for name, _, _ in people}
    for key, stakeholder in driven.items():
        if key not in named:
            drivers[stakeholder] = _KNOWN
    return coach.DealState(
        name=deal.name, noted_lenses=frozenset(noted), drivers=drivers, muted_lenses=muted, roles=roles
    )
