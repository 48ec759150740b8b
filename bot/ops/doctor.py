"""`wiift doctor`: one line per check of a deployment, and a non-zero exit when any check fails.

The checks are a list of small functions over one `Checkup`; a later check can lean on what an earlier one
found (the token's answer carries the scopes) and is skipped when what it needs is broken. Add a check by
appending a function to `CHECKS`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.core.clock import Clock, system_clock
from bot.core.settings import ConfigError, Settings, database_url_from
from bot.jobs.scheduler import LEASE_NAME, LEASE_TERM
from bot.ops import checks
from bot.ops.checks import Finding
from bot.slack.plural import plural
from storage.health import probe_engine

MANIFEST = "manifest.json"
SOURCE_CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass
class Checkup:
    """What the checks share: the environment, and what earlier checks found."""

    env: Mapping[str, str]
    now: datetime
    manifest: Path | None
    settings: Settings | None = None
    engine: Engine | None = None
    client: WebClient | None = None
    auth: SlackResponse | None = None
    passed: set[str] = field(default_factory=set)


Check = Callable[[Checkup], Finding]


def check_settings(up: Checkup) -> Finding:
    try:
        up.settings = Settings.from_env(up.env)
    except ConfigError as exc:
        return Finding("settings", "fail", str(exc))
    up.client = checks.probe_client(up.settings)
    return checks.settings_summary(up.settings, up.env)


def check_database(up: Checkup) -> Finding:
    try:
        url = up.settings.database_url if up.settings else database_url_from(up.env)
        up.engine = probe_engine(url)
    except (ConfigError, SQLAlchemyError, ValueError, ImportError) as exc:
        return Finding("database", "fail", f"DATABASE_URL cannot be used: {exc}")
    return checks.database(up.engine, url=url)


def check_migrations(up: Checkup) -> Finding:
    if up.engine is None or "database" not in up.passed:
        return Finding("migrations", "skip", "needs the database")
    return checks.migrations(up.engine)


def check_token(up: Checkup) -> Finding:
    if up.client is None:
        return Finding("token", "skip", "needs valid settings")
    finding, up.auth = checks.token(up.client)
    return finding


def check_scopes(up: Checkup) -> Finding:
    if up.auth is None:
        return Finding("scopes", "skip", "needs a valid token")
    if up.manifest is None or not up.manifest.is_file():
        return Finding("scopes", "fail", f"no {MANIFEST} to compare with: pass `--manifest PATH`")
    try:
        wanted = json.loads(up.manifest.read_text())["oauth_config"]["scopes"]["bot"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Finding("scopes", "fail", f"cannot read the bot scopes from {up.manifest}: {exc}")
    return checks.scopes(checks.granted_scopes(up.auth), wanted)


def check_scheduler(up: Checkup) -> Finding:
    if up.engine is None or "migrations" not in up.passed:
        return Finding("scheduler", "skip", "needs a database with the current schema")
    return checks.scheduler_lease(up.engine, name=LEASE_NAME, term=LEASE_TERM)


def check_queue(up: Checkup) -> Finding:
    """The job table's depth: due, overdue, running, failed, stored for later."""
    if up.engine is None or "migrations" not in up.passed:
        return Finding("queue", "skip", "needs a database with the current schema")
    return checks.queue_depth(up.engine, now=up.now)


CHECKS: list[Check] = [
    check_settings,
    check_database,
    check_migrations,
    check_token,
    check_scopes,
    check_scheduler,
    check_queue,
]


def run_checks(up: Checkup, check_list: list[Check] | None = None) -> list[Finding]:
    findings = []
    try:
        for check in check_list or CHECKS:
            finding = check(up)
            if finding.status in ("ok", "warn"):
                up.passed.add(finding.name)
            findings.append(finding)
    finally:
        if up.engine is not None:
            up.engine.dispose()
    return findings


def find_manifest(explicit: str | None) -> Path | None:
    """`--manifest`, else `manifest.json` here, else the one in the source checkout wiift runs from."""
    if explicit:
        return Path(explicit)
    for candidate in (Path.cwd() / MANIFEST, SOURCE_CHECKOUT / MANIFEST):
        if candidate.is_file():
            return candidate
    return None


def add_parser(sub: Any) -> None:
    doctor = sub.add_parser("doctor", help="check settings, database, token, scopes, scheduler and queue")
    doctor.add_argument("--manifest", help=f"the app manifest to check scopes against (default: ./{MANIFEST})")


def run(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO | None = None,
    clock: Clock = system_clock,
) -> int:
    """Every finding goes to `out` (a failing check is an answer, not an error)."""
    up = Checkup(env=env, now=clock(), manifest=find_manifest(args.manifest))
    findings = run_checks(up)
    for finding in findings:
        print(finding.line(), file=out)
    failed = [f for f in findings if f.status == "fail"]
    if failed:
        print(f"wiift doctor: {plural(len(failed), 'problem')} ({', '.join(f.name for f in failed)})", file=out)
        return 1
    return 0
