from __future__ import annotations

from bot.coach import DealState, call_agenda, gaps


def test_gaps_order_and_one_per_undriven_stakeholder() -> None:
    state = DealState(name="Acme", drivers={"Dana": None, "CFO": "bonus", "Ravi": None})
    found = gaps(state)
    assert [q.lens for q in found] == [
        "wiift",
        "personal_driver",
        "personal_driver",
        "cost_of_inaction",
        "alignment",
        "call_prep",
    ]
    assert [q.stakeholder for q in found if q.lens == "personal_driver"] == ["Dana", "Ravi"]
    assert "Dana" in found[1].text


def test_noted_lenses_are_not_gaps_and_closing_lenses_never_are() -> None:
    state = DealState(noted_lenses=frozenset({"wiift", "alignment"}), drivers={"Dana": "promotion"})
    assert [q.lens for q in gaps(state)] == ["cost_of_inaction", "call_prep"]


def test_no_stakeholders_known_gives_one_unnamed_driver_gap() -> None:
    assert [q.stakeholder for q in gaps(DealState()) if q.lens == "personal_driver"] == [None]


def test_muted_lenses_go_last() -> None:
    assert gaps(DealState(muted_lenses=frozenset({"wiift"})))[-1].lens == "wiift"


def test_call_agenda_is_three_buyer_lines() -> None:
    lines = call_agenda(DealState(name="Acme", drivers={"Dana": None}), topic="pricing")
    assert len(lines) == 3
    assert "pricing" in lines[0] and "Dana" in lines[1]
    assert all(len(line) <= 110 for line in lines)
    driven = call_agenda(
        DealState(drivers={"Dana": "wants her team off night shifts"}, noted_lenses=frozenset({"cost_of_inaction"}))
    )
    assert "night shifts" in driven[1]
    assert "timeline" in driven[2]
