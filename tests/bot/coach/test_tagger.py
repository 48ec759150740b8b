"""The stakeholder tagger: run time reads what training fitted, feature for feature, and the engine's span edits."""

from __future__ import annotations

import pytest

from bot.coach.engine import _trimmed
from bot.coach.features import acts_after, has_pronoun, sequence_features, token_features
from bot.coach.learned import ARTEFACT, Learned
from bot.coach.tokens import words_of


@pytest.fixture(scope="module")
def learned() -> Learned:
    return Learned.load(ARTEFACT)


@pytest.mark.parametrize(
    "text",
    [
        "Zielińska called, want talk at 3 about audit module. She is the QA head.",
        "Thandeka moved our call ~Wed 2pm~ to Fri 11am",
        "Gráinne's real problem: agency nurse spend is up 30%",
        "Rui says the budget for 2027 is closed. Maybe he changed job?",
        "met their CFO Dana Whitfield and Mr. Iyer (CTO) at Sahyadri",
        "X",
    ],
)
def test_run_time_margins_are_the_sum_of_training_features(learned: Learned, text: str) -> None:
    """The run-time Tagger's cached, shifted sums equal the weights of sequence_features() summed per token."""
    tagger = learned.tagger
    words = words_of(text)
    marks = ["B" if w == "Dana" else "" for w in words]
    expected = []
    for row in sequence_features(words, tagger.common, marks):
        weights = [tagger.weights.get(feature, (0, 0)) for feature in row]
        expected.append((sum(w[0] for w in weights) + tagger.bias[0], sum(w[1] for w in weights) + tagger.bias[1]))
    assert tagger.margins(words, marks) == expected


def test_capitalised_words_read_the_message_around_them() -> None:
    words = words_of("Rhona's asked for a call and Rui says no. She wants more")
    assert acts_after(words, words.index("Rhona"))  # past the possessive
    assert acts_after(words, words.index("Rui"))
    assert not acts_after(words, words.index("more"))
    assert has_pronoun(words) and not has_pronoun(words_of("Vertex says they are all busy"))
    slots = token_features("Thandeka")
    assert "k=given" in slots["o"] and "f3=eka" in slots["o"] and "len=8" in slots["o"]
    assert slots["h1"] == slots["v10"] == ["k=rare|given"]
    assert token_features("said")["h1"] == []  # only a capitalised word reads the message


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("the GM at Hotel Solana", "GM"),
        ("ops head from Kessler Antriebe", "ops head"),
        ("Big Mike ( VP Ops at Saltmarsh )", "Big Mike ( VP Ops at Saltmarsh )"),
        ("head of IT", "head of IT"),
    ],
)
def test_a_person_ends_before_a_place_word_outside_brackets(text: str, kept: str) -> None:
    words = text.split()
    first, last = _trimmed([(0, len(words) - 1)], words)[0]
    assert " ".join(words[first : last + 1]) == kept


def test_the_name_lists_hold_names_in_many_languages() -> None:
    for name in ("Fergal", "Begoña", "Thandeka", "Femke"):
        assert "k=given" in token_features(name)["o"], name
    assert "k=surname" in token_features("Okafor")["o"]
    assert "k=given" not in token_features("Going")["o"]
