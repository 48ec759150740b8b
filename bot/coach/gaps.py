"""A deal's open lenses, and the pre-call agenda built from them."""

from __future__ import annotations

from bot.coach.model import DealState, Question
from bot.coach.phrasings import NAMED, UNNAMED, display

# Why this order: the buyer's gain and each person's stake are the foundation (every purchase is personal);
# the cost of standing still is what makes them move; timeline and fit only make sense once those are known;
# call prep is tactical and arises on its own when a call is booked.
GAP_ORDER: tuple[str, ...] = ("wiift", "personal_driver", "cost_of_inaction", "alignment", "call_prep")


def _question(lens: str, who: str | None, stakeholder: str | None = None) -> Question:
    text = NAMED[lens][0].format(who=display(who)) if who else UNNAMED[lens][0]
    return Question(lens=lens, text=text, stakeholder=stakeholder)


def gaps(state: DealState) -> list[Question]:
    """Open lenses as questions, most valuable first (see GAP_ORDER); muted lenses go last.

    personal_driver is one gap per stakeholder with no driver, naming them. relationship and reflection
    only apply after a close, which DealState does not record, so they are never gaps.
    """
    found = []
    for lens, stakeholder in open_lenses(state):
        who = stakeholder if lens == "personal_driver" else state.name
        found.append(_question(lens, who, stakeholder))
    return found


def open_lenses(state: DealState) -> list[tuple[str, str | None]]:
    """`gaps()` as (lens, stakeholder) pairs, without phrasing the questions."""
    found: list[tuple[str, str | None]] = []
    for lens in GAP_ORDER:
        if lens == "personal_driver":
            undriven = [name for name, driver in state.drivers.items() if not driver]
            if undriven:
                found += [(lens, name) for name in undriven]
            elif not state.drivers and lens not in state.noted_lenses:
                found.append((lens, None))
        elif lens not in state.noted_lenses:
            found.append((lens, None))
    return sorted(found, key=lambda gap: gap[0] in state.muted_lenses)


def call_agenda(state: DealState, *, topic: str | None = None) -> list[str]:
    """Three short lines for the next call, from the buyer's side of the table."""
    noted = state.noted_lenses
    about = f" on {topic.strip()}" if topic and topic.strip() else ""
    if "wiift" in noted:
        first = f"Open{about} by checking the outcome they told you still matters most to them."
    else:
        first = f"Open{about} by asking what a good result looks like for them, in their words."
    undriven = [name for name, driver in state.drivers.items() if not driver]
    driven = [(name, driver) for name, driver in state.drivers.items() if driver]
    if undriven:
        second = f"Find out what {display(undriven[0])} personally needs from this going well."
    elif driven:
        name, driver = driven[0]
        second = f"Check the plan still serves {display(name)}: {_short(driver or '')}."
    else:
        second = "Ask who else is affected and what each of them needs from this."
    if "cost_of_inaction" not in noted:
        third = "Ask what waiting another quarter would cost them, then agree a next step they own."
    elif "alignment" not in noted:
        third = "Agree the next step and a date on their timeline, not our quarter."
    else:
        third = "Close by agreeing the next step and who on their side owns it."
    return [first, second, third]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
