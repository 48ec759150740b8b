"""`make model`: validate the corpus, fit the analyzer's model on it and write the artefact.

    python -m bot.coach.training [--cv] [--data DIR] [--out FILE]

`--cv` also prints the voice-held-out cross-validation figures (what the README reports).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bot.coach.learned import ARTEFACT
from bot.coach.training.corpus import CORPUS, load, summary, validate
from bot.coach.training.evaluate import cross_validate
from bot.coach.training.fit import Config, prepare, train


def write(artefact: dict, path: Path) -> None:
    """Compact, keys sorted: the same corpus gives the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(artefact, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.coach.training", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=ARTEFACT)
    parser.add_argument("--cv", action="store_true", help="print the voice-held-out cross-validation figures")
    parser.add_argument("--any-size", action="store_true", help="train on a corpus below the size bars (a draft)")
    args = parser.parse_args(argv)
    rows = load(args.data)
    print(summary(rows))
    problems = validate(rows, min_lines=0, min_voices=0) if args.any_size else validate(rows)
    if problems:
        print("\n".join(problems[:50]))
        return 1
    examples = prepare(rows)
    config = Config()
    if args.cv:
        report = cross_validate(rows, config, log=print, examples=examples)
        print(report.summary())
        print(report.table())
    started = time.perf_counter()
    artefact = train(examples, config, log=print)
    write(artefact, args.out)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1024:,.0f} KiB) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
