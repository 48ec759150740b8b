from __future__ import annotations

import pytest

from bot.coach import tag_note


@pytest.mark.parametrize(
    ("note", "lens"),
    [
        ("Her bonus is tied to cutting days-to-close.", "personal_driver"),
        ("They lose about $40k a month in denied claims.", "cost_of_inaction"),
        ("Their go-live deadline is before peak; also evaluating a competitor.", "alignment"),
        ("Agenda for the next call: confirm numbers, agree success.", "call_prep"),
        ("Happy to be a reference and intro us to their sister site.", "relationship"),
        ("Wants one view of inventory across both hubs.", "wiift"),
    ],
)
def test_tag_note(note: str, lens: str) -> None:
    assert tag_note(note) == lens
