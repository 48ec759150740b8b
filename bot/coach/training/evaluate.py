"""Scoring an analyzer on labelled rows, and grouped cross-validation by voice (train on others, score the held-out)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.coach.engine import Analyzer
from bot.coach.learned import Learned
from bot.coach.model import SIGNALS, Analysis
from bot.coach.training.fit import Config, Example, folds_of, prepare, train


@dataclass
class Report:
    """Counts behind the figures: per-signal tp/fp/fn, stakeholder spans, meeting times, silence."""

    counts: dict[str, list[int]] = field(default_factory=lambda: {s: [0, 0, 0] for s in SIGNALS})
    people: list[int] = field(default_factory=lambda: [0, 0, 0])  # gold spans, predicted spans, exact hits
    meetings: int = 0  # rows with a gold meeting_at
    exact: int = 0
    wrong_times: int = 0  # a meeting_at given where the gold has none
    chatter_answered: int = 0
    updates: int = 0
    updates_silenced: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, row: dict, analysis: Analysis) -> None:
        gold, got = set(row["signals"]), set(analysis.signals)
        for signal in SIGNALS:
            self.counts[signal][0] += signal in gold and signal in got
            self.counts[signal][1] += signal in got and signal not in gold
            self.counts[signal][2] += signal in gold and signal not in got
        wanted, found = set(row["stakeholders"]), set(analysis.stakeholders)
        self.people[0] += len(wanted)
        self.people[1] += len(found)
        self.people[2] += len(wanted & found)
        if gold != got or wanted != found:
            self.misses.append(
                f"{row['id']}: +{sorted(got - gold)} -{sorted(gold - got)}"
                + (f" people +{sorted(found - wanted)} -{sorted(wanted - found)}" if wanted != found else "")
            )
        if row["meeting_at"]:
            self.meetings += 1
            self.exact += analysis.meeting_at == datetime.fromisoformat(row["meeting_at"])
        elif analysis.meeting_at is not None:
            self.wrong_times += 1
        if "chatter" in gold:
            self.chatter_answered += analysis.reply != "none"
        else:
            self.updates += 1
            self.updates_silenced += analysis.reply == "none"

    def f1(self, signal: str) -> float:
        tp, fp, fn = self.counts[signal]
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    def precision(self, signal: str) -> float:
        tp, fp, _ = self.counts[signal]
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, signal: str) -> float:
        tp, _, fn = self.counts[signal]
        return tp / (tp + fn) if tp + fn else 1.0

    @property
    def macro_f1(self) -> float:
        return sum(self.f1(s) for s in SIGNALS) / len(SIGNALS)

    @property
    def stakeholder_recall(self) -> float:
        return self.people[2] / self.people[0] if self.people[0] else 1.0

    @property
    def stakeholder_precision(self) -> float:
        return self.people[2] / self.people[1] if self.people[1] else 1.0

    @property
    def meeting_exact(self) -> float:
        return self.exact / self.meetings if self.meetings else 1.0

    def table(self) -> str:
        lines = ["| signal | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
        for s in SIGNALS:
            tp, _, fn = self.counts[s]
            lines.append(f"| `{s}` | {self.precision(s):.2f} | {self.recall(s):.2f} | {self.f1(s):.2f} | {tp + fn} |")
        return "\n".join(lines)

    def summary(self) -> str:
        return (
            f"macro-F1 {self.macro_f1:.3f}; stakeholders recall {self.stakeholder_recall:.3f} precision "
            f"{self.stakeholder_precision:.3f} ({self.people[2]}/{self.people[0]} exact spans); meeting_at exact "
            f"{self.exact}/{self.meetings} ({self.meeting_exact:.1%}), {self.wrong_times} times where none; chatter "
            f"answered {self.chatter_answered}; updates silenced {self.updates_silenced}/{self.updates}"
        )


def score(rows: Sequence[dict], analyze: Callable[[str, datetime, str], Analysis]) -> Report:
    report = Report()
    for row in rows:
        report.add(row, analyze(row["text"], datetime.fromisoformat(row["now"]), row["tz"]))
    return report


def analyzer_of(artefact: dict) -> Callable[[str, datetime, str], Analysis]:
    analyzer = Analyzer(Learned.from_dict(artefact))
    return lambda text, now, tz: analyzer.analyze(text, now=now, tz=tz)


def cross_validate(
    rows: Sequence[dict],
    config: Config | None = None,
    log: Callable[[str], None] | None = None,
    examples: Sequence[Example] | None = None,
) -> Report:
    """Grouped by voice: for each of `config.folds` folds, train (with its own inner tuning) on the other voices
    and score the held-out voices through the run-time engine."""
    say = log or (lambda _: None)
    config = config or Config()
    examples = list(examples) if examples is not None else prepare(rows)
    folds = folds_of([e.voice for e in examples], config.folds)
    report = Report()
    for fold in range(config.folds):
        started = time.perf_counter()
        train_set = [e for e, f in zip(examples, folds, strict=True) if f != fold]
        held_out = [e.row for e, f in zip(examples, folds, strict=True) if f == fold]
        analyze = analyzer_of(train(train_set, config))
        part = Report()
        for row in held_out:
            analysis = analyze(row["text"], datetime.fromisoformat(row["now"]), row["tz"])
            part.add(row, analysis)
            report.add(row, analysis)
        say(f"fold {fold}: {len(held_out)} held out, {part.summary()} ({time.perf_counter() - started:.1f} s)")
    return report
