"""What a deal does not know yet: its open lenses, most valuable first, without wording them."""

from __future__ import annotations

from bot.coach.model import DealState

# Why this order: the buyer's gain and each person's stake are the foundation (every purchase is personal);
# the cost of standing still is what makes them move; timeline and fit only make sense once those are known;
# call prep is tactical and arises on its own when a call is booked.
GAP_ORDER: tuple[str, ...] = ("wiift", "personal_driver", "cost_of_inaction", "alignment", "call_prep")


def open_lenses(state: DealState) -> list[tuple[str, str | None]]:
    """(lens, stakeholder) for each open lens: personal_driver once per stakeholder with no driver (or once,
    unnamed, when nobody is known); muted lenses last. relationship and reflection only apply after a
    close, which DealState does not record, so they are never open."""
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
