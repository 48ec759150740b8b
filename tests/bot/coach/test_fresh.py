"""Scores the analyzer on fresh.jsonl: messages in voices and industries the dev set does not use.

The set was labelled by COACHING.md's conventions before the analyzer was run on it, and guards against
rules that only fit the dev set. Its bar is lower than the dev set's because it was not tuned on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FRESH = Path(__file__).resolve().parent / "fresh.jsonl"


@pytest.fixture(scope="module")
def scored(scorer: Callable[[Path], dict]) -> dict:
    return scorer(FRESH)


def test_signal_macro_f1(scored: dict) -> None:
    f1 = scored["f1"]
    macro = sum(f1.values()) / len(f1)
    report = ", ".join(f"{s} {v:.3f}" for s, v in f1.items())
    misses = "\n".join(scored["misses"])
    assert macro >= 0.85, f"macro-F1 {macro:.3f} < 0.85; per signal: {report}\n{misses}"


def test_meeting_times_exact(scored: dict) -> None:
    share = scored["exact"] / scored["meetings"]
    assert share >= 0.90, f"meeting_at exact on {scored['exact']}/{scored['meetings']} ({share:.1%})"


@pytest.mark.xfail(
    strict=True,
    reason="the learned chatter threshold keeps silence on real updates under 1.5 % on unseen voices; at that "
    "setting a chatter message or two here still gets a question (see README, Analyzer)",
)
def test_no_replies_to_chatter(scored: dict) -> None:
    assert scored["chatter_replies"] == 0
