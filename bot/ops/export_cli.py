"""`wiift export [--team T] [--format json|csv] [--out PATH]`: a team's data out, for a CRM import or an audit.

Deals, stakeholders, notes and calls, every stored column, read in one transaction. JSON (the default) is one
document: `{"format": "wiift-export/1", "wiift": VERSION, "exported_at", "team", "deals": [...], ...}` with
times in ISO 8601 (UTC). CSV is one file per table in the `--out` directory, a header row first; an empty
cell is a missing value and booleans are `true`/`false`. Text is written exactly as it was stored.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.core.clock import Clock, system_clock
from bot.core.settings import ConfigError, database_url_from
from bot.ops.checks import shown_url
from bot.slack.plural import plural
from storage import export
from storage.health import missing_sqlite_file, probe_engine

FORMAT = "wiift-export/1"
NOUNS = {"deals": "deal", "stakeholders": "stakeholder", "notes": "note", "calls": "call"}
_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,31}$")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("export", help="write deals, stakeholders, notes and calls out as JSON or CSV")
    parser.add_argument("--team", help="only this workspace (T…); default: every workspace in the database")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--out", help="json: a file (default: standard output); csv: a directory for four files")


def run(
    args: argparse.Namespace, *, env: Mapping[str, str], out: TextIO, err: TextIO, clock: Clock = system_clock
) -> int:
    problem = _argument_problem(args)
    if problem:
        print(f"wiift: {problem}", file=err)
        return 2
    try:
        url = database_url_from(env)
    except ConfigError as exc:
        print(f"wiift: {exc}", file=err)
        return 2
    missing = missing_sqlite_file(url)
    if missing is not None:
        print(f"wiift: no database file at {missing}: nothing to export", file=err)
        return 1
    engine = probe_engine(url)
    try:
        return _export(engine, args, out=out, err=err, now=clock())
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        print(f"wiift: database {shown_url(url)}: {str(cause).splitlines()[0]}", file=err)
        return 1
    finally:
        engine.dispose()


def _argument_problem(args: argparse.Namespace) -> str | None:
    if args.team is not None and not _TEAM_ID.match(args.team):
        return f"--team takes a workspace id such as T0123ABCD, not {args.team!r}"
    if args.format == "csv":
        if not args.out:
            return "--format csv writes four files: give a directory with --out DIR"
        taken = [name for name in export.TABLES if (Path(args.out) / f"{name}.csv").exists()]
        if taken:
            return f"{Path(args.out) / taken[0]}.csv already exists: choose an empty directory"
    elif args.out and Path(args.out).is_dir():
        return f"--out {args.out} is a directory: JSON goes to one file"
    return None


def _export(engine: Engine, args: argparse.Namespace, *, out: TextIO, err: TextIO, now: datetime) -> int:
    if engine.dialect.name == "postgresql":  # one snapshot for all four tables
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with Session(engine) as session:
        if args.team is not None and args.team not in export.teams_with_deals(session=session):
            known = ", ".join(export.teams_with_deals(session=session)) or "none"
            print(f"wiift: no deals are stored for team {args.team} (teams with deals: {known})", file=err)
            return 1
        tables = {name: export.rows(session=session, table=name, team_id=args.team) for name in export.TABLES}
        if args.format == "csv":
            counts = _write_csv(tables, Path(args.out))
        elif args.out:
            with open(args.out, "w", encoding="utf-8") as file:
                counts = _write_json(tables, file, team=args.team, now=now)
        else:
            counts = _write_json(tables, out, team=args.team, now=now)
    where = args.out or "standard output"
    summary = ", ".join(plural(counts[name], NOUNS[name]) for name in export.TABLES)
    print(f"wiift export: {summary} to {where}", file=err if where == "standard output" else out)
    return 0


def _write_json(
    tables: Mapping[str, Iterator[dict[str, Any]]], file: TextIO, *, team: str | None, now: datetime
) -> dict[str, int]:
    head = {"format": FORMAT, "wiift": version("wiift"), "exported_at": now.isoformat(), "team": team}
    file.write(json.dumps(head, ensure_ascii=False)[:-1])
    counts = {}
    for name, rows in tables.items():
        file.write(f', "{name}": [')
        counts[name] = 0
        for row in rows:
            file.write(("," if counts[name] else "") + "\n  " + json.dumps(_json_row(row), ensure_ascii=False))
            counts[name] += 1
        file.write("\n]" if counts[name] else "]")
    file.write("}\n")
    return counts


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def _write_csv(tables: Mapping[str, Iterator[dict[str, Any]]], directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in tables.items():
        with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=export.columns(name))
            writer.writeheader()
            counts[name] = 0
            for row in rows:
                writer.writerow({k: _csv_cell(v) for k, v in row.items()})
                counts[name] += 1
    return counts


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
