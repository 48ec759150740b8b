"""The labelled corpus of deal-channel updates: loading it, and checking every line against COACHING.md.

Run `python -m bot.coach.training.corpus [DIR]` to validate a directory of `*.jsonl` files.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.coach.model import SIGNALS, decide_reply

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "data" / "updates"
MIN_LINES = 2000
MIN_VOICES = 40
FIELDS = ("id", "voice", "text", "now", "tz", "signals", "stakeholders", "meeting_at", "facts", "reply")


def load(directory: Path = CORPUS) -> list[dict]:
    """Every line of every `*.jsonl` file in the directory, in file then line order."""
    rows: list[dict] = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                row["_where"] = f"{path.name}:{number}"
                rows.append(row)
    return rows


def problems_of(row: dict) -> list[str]:
    """What is wrong with one labelled line (empty when nothing is)."""
    missing = [key for key in FIELDS if key not in row]
    if missing:
        return [f"missing {', '.join(missing)}"]
    found: list[str] = []
    text, signals = row["text"], row["signals"]
    if not isinstance(text, str) or not text.strip():
        return ["empty text"]
    unknown = set(signals) - set(SIGNALS)
    if unknown:
        found.append(f"unknown signals {sorted(unknown)}")
    if len(set(signals)) != len(signals):
        found.append("repeated signal")
    if "chatter" in signals and len(signals) > 1:
        found.append("chatter is not alone")
    for key in ("stakeholders", "facts"):
        for span in row[key]:
            if not isinstance(span, str) or not span or span not in text:
                found.append(f"{key[:-1]} {span!r} is not an exact substring of the text")
    if ("stakeholder" in signals) != bool(row["stakeholders"]):
        found.append("`stakeholder` must be present exactly when stakeholders are listed")
    if row["reply"] != decide_reply(set(signals)):
        found.append(f"reply {row['reply']!r} but the rule gives {decide_reply(set(signals))!r}")
    try:
        zone = ZoneInfo(row["tz"])
        now = datetime.fromisoformat(row["now"]).replace(tzinfo=zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        return [*found, f"bad now/tz: {error}"]
    if row["meeting_at"] is not None:
        try:
            moment = datetime.fromisoformat(row["meeting_at"])
        except (ValueError, TypeError):
            return [*found, f"meeting_at {row['meeting_at']!r} is not ISO-8601"]
        if moment.tzinfo is None:
            found.append("meeting_at has no offset")
        elif moment <= now:
            found.append("meeting_at is not after now")
        if "meeting" not in signals:
            found.append("meeting_at without `meeting`")
    return found


def validate(rows: list[dict], *, min_lines: int = MIN_LINES, min_voices: int = MIN_VOICES) -> list[str]:
    """Every problem in the corpus, one line each: per-line problems, repeated ids, too few lines or voices."""
    found = [f"{row.get('_where', row.get('id'))} {row.get('id')}: {p}" for row in rows for p in problems_of(row)]
    repeated = [key for key, count in Counter(row.get("id") for row in rows).items() if count > 1]
    found += [f"id {key!r} is used more than once" for key in repeated]
    if len(rows) < min_lines:
        found.append(f"{len(rows)} lines, fewer than {min_lines}")
    voices = {row.get("voice") for row in rows}
    if len(voices) < min_voices:
        found.append(f"{len(voices)} voices, fewer than {min_voices}")
    return found


def summary(rows: list[dict]) -> str:
    """Lines, voices and how many lines carry each signal."""
    counts = Counter(signal for row in rows for signal in row["signals"])
    voices = len({row["voice"] for row in rows})
    per_signal = ", ".join(f"{s} {counts[s]}" for s in SIGNALS)
    none = sum(1 for row in rows if not row["signals"])
    return f"{len(rows)} lines, {voices} voices; {per_signal}; no signal {none}"


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else CORPUS
    rows = load(directory)
    print(summary(rows))
    found = validate(rows)
    print("\n".join(found[:50]) if found else "every line checks out")
    if len(found) > 50:
        print(f"... and {len(found) - 50} more")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
