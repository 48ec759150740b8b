"""Throughput and latency of the coaching engine: analyze + choose_question over the labelled corpus, in process,
one core.

Run from the repo root: python bench/coach.py. The corpus (data/updates/) is repeated to 20,000 messages; the
engine's rate is printed beside two baselines from the same run (strip_markup alone, and the hand-written rules
alone, as the engine read before it learned). p99 is per message, timed one by one in a separate pass. Peak
memory is tracemalloc's peak of Python allocations during one engine pass; the model's load time and size
are measured first, in a fresh analyzer.
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

from bot.coach import Analyzer, DealState, choose_question, strip_markup  # noqa: E402
from bot.coach.analysis import analyze_rules  # noqa: E402
from bot.coach.learned import ARTEFACT, Learned  # noqa: E402

CORPUS = ROOT / "data" / "updates"
TOTAL = 20_000
Message = tuple[str, datetime, str, str]


def load() -> list[Message]:
    rows = [json.loads(line) for path in sorted(CORPUS.glob("*.jsonl")) for line in path.read_text().splitlines()]
    base = [(r["text"], datetime.fromisoformat(r["now"]), r["tz"], r["id"]) for r in rows if r]
    return [base[i % len(base)] for i in range(TOTAL)]


def engine(analyzer: Analyzer, messages: list[Message]) -> int:
    state, asked = DealState(name="Acme"), 0
    for text, now, tz, salt in messages:
        analysis = analyzer.analyze(text, now=now, tz=tz)
        if analysis.reply == "question":
            choose_question(analysis, state, salt=salt)
            asked += 1
    return asked


def rules_only(messages: list[Message]) -> int:
    state, asked = DealState(name="Acme"), 0
    for text, now, tz, salt in messages:
        analysis = analyze_rules(text, now=now, tz=tz)
        if analysis.reply == "question":
            choose_question(analysis, state, salt=salt)
            asked += 1
    return asked


def markup_only(messages: list[Message]) -> int:
    return sum(len(strip_markup(text)) for text, _, _, _ in messages)


def timed(fn, *args, clock=time.perf_counter) -> float:  # type: ignore[no-untyped-def]
    start = clock()
    fn(*args)
    return clock() - start


def p99(analyzer: Analyzer, messages: list[Message]) -> float:
    state, clock, took = DealState(name="Acme"), time.perf_counter, []
    for text, now, tz, salt in messages:
        start = clock()
        analysis = analyzer.analyze(text, now=now, tz=tz)
        if analysis.reply == "question":
            choose_question(analysis, state, salt=salt)
        took.append(clock() - start)
    took.sort()
    return took[int(len(took) * 0.99)]


def main() -> int:
    if not ARTEFACT.exists():
        print(f"no model at {ARTEFACT}: run `make model`")
        return 1
    tracemalloc.start()
    start = time.perf_counter()
    learned = Learned.load()
    load_seconds = time.perf_counter() - start
    _, load_peak = tracemalloc.get_traced_memory()
    resident = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    analyzer = Analyzer(learned)
    messages = load()
    engine(analyzer, messages[:3000])  # warm up regex caches, zoneinfo and the per-word weight caches
    rules_only(messages[:500])
    baseline = timed(markup_only, messages)
    rules = timed(rules_only, messages)
    seconds = timed(engine, analyzer, messages)
    cpu = timed(engine, analyzer, messages, clock=time.process_time)  # CPU time: less sensitive to a busy machine
    rules_cpu = timed(rules_only, messages, clock=time.process_time)
    latency = p99(analyzer, messages)
    tracemalloc.start()
    engine(analyzer, messages)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rate = TOTAL / seconds
    print(f"messages:            {TOTAL:,} (corpus of {len({m[3] for m in messages}):,} repeated)")
    size = ARTEFACT.stat().st_size / 1024
    print(f"model:               {size:,.0f} KiB on disk, loaded in {load_seconds * 1000:.0f} ms")
    print(f"model in memory:     {resident / 2**20:.1f} MiB held after loading (peak {load_peak / 2**20:.1f} MiB)")
    print(f"engine:              {rate:,.0f} messages/s, {seconds:.3f} s total; p99 {latency * 1000:.2f} ms a message")
    print(f"engine, CPU time:    {TOTAL / cpu:,.0f} messages/s of CPU time (rules alone: {TOTAL / rules_cpu:,.0f})")
    print(f"baseline (rules):    {TOTAL / rules:,.0f} messages/s (the hand-written rules alone)")
    print(f"baseline (markup):   {TOTAL / baseline:,.0f} messages/s (strip_markup alone)")
    print(f"engine / rules:      {seconds / rules:.2f}x the cost of the rules alone")
    print(f"peak memory:         {peak / 1024:,.0f} KiB (tracemalloc peak during one engine pass)")
    met = rate >= 5_000 and latency < 0.002
    print(f"target >= 5,000/s, p99 < 2 ms: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
