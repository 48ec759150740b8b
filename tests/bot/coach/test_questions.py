from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.coach import Analysis, DealState, choose_question, closing_question, stakeholder_question
from bot.coach.phrasings import NAMED, UNNAMED

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def ask(signals: set[str], state: DealState | None = None, people: tuple[str, ...] = (), salt: str = "") -> str:
    return choose_question(Analysis(frozenset(signals), people), state or DealState(name="Acme"), salt=salt).lens


def test_pressure_asks_alignment_unless_it_was_last() -> None:
    assert ask({"seller_pressure"}) == "alignment"
    assert ask({"seller_pressure"}, DealState(name="Acme", recent_lenses=("alignment",))) != "alignment"


def test_signal_rules() -> None:
    assert ask({"self_pitch"}) == "wiift"
    assert ask({"stall"}) == "cost_of_inaction"
    assert ask({"objection"}) == "alignment"
    assert ask({"meeting"}, DealState(name="Acme", drivers={"Dana": "bonus"})) == "call_prep"
    assert ask({"won"}) == "relationship"
    assert ask({"lost", "objection"}) == "reflection"


def test_named_stakeholder_without_driver_gets_personal_driver() -> None:
    question = choose_question(Analysis(frozenset({"stakeholder"}), ("Dana",)), DealState(name="Acme"))
    assert (question.lens, question.stakeholder) == ("personal_driver", "Dana")
    assert "Dana" in question.text
    known = DealState(name="Acme", drivers={"Dana": "wants the promotion"}, noted_lenses=frozenset({"wiift"}))
    assert choose_question(Analysis(frozenset({"stakeholder"}), ("Dana",)), known).lens != "personal_driver"


def test_otherwise_the_most_valuable_gap() -> None:
    state = DealState(name="Acme", noted_lenses=frozenset({"wiift", "personal_driver"}), drivers={"Dana": "x"})
    assert ask(set(), state) == "cost_of_inaction"


def test_muted_lens_is_avoided_when_another_fits() -> None:
    assert ask({"self_pitch"}, DealState(name="Acme", muted_lenses=frozenset({"wiift"}))) != "wiift"


def test_never_the_same_text_twice_in_a_row() -> None:
    state = DealState(name="Acme")
    for salt in map(str, range(30)):
        first = choose_question(Analysis(frozenset({"stall"})), state, salt=salt)
        again = choose_question(
            Analysis(frozenset({"stall"})), DealState(name="Acme", recent_questions=(first.text,)), salt=salt
        )
        assert again.text != first.text


def test_same_inputs_same_output_and_salt_varies_phrasing() -> None:
    analysis = Analysis(frozenset({"self_pitch"}))
    assert choose_question(analysis, DealState(name="Acme"), salt="1") == choose_question(
        analysis, DealState(name="Acme"), salt="1"
    )
    assert len({choose_question(analysis, DealState(name="Acme"), salt=str(i)).text for i in range(40)}) >= 3


def test_names_the_deal_and_roles_read_naturally() -> None:
    assert "Acme" in choose_question(Analysis(frozenset({"stall"})), DealState(name="Acme")).text
    assert "the CFO" in stakeholder_question("CFO", DealState()).text


def test_closing_questions() -> None:
    assert closing_question("won", DealState(name="Acme")).lens == "relationship"
    assert closing_question("lost", DealState(name="Acme")).lens == "reflection"
    with pytest.raises(ValueError, match="outcome"):
        closing_question("maybe", DealState())


ALL = [t for table in (NAMED, UNNAMED) for texts in table.values() for t in texts]


@pytest.mark.parametrize("text", ALL)
def test_phrasing_shape(text: str) -> None:
    rendered = text.format(who="Acme")
    assert len(re.findall(r"[.?!](?:\s|$)", rendered)) <= 2
    assert not re.search(r"[*_~`<>]|:[a-z_]+:", rendered)


def test_at_least_four_phrasings_per_lens() -> None:
    for table in (NAMED, UNNAMED):
        assert all(len(texts) >= 4 for texts in table.values())


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed essays not found at {SEEDS}")
def test_no_eight_word_run_copied_from_the_essays() -> None:
    essays = set().union(*(_grams(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")))
    coach = Path(__file__).resolve().parents[3] / "bot" / "coach"
    ours = set().union(*(_grams(p.read_text(encoding="utf-8")) for p in coach.glob("*.py")))
    assert not essays & ours


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("Dana Whitfield", "Dana Whitfield"),
        ("Dr Haddad", "Dr Haddad"),
        ("Dana (CFO)", "Dana (CFO)"),
        ("CFO Dana Whitfield", "the CFO Dana Whitfield"),
        ("head of IT", "the head of IT"),
    ],
)
def test_people_are_named_as_written_and_roles_get_an_article(who: str, shown: str) -> None:
    question = stakeholder_question(who, DealState())
    assert shown in question.text
