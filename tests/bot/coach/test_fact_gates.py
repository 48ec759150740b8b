"""Trigger words only speed fact extraction up: on every labelled message, a pattern that matches anywhere is
also found when it is tried only near its trigger words (see clauses.anchored)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.coach import cues
from bot.coach.clauses import anchored, word_positions
from bot.coach.facts import words_of
from bot.coach.markup import strip_markup

ROOT = Path(__file__).resolve().parents[3]
SETS = [ROOT.parent / "shared" / "eval" / "dev.jsonl", Path(__file__).with_name("fresh.jsonl")]
PATTERNS = {
    "driver": cues.DRIVER,
    "goal": cues.GOAL,
    "pain": cues.PAIN,
    "topic": cues.TOPIC,
    "blocker": cues.BLOCKER,
    "reason": cues.REASON,
    "paused": cues.WHY_PAUSED,
    "ours": cues.OUR_PRESSURE,
    "pitch": cues.PITCH,
    "cancelled": cues.CANCELLED,
    "other": cues.OTHER_PARTY,
    "stopped": cues.STOPPED_CHECK,
}


def _texts() -> list[str]:
    texts = []
    for path in SETS:
        if path.exists():
            texts += [strip_markup(json.loads(line)["text"]) for line in path.read_text().splitlines() if line.strip()]
    return texts


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_cue_that_matches_is_found_near_its_triggers(name: str) -> None:
    texts = _texts()
    if not texts:
        pytest.skip("no labelled messages found")
    pattern: re.Pattern[str] = PATTERNS[name]
    missed = []
    for text in texts:
        if pattern.search(text) is None:
            continue
        hits = word_positions(text, cues.TRIGGERS[name] & words_of(text))
        if next(anchored(pattern, hits, text), None) is None:
            missed.append(text)
    assert missed == []
