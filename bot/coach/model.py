"""The coaching engine's vocabulary: signals, lenses, and the value types it passes around.

The names are a contract shared with COACHING.md, the evaluation set and `wiift coach --jsonl`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.coach.facts import NO_FACTS, Facts
from bot.coach.person import Person

SIGNALS: tuple[str, ...] = (
    "seller_pressure",
    "self_pitch",
    "customer_value",
    "stakeholder",
    "stall",
    "objection",
    "meeting",
    "won",
    "lost",
    "chatter",
)

LENSES: tuple[str, ...] = (
    "wiift",
    "personal_driver",
    "cost_of_inaction",
    "alignment",
    "call_prep",
    "relationship",
    "reflection",
)

Reply = Literal["none", "praise", "question"]

# Signals that always earn a question, whatever else the message says.
QUESTION_SIGNALS: frozenset[str] = frozenset({"seller_pressure", "self_pitch", "stall", "objection", "won", "lost"})


def decide_reply(signals: frozenset[str] | set[str]) -> Reply:
    """COACHING.md's reply rule: silent on chatter, a question unless the buyer's value is clear."""
    if "chatter" in signals:
        return "none"
    if signals & QUESTION_SIGNALS or "customer_value" not in signals:
        return "question"
    return "praise"


@dataclass(frozen=True, slots=True)
class Analysis:
    """What one message says: its signals, the buyer-side people it names, a meeting time, and the facts
    it states in the seller's own words (see facts.py).

    `stakeholders` are the people as written (the jsonl contract); `people` the same people with name and
    role apart, in the same order.
    """

    signals: frozenset[str]
    stakeholders: tuple[str, ...] = ()
    meeting_at: datetime | None = None
    people: tuple[Person, ...] = ()
    facts: Facts = NO_FACTS

    @property
    def reply(self) -> Reply:
        return decide_reply(self.signals)


@dataclass(frozen=True, slots=True)
class DealState:
    """What the engine knows about a deal when it chooses a question. Built by the caller from storage.

    `noted_lenses` are lenses with at least one note; `drivers` maps each known stakeholder to their noted
    personal driver (None while unknown); `recent_lenses` and `recent_questions` are what was asked lately,
    oldest first; `muted_lenses` are lenses the user marked unhelpful, asked less often. `roles` gives a
    known stakeholder's role; `known` what the deal has been told, by kind (pain, goal, cost, deadline,
    competitor, driver), newest first (see memory.py).
    """

    name: str | None = None
    noted_lenses: frozenset[str] = frozenset()
    drivers: Mapping[str, str | None] = field(default_factory=dict)
    recent_lenses: tuple[str, ...] = ()
    recent_questions: tuple[str, ...] = ()
    muted_lenses: frozenset[str] = frozenset()
    roles: Mapping[str, str] = field(default_factory=dict)
    known: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Question:
    """One buyer-focused question, tagged with the lens it asks through and the stakeholder it names."""

    lens: str
    text: str
    stakeholder: str | None = None
