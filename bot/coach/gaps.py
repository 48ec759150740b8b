"""A deal's open lenses as questions, and the pre-call agenda, both worded from what the deal knows."""

from __future__ import annotations

from bot.coach.lens_choice import split_known
from bot.coach.model import DealState, Question
from bot.coach.people import PersonFact
from bot.coach.questions import ask, quote
from bot.coach.unknowns import GAP_ORDER, open_lenses

__all__ = ["GAP_ORDER", "call_agenda", "gaps", "open_lenses"]


def gaps(state: DealState) -> list[Question]:
    """Open lenses as questions, most valuable first (see unknowns.GAP_ORDER); muted lenses go last.

    personal_driver is one gap per stakeholder with no driver, naming them. A question uses what the deal
    was told where it can ("What is “manual reconciliation” costing Acme Corp each month…")."""
    return [
        ask(lens, state, person=_person(name, state), salt=name or "", known=lens != "personal_driver")
        for lens, name in open_lenses(state)
    ]


def _person(name: str | None, state: DealState) -> PersonFact | None:
    if name is None:
        return None
    known_name, role = split_known(name, state)
    return PersonFact(span=name, name=known_name, role=role)


def label(name: str, state: DealState) -> str:
    known = _person(name, state)
    return known.label if known else name


def call_agenda(state: DealState, *, topic: str | None = None) -> list[str]:
    """Three short lines for the next call, from the buyer's side of the table."""
    known = state.known
    about = f" on {topic.strip()}" if topic and topic.strip() else ""
    said = (known.get("pain") or known.get("goal") or ())[:1]
    if said:
        first = f"Open{about} with what they told you matters: {quote(_short(said[0], 50))}."
    elif "wiift" in state.noted_lenses:
        first = f"Open{about} by checking the outcome they told you still matters most to them."
    else:
        first = f"Open{about} by asking what a good result looks like for them, in their words."
    undriven = [name for name, driver in state.drivers.items() if not driver]
    driven = [(name, driver) for name, driver in state.drivers.items() if driver]
    if undriven:
        second = f"Find out what {label(undriven[0], state)} personally needs from this going well."
    elif driven:
        name, driver = driven[0]
        second = f"Check the plan still serves {label(name, state)}: {_short(driver or '')}."
    else:
        second = "Ask who else is affected and what each of them needs from this."
    deadline = (known.get("deadline") or ())[:1]
    if "cost_of_inaction" not in state.noted_lenses:
        third = "Ask what waiting another quarter would cost them, then agree a next step they own."
    elif deadline:
        third = f"Agree the next step against their timeline: {_short(deadline[0], 40)}."
    elif "alignment" not in state.noted_lenses:
        third = "Agree the next step and a date on their timeline, not ours."
    else:
        third = "Close by agreeing the next step and who on their side owns it."
    return [first, second, third]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
