"""Choosing the one question to ask: which lens, about whom, in which words."""

from __future__ import annotations

import zlib

from bot.coach.gaps import open_lenses
from bot.coach.model import Analysis, DealState, Question
from bot.coach.phrasings import NAMED, UNNAMED, display


def phrase(lens: str, state: DealState, *, who: str | None, salt: str = "", stakeholder: str | None = None) -> Question:
    """A phrasing of `lens` about `who`, varied by `salt`, never the deal's last question word for word."""
    templates = NAMED[lens] if who else UNNAMED[lens]
    start = zlib.crc32(f"{lens}|{who}|{salt}".encode())
    recent = state.recent_questions[-3:]
    name = display(who) if who else ""
    # Phrased one at a time, in the salted order: usually the first one will do.
    ordered = (templates[(start + i) % len(templates)] for i in range(len(templates)))
    phrased = (t.format(who=name) if who else t for t in ordered)
    text = next((t for t in phrased if t not in recent), None) if recent else next(phrased)
    if text is None:
        last = state.recent_questions[-1]
        text = next(t for t in _all(templates, start, name if who else None) if t != last)
    return Question(lens=lens, text=text, stakeholder=stakeholder)


def _all(templates: tuple[str, ...], start: int, name: str | None) -> list[str]:
    ordered = [templates[(start + i) % len(templates)] for i in range(len(templates))]
    return [t.format(who=name) for t in ordered] if name is not None else ordered


def _subject(analysis: Analysis, state: DealState) -> str | None:
    if state.name:
        return state.name
    return analysis.stakeholders[0] if analysis.stakeholders else None


def choose_lens(analysis: Analysis, state: DealState) -> tuple[str, str | None]:
    """The lens to ask through and the stakeholder it names, by COACHING.md's triggers, then the gaps.

    Muted lenses are passed over while another candidate fits; the gap asked last is not asked again first.
    """
    signals = analysis.signals
    last = state.recent_lenses[-1] if state.recent_lenses else None
    wanted: list[tuple[str, str | None]] = []
    if "lost" in signals:
        wanted.append(("reflection", None))
    if "won" in signals:
        wanted.append(("relationship", None))
    if "seller_pressure" in signals and last != "alignment":
        wanted.append(("alignment", None))
    if "self_pitch" in signals:
        wanted.append(("wiift", None))
    if "stall" in signals:
        wanted += [("cost_of_inaction", None), ("alignment", None)]
    if "objection" in signals:
        wanted += [("alignment", None), ("cost_of_inaction", None)]
    wanted += [("personal_driver", p) for p in analysis.stakeholders if not state.drivers.get(p)]
    if "meeting" in signals:
        wanted.append(("call_prep", None))
    open_gaps = open_lenses(state)
    wanted += [g for g in open_gaps if g[0] != last] + open_gaps + [("wiift", None)]
    if "seller_pressure" in signals and last == "alignment":
        wanted = [w for w in wanted if w[0] != "alignment"] or wanted
    return next((w for w in wanted if w[0] not in state.muted_lenses), wanted[0])


def choose_question(analysis: Analysis, state: DealState, *, salt: str = "") -> Question:
    """One question for this message: at most two sentences, naming the stakeholder or the deal."""
    lens, person = choose_lens(analysis, state)
    who = person if lens == "personal_driver" else _subject(analysis, state)
    return phrase(lens, state, who=who, salt=salt, stakeholder=person)


def stakeholder_question(name: str, state: DealState) -> Question:
    """What is in it for this person: the personal_driver question naming them."""
    return phrase("personal_driver", state, who=name, salt=name, stakeholder=name)


def closing_question(outcome: str, state: DealState) -> Question:
    """After a close: what they will tell others (won), or whose self-interest went unserved (lost)."""
    lenses = {"won": "relationship", "lost": "reflection"}
    if outcome not in lenses:
        raise ValueError(f"outcome must be 'won' or 'lost', not {outcome!r}")
    return phrase(lenses[outcome], state, who=state.name, salt=outcome)
