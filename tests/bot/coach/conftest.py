from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from bot.coach import SIGNALS, Analysis, analyze


@pytest.fixture
def read():
    """analyze() at a fixed moment: read(text, "2026-03-06T10:00", "America/New_York")."""

    def _read(text: str, now: str = "2026-03-04T10:00", tz: str = "America/New_York") -> Analysis:
        return analyze(text, now=datetime.fromisoformat(now), tz=tz)

    return _read


def score_file(path: Path) -> dict:
    """Signal F1 per signal, exact meeting times and replies to chatter for one labelled JSONL set."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {s: [0, 0, 0] for s in SIGNALS}  # tp, fp, fn
    meetings = exact = chatter_replies = 0
    misses: list[str] = []
    for row in rows:
        analysis = analyze(row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"])
        gold, got = set(row["signals"]), set(analysis.signals)
        for signal in SIGNALS:
            counts[signal][0] += signal in gold and signal in got
            counts[signal][1] += signal in got and signal not in gold
            counts[signal][2] += signal in gold and signal not in got
        if gold != got:
            misses.append(f"{row['id']}: +{sorted(got - gold)} -{sorted(gold - got)}")
        if row["meeting_at"]:
            meetings += 1
            exact += analysis.meeting_at == datetime.fromisoformat(row["meeting_at"])
        if "chatter" in gold and analysis.reply != "none":
            chatter_replies += 1
    f1 = {s: (2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0) for s, (tp, fp, fn) in counts.items()}
    return {"f1": f1, "meetings": meetings, "exact": exact, "chatter_replies": chatter_replies, "misses": misses}


@pytest.fixture(scope="session")
def scorer() -> Callable[[Path], dict]:
    return score_file
