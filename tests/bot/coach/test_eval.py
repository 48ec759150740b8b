"""Scores the analyzer on the labelled dev set: signal macro-F1, meeting times, silence on chatter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[3] / ".." / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="module")
def scored(scorer: Callable[[Path], dict]) -> dict:
    if not DEV.exists():
        pytest.skip(f"dev set not found at {DEV.resolve()} (the shared dir must sit beside the repo)")
    return scorer(DEV)


def test_signal_macro_f1(scored: dict) -> None:
    f1 = scored["f1"]
    macro = sum(f1.values()) / len(f1)
    report = ", ".join(f"{s} {v:.3f}" for s, v in f1.items())
    assert macro >= 0.92, f"macro-F1 {macro:.3f} < 0.92; per signal: {report}"


def test_meeting_times_exact(scored: dict) -> None:
    share = scored["exact"] / scored["meetings"]
    assert share >= 0.95, f"meeting_at exact on {scored['exact']}/{scored['meetings']} ({share:.1%})"


@pytest.mark.xfail(
    strict=True,
    reason="the learned chatter threshold keeps silence on real updates under 1.5 % on unseen voices; at that "
    "setting a chatter message or two here still gets a question (see README, Analyzer)",
)
def test_no_replies_to_chatter(scored: dict) -> None:
    assert scored["chatter_replies"] == 0
