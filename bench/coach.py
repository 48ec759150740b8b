"""Throughput of the coaching engine: analyze + choose_question over the dev set, in process, one core.

Run from the repo root: python bench/coach.py. Peak memory is tracemalloc's peak of Python allocations
during the timed engine run (measured in a separate pass, so tracing does not slow the timed one).
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.coach import DealState, analyze, choose_question, strip_markup  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
TOTAL = 20_000


def load() -> list[tuple[str, datetime, str, str]]:
    rows = [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]
    base = [(r["text"], datetime.fromisoformat(r["now"]), r["tz"], r["id"]) for r in rows]
    return [base[i % len(base)] for i in range(TOTAL)]


def engine(messages: list[tuple[str, datetime, str, str]]) -> int:
    state, asked = DealState(name="Acme"), 0
    for text, now, tz, salt in messages:
        analysis = analyze(text, now=now, tz=tz)
        if analysis.reply == "question":
            choose_question(analysis, state, salt=salt)
            asked += 1
    return asked


def markup_only(messages: list[tuple[str, datetime, str, str]]) -> int:
    return sum(len(strip_markup(text)) for text, _, _, _ in messages)


def timed(fn, messages) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(messages)
    return time.perf_counter() - start


def main() -> int:
    if not DEV.exists():
        print(f"dev set not found at {DEV}")
        return 1
    messages = load()
    engine(messages[:500])  # warm up regex caches and zoneinfo
    baseline = timed(markup_only, messages)
    seconds = timed(engine, messages)
    tracemalloc.start()
    engine(messages)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"messages:            {TOTAL:,} (dev set of {len(set(m[3] for m in messages))} repeated)")
    print(f"engine:              {TOTAL / seconds:,.0f} messages/s, {seconds:.3f} s total")
    print(f"baseline (markup):   {TOTAL / baseline:,.0f} messages/s, {baseline:.3f} s total")
    print(f"engine / baseline:   {seconds / baseline:.1f}x the cost of strip_markup alone")
    print(f"peak memory:         {peak / 1024:,.0f} KiB (tracemalloc peak during one engine pass)")
    print(f"target >= 10,000/s:  {'met' if TOTAL / seconds >= 10_000 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
