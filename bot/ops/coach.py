"""`wiift coach`: try the coaching engine on one message, or score a stream of JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.coach import DealState, analyze, choose_question, default_analyzer
from bot.coach.explain import explain


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wiift coach", description="Run the coaching engine on a message.")
    parser.add_argument("text", nargs="?", help="the message text, as typed in Slack")
    parser.add_argument("--now", help="the message's local time, YYYY-MM-DDTHH:MM (default: now)")
    parser.add_argument("--tz", default="UTC", help="the poster's IANA time zone (default: UTC)")
    parser.add_argument("--jsonl", action="store_true", help='read {"id","text","now","tz"} lines from stdin')
    parser.add_argument("--explain", action="store_true", help="show which rules and model scores led to each signal")
    return parser


def _zone(name: Any) -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise ValueError("tz must be a non-empty string")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown tz {name!r}") from error


def _now(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("now must be an ISO-8601 string")
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"bad now {value!r}: expected YYYY-MM-DDTHH:MM") from error


def coach_record(record: Any) -> dict[str, Any]:
    """One input object to one output object (raises ValueError with a specific message)."""
    if not isinstance(record, dict):
        raise ValueError("line is not a JSON object")
    for key in ("text", "now", "tz"):
        if key not in record:
            raise ValueError(f"missing field {key!r}")
    if not isinstance(record["text"], str):
        raise ValueError("text must be a string")
    _zone(record["tz"])
    analysis = analyze(record["text"], now=_now(record["now"]), tz=record["tz"])
    question = (
        choose_question(analysis, DealState(), salt=str(record.get("id", ""))) if analysis.reply == "question" else None
    )
    return {
        "id": record.get("id"),
        "signals": sorted(analysis.signals),
        "stakeholders": list(analysis.stakeholders),
        "meeting_at": analysis.meeting_at.isoformat() if analysis.meeting_at else None,
        "facts": list(analysis.facts.spans()),
        "reply": analysis.reply,
        "lens": question.lens if question else None,
        "question": question.text if question else None,
    }


def _run_jsonl(stdin: TextIO, stdout: TextIO) -> int:
    failed = False
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        record: Any = None
        try:
            record = json.loads(line)
            result = coach_record(record)
        except json.JSONDecodeError as error:
            result = {"id": None, "error": f"line {number}: invalid JSON: {error.msg}"}
        except ValueError as error:
            record_id = record.get("id") if isinstance(record, dict) else None
            result = {"id": record_id, "error": f"line {number}: {error}"}
        failed = failed or "error" in result
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failed else 0


def _run_one(args: argparse.Namespace, stdout: TextIO) -> int:
    try:
        zone = _zone(args.tz)
        now = _now(args.now) if args.now else datetime.now(zone)  # the CLI, not the engine, may read the clock
    except ValueError as error:
        stdout.write(f"error: {error}\n")
        return 2
    analyzer = default_analyzer()
    reading = analyzer.read(args.text, now=now, tz=args.tz)
    analysis = reading.analysis
    lines = [
        f"signals:      {', '.join(sorted(analysis.signals)) or '(none)'}",
        f"stakeholders: {', '.join(analysis.stakeholders) or '(none)'}",
        f"meeting at:   {analysis.meeting_at.isoformat() if analysis.meeting_at else '(none)'}",
        f"facts:        {' · '.join(analysis.facts.spans()) or '(none)'}",
        f"reply:        {analysis.reply}",
    ]
    if analysis.reply == "question":
        question = choose_question(analysis, DealState())
        lines += [f"lens:         {question.lens}", f"question:     {question.text}"]
    if args.explain:
        lines += ["", "why:", *(f"  {line}" for line in explain(analyzer, reading))]
    stdout.write("\n".join(lines) + "\n")
    return 0


def main(argv: list[str], *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    args = _parser().parse_args(argv)
    if args.jsonl:
        return _run_jsonl(stdin, stdout)
    if args.text is None:
        stdout.write('error: give the message text, e.g. wiift coach "Went dark after the demo", or --jsonl\n')
        return 2
    return _run_one(args, stdout)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
