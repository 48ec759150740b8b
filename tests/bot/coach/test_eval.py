"""Scores the analyzer on the labelled dev set: signal macro-F1, meeting times, silence on chatter."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.coach import SIGNALS, analyze

DEV = Path(__file__).resolve().parents[3] / ".." / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="module")
def scored() -> dict:
    if not DEV.exists():
        pytest.skip(f"dev set not found at {DEV.resolve()} (the shared dir must sit beside the repo)")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {s: [0, 0, 0] for s in SIGNALS}  # tp, fp, fn
    meetings = exact = chatter_replies = 0
    for row in rows:
        analysis = analyze(row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"])
        gold, got = set(row["signals"]), set(analysis.signals)
        for signal in SIGNALS:
            counts[signal][0] += signal in gold and signal in got
            counts[signal][1] += signal in got and signal not in gold
            counts[signal][2] += signal in gold and signal not in got
        if row["meeting_at"]:
            meetings += 1
            exact += analysis.meeting_at == datetime.fromisoformat(row["meeting_at"])
        if "chatter" in gold and analysis.reply != "none":
            chatter_replies += 1
    f1 = {s: (2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0) for s, (tp, fp, fn) in counts.items()}
    return {"f1": f1, "meetings": meetings, "exact": exact, "chatter_replies": chatter_replies}


def test_signal_macro_f1(scored: dict) -> None:
    f1 = scored["f1"]
    macro = sum(f1.values()) / len(f1)
    report = ", ".join(f"{s} {v:.3f}" for s, v in f1.items())
    assert macro >= 0.92, f"macro-F1 {macro:.3f} < 0.92; per signal: {report}"


def test_meeting_times_exact(scored: dict) -> None:
    share = scored["exact"] / scored["meetings"]
    assert share >= 0.95, f"meeting_at exact on {scored['exact']}/{scored['meetings']} ({share:.1%})"


def test_no_replies_to_chatter(scored: dict) -> None:
    assert scored["chatter_replies"] == 0
