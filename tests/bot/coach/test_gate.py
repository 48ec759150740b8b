"""The gate may only skip patterns that cannot match: checked on every labelled message and its variants."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.coach import analysis, lexicon, meeting, stakeholders
from bot.coach.analysis import split_sentences
from bot.coach.gate import SEPARATOR, Lexicon, matches, one_of, stems
from bot.coach.markup import strip_markup

HERE = Path(__file__).resolve().parent
SETS = [HERE / "fresh.jsonl", HERE.parents[2] / ".." / "shared" / "eval" / "dev.jsonl"]
LEXICONS = {
    f"{module.__name__}.{name}": value
    for module in (lexicon, meeting, analysis, stakeholders)
    for name, value in vars(module).items()
    if isinstance(value, Lexicon)
}


def _messages() -> list[str]:
    texts = [json.loads(line)["text"] for path in SETS if path.exists() for line in path.read_text().splitlines()]
    variants = [(t.upper(), t.replace(". ", ".\n- "), f"Their {t} by EOM, 1:1 at 3pm") for t in texts]
    return texts + [v for group in variants for v in group]


@pytest.fixture(scope="module")
def messages() -> list[tuple[str, str, frozenset[str]]]:
    found = []
    for text in _messages():
        joined = SEPARATOR.join(split_sentences(strip_markup(text)))
        found.append((joined, joined.lower(), stems(joined.lower())))
    return found


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_gating_never_hides_a_match(name: str, messages: list[tuple[str, str, frozenset[str]]]) -> None:
    lexicon_ = LEXICONS[name]
    for text, lowered, keys in messages:
        for entry in lexicon_._entries:
            if matches([entry], text, lowered):
                assert entry in lexicon_.active(keys), f"{name}: {entry[0].pattern!r} hidden in {text!r}"


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_every_pattern_names_its_triggers(name: str) -> None:
    """A pattern without triggers would run on every message: slow, and a sign its header was forgotten."""
    assert not LEXICONS[name]._always


def test_a_leading_word_boundary_still_holds() -> None:
    demo = Lexicon(r"(?#demo)\bdemo\b")
    assert demo.search("booked a demo")
    assert not demo.search("a pseudodemo")
    assert Lexicon(r"(?#could would)\b(?:could|would) have caught\b").search("it would have caught them")


def test_one_of_matches_exactly_its_phrases() -> None:
    phrases = ["call", "calls", "catch up", "catch-up", "chat with", "demo", "deep dive"]
    pattern = re.compile(rf"(?:{one_of(*phrases)})")
    assert all(pattern.fullmatch(p) for p in phrases)
    assert not any(pattern.fullmatch(p) for p in ["ca", "catch", "deep", "demos", "chat"])


def test_stems_are_word_starts_and_signs() -> None:
    assert stems("signed the msa, $40k at 18% and a 1:1") >= {"sign", "the", "msa", "k", "$", "%", "1:1", "a"}
