"""Choosing the question: the lens the message calls for, in a form built from the facts it gives."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from bot.coach import Analysis, DealState, analyze, choose_question, closing_question, stakeholder_question
from bot.coach.phrasings import FORMS
from bot.coach.questions import TABLE, opening

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT.parent / "shared" / "seeds"
ACME = DealState(name="Acme Corp")
OUR_QUARTER = re.compile(r"\bour (?:quarter|clock|number)\b|\bthe quarter\b|\bquota\b", re.IGNORECASE)


def read(text: str) -> Analysis:
    return analyze(text, now=datetime(2026, 3, 2, 10), tz="America/New_York")


def ask(text: str, state: DealState = ACME, salt: str = "") -> tuple[str, str]:
    question = choose_question(read(text), state, salt=salt)
    return question.lens, question.text


def test_our_own_pressure_gets_the_whose_timeline_question_with_the_sellers_words() -> None:
    lens, text = ask("Need Acme signed by Friday, I'm one deal short of quota this quarter.")
    assert lens == "alignment" and re.search(r"“(?:Need Acme signed by Friday|I'm one deal short of quota)”", text)


@pytest.mark.parametrize(
    "text",
    [
        "Rivalsoft offered them 20% off if they sign by Friday.",
        "Wexford came back with a counter: they'll renew only if we hold pricing for 3 years.",
        "I've stopped pushing Mater for February, told Declan to take the time he needs.",
        "Their board meets on the 14th and they want it live before then.",
    ],
)
def test_no_talk_of_our_quarter_when_the_pressure_is_not_ours(text: str) -> None:
    for salt in map(str, range(12)):
        assert not OUR_QUARTER.search(ask(text, salt=salt)[1])


def test_a_competitor_is_named_in_the_question() -> None:
    lens, text = ask("Rivalsoft offered them 20% off if they sign by Friday.")
    assert lens == "alignment" and "Rivalsoft" in text and "20%" in text


def test_no_feature_question_without_a_pitch() -> None:
    lens, text = ask("Demoed the new AI forecasting dashboard to Acme for an hour.")
    assert lens == "wiift" and "AI forecasting dashboard" in text
    for salt in map(str, range(12)):
        assert "feature" not in ask("Acme procurement wants the vendor form again.", salt=salt)[1].lower()


def test_a_cancelled_call_gets_the_cost_of_waiting_not_call_prep() -> None:
    lens, text = ask("Priya cancelled tomorrow's call, the March audit ate her week.")
    assert lens in ("cost_of_inaction", "personal_driver") and "Priya" in text


def test_a_loss_gets_reflection_and_a_win_relationship() -> None:
    assert ask("Closed lost, they went with Dockhero. cheaper by like 30%")[0] == "reflection"
    assert "Dockhero" in ask("Closed lost, they went with Dockhero. cheaper by like 30%")[1]
    lens, text = ask("PO landed from Pecan Valley!! $142,500, 3 yrs")
    assert lens == "relationship" and "$142,500" in text


def test_the_question_names_the_person_the_update_names() -> None:
    for text in (
        "Dana went quiet after the pricing call.",
        "Their CFO Dana Whitfield pushed back on the price.",
        "Call with Raj on Thursday at 2pm about the rollout.",
    ):
        assert re.search(r"Dana|Raj", ask(text)[1])


def test_a_stated_driver_is_not_asked_for() -> None:
    state = DealState(name="Acme Corp", drivers={"Dana": "her bonus rides on the close"})
    for salt in map(str, range(12)):
        question = choose_question(read("Dana went quiet after the pricing call."), state, salt=salt)
        assert question.lens != "personal_driver"
    stated = choose_question(read("Dana's bonus rides on cutting month-end close from 8 days to 3"), ACME)
    assert stated.lens != "personal_driver"


def test_anti_repeat_changes_the_words_never_the_lens_the_message_calls_for() -> None:
    text = "Rivalsoft offered them 20% off if they sign by Friday."
    first = choose_question(read(text), ACME)
    again = choose_question(
        read(text), DealState(name="Acme Corp", recent_lenses=("alignment",), recent_questions=(first.text,))
    )
    assert again.lens == first.lens == "alignment"
    assert again.text != first.text and "Rivalsoft" in again.text


def test_a_lens_the_deal_has_answered_is_not_asked_generically_again() -> None:
    known = DealState(name="Acme Corp", noted_lenses=frozenset({"cost_of_inaction"}), drivers={"Dana": "bonus"})
    assert choose_question(read("Acme went quiet."), known).lens != "cost_of_inaction"


def test_muted_lens_is_avoided_when_another_fits() -> None:
    muted = DealState(name="Acme Corp", muted_lenses=frozenset({"wiift"}))
    assert ask("Demoed the new AI forecasting dashboard to Acme for an hour.", muted)[0] != "wiift"


def test_deal_names_render_as_written() -> None:
    for salt in map(str, range(20)):
        text = ask("Acme went quiet after the pricing call.", salt=salt)[1]
        assert "the acme" not in text.lower()
    assert "Acme Corp" in closing_question("lost", ACME).text


def test_roles_read_with_an_article_and_closing_questions() -> None:
    assert "the CFO" in stakeholder_question("CFO", DealState()).text
    assert closing_question("won", ACME).lens == "relationship"
    with pytest.raises(ValueError, match="outcome"):
        closing_question("maybe", DealState())


def test_same_inputs_same_output_and_salt_varies_the_wording() -> None:
    analysis = read("Acme went quiet after the pricing call.")
    assert choose_question(analysis, ACME, salt="1") == choose_question(analysis, ACME, salt="1")
    assert len({choose_question(analysis, ACME, salt=str(i)).text for i in range(40)}) >= 3


ALL = [form for forms in TABLE.values() for form in forms]


@pytest.mark.parametrize("form", ALL, ids=lambda f: f.template[:40])
def test_every_form_is_at_most_two_sentences_of_plain_text(form) -> None:  # type: ignore[no-untyped-def]
    rendered = form.template.format_map(_Any())
    assert len(re.findall(r"[.?!](?:\s|$)", rendered)) <= 2 and rendered.endswith("?")
    assert not re.search(r"[*_~`<>]|:[a-z_]+:", rendered)


def test_several_forms_per_lens_most_built_around_a_fact() -> None:
    for lens, forms in TABLE.items():
        assert len(forms) >= 8, lens
        assert sum(1 for f in forms if f.weight > 2) >= len(forms) // 2, lens
    assert set(FORMS) == set(TABLE)


def test_openings_vary() -> None:
    openings = {opening(f.template.format_map(_Any())) for f in ALL}
    assert len(openings) >= len(ALL) * 0.6


class _Any(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return key


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed essays not found at {SEEDS}")
def test_no_eight_word_run_copied_from_the_essays_anywhere_in_the_repo() -> None:
    essays = set().union(*(_grams(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")))
    files = [ROOT / "README.md", *ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py"), *ROOT.glob("bench/*.py")]
    ours = set().union(*(_grams(p.read_text(encoding="utf-8")) for p in files))
    assert not essays & ours


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("Dana Whitfield", "Dana Whitfield"),
        ("Dr Haddad", "Dr Haddad"),
        ("Dana (CFO)", "Dana"),  # a person with a role is asked about by name
        ("CFO Dana Whitfield", "Dana Whitfield"),
        ("head of IT", "the head of IT"),
    ],
)
def test_people_are_named_as_written_and_roles_get_an_article(who: str, shown: str) -> None:
    question = stakeholder_question(who, DealState())
    assert shown in question.text
