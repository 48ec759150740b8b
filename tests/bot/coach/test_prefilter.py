"""A pattern's opening (prefilter.py) may only rule out positions where the pattern cannot match: checked at
every position of every labelled message and its variants, for every pattern clauses.anchored tries."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from bot.coach import buyer_dates, cues, figures, rivals
from bot.coach.markup import strip_markup
from bot.coach.prefilter import CHARS, Opening, opening, opening_pattern

HERE = Path(__file__).resolve().parent
SETS = [HERE / "fresh.jsonl", HERE.parents[2] / ".." / "shared" / "eval" / "dev.jsonl"]
PATTERNS = {
    "cues.DRIVER": cues.DRIVER,
    "cues.GOAL": cues.GOAL,
    "cues.PAIN": cues.PAIN,
    "cues.TOPIC": cues.TOPIC,
    "cues.BLOCKER": cues.BLOCKER,
    "cues.REASON": cues.REASON,
    "cues.WHY_PAUSED": cues.WHY_PAUSED,
    "cues.OUR_PRESSURE": cues.OUR_PRESSURE,
    "cues.PITCH": cues.PITCH,
    "cues.CANCELLED": cues.CANCELLED,
    "cues.OTHER_PARTY": cues.OTHER_PARTY,
    "cues.STOPPED_CHECK": cues.STOPPED_CHECK,
    "buyer_dates.EVENT": buyer_dates.EVENT,
    "buyer_dates.DATE": buyer_dates.DATE,
    "buyer_dates.DELAY": buyer_dates.DELAY,
    "buyer_dates.DECIDED_AFTER": buyer_dates.DECIDED_AFTER,
    "rivals.COMPETITOR_BEFORE": rivals.COMPETITOR_BEFORE,
    "rivals.COMPETITOR_AFTER": rivals.COMPETITOR_AFTER,
    "figures.FIGURE": figures.FIGURE,
}


def _texts() -> list[str]:
    texts = [
        strip_markup(json.loads(line)["text"])
        for path in SETS
        if path.exists()
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    rng = random.Random(7)
    words = " ".join(texts).split()
    shuffled = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(200)]
    return texts + [t.upper() for t in texts] + [t.lower() for t in texts] + shuffled


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = _texts()
    if not found:
        pytest.skip("no labelled messages found")
    return found


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_an_opening_never_rules_out_a_match(name: str, texts: list[str]) -> None:
    pattern = PATTERNS[name]
    quick = opening(pattern)
    assert quick is not None, "every pattern anchored tries has an opening"
    missed = [
        (text, at)
        for text in texts
        for at in range(len(text) + 1)
        if not quick[text[at : at + CHARS]] and pattern.match(text, at) is not None
    ]
    assert missed == []


def test_an_opening_reads_no_assertion_and_few_characters() -> None:
    found = opening_pattern(re.compile(r"\b(?:(?<=x)ab|cd(?!e)e+|f(?-i:G)h\d{3})", re.IGNORECASE))
    assert found is not None
    assert found.match("AB") and found.match("cde") and found.match("FGh1") and not found.match("Fgh1")
    assert not found.match("zz")
    assert isinstance(opening(re.compile("abc")), Opening)


def test_a_backreference_has_no_opening() -> None:
    assert opening_pattern(re.compile(r"(a)\1")) is None
