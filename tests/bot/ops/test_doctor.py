"""`wiift doctor` as an admin runs it: one line per check, against the stand-in Slack and a real database, and a
non-zero exit with a line that says what is wrong and what to do."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from argparse import Namespace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.jobs.scheduler import LEASE_NAME, LEASE_TERM
from bot.ops import doctor
from bot.standin import FakeSlack
from storage.db import alembic_config, database_now, init_db, make_engine, unit_of_work
from storage.lease import acquire
from storage.models import SchedulerLease
from tests.conftest import START, Wiift

REPO = Path(__file__).resolve().parents[3]
MANIFEST_SCOPES = json.loads((REPO / "manifest.json").read_text())["oauth_config"]["scopes"]["bot"]

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()  # the newest migration


@pytest.fixture
def slack(slack: FakeSlack) -> FakeSlack:
    """The suite's stand-in, granting the manifest's scopes as a fresh install does."""
    slack.scopes = tuple(MANIFEST_SCOPES)
    return slack


def _env(slack: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-doctor",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": slack.base_url,
        "DATABASE_URL": database_url,
        **extra,
    }


def _migrated(database_url: str) -> str:
    engine = make_engine(database_url)
    init_db(engine)
    engine.dispose()
    return database_url


def _doctor(env: dict[str, str], *, now: datetime = START, manifest: Path | None = None) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = doctor.run(Namespace(manifest=str(manifest) if manifest else None), env=env, out=out, clock=lambda: now)
    return code, out.getvalue().splitlines()


def _line(lines: list[str], name: str) -> str:
    [line] = [line for line in lines if line.split()[1] == f"{name}:"]
    return line


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_healthy_install_gets_one_ok_line_per_check(slack: FakeSlack, database_url: str) -> None:
    code, lines = _doctor(_env(slack, _migrated(database_url)))
    assert code == 0
    assert [line.split()[1] for line in lines] == [
        "settings:",
        "database:",
        "migrations:",
        "token:",
        "scopes:",
        "scheduler:",
        "queue:",
    ]
    assert _line(lines, "token") == "OK    token: valid: @wiift (UWIIFTBOT) in wiift (T0WIIFT)"
    assert _line(lines, "scopes") == f"OK    scopes: all {len(MANIFEST_SCOPES)} the manifest asks for are granted"
    assert _line(lines, "migrations").startswith(f"OK    migrations: at {HEAD}, the newest")
    assert _line(lines, "scheduler").startswith("WARN  scheduler: no instance has led the scheduler yet")
    assert [c.method for c in slack.calls] == ["auth.test"]  # looking changes nothing


def test_a_wrong_token_fails_clearly_from_the_command_line(slack: FakeSlack, database_url: str, tmp_path: Path) -> None:
    slack.accept_only("xoxb-the-right-one")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WIIFT_", "DATABASE_URL"))}
    env |= _env(slack, _migrated(database_url), SLACK_BOT_TOKEN="xoxb-a-wrong-one")
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "doctor", "--manifest", str(REPO / "manifest.json")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert _line(lines, "token") == (
        "FAIL  token: Slack refused SLACK_BOT_TOKEN (invalid_auth): "
        "copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions"
    )
    assert _line(lines, "scopes") == "SKIP  scopes: needs a valid token"
    assert _line(lines, "database").startswith("OK")
    assert lines[-1] == "wiift doctor: 1 problem (token)"
    assert "xoxb-a-wrong-one" not in done.stdout + done.stderr
    assert done.stderr == ""


def test_an_unreachable_database_fails_clearly_and_what_needs_it_is_skipped(slack: FakeSlack) -> None:
    url = f"postgresql://wiift:secret@127.0.0.1:{_closed_port()}/wiift"
    code, lines = _doctor(_env(slack, url))
    assert code == 1
    database = _line(lines, "database")
    assert database.startswith("FAIL  database: cannot reach postgresql://wiift:***@127.0.0.1:")
    assert "refused" in database.lower() and "secret" not in "\n".join(lines)
    for name in ("migrations", "scheduler", "queue"):
        assert _line(lines, name).startswith("SKIP")
    assert _line(lines, "token").startswith("OK")
    assert lines[-1] == "wiift doctor: 1 problem (database)"


def test_a_missing_sqlite_file_is_named_and_not_created(slack: FakeSlack, tmp_path: Path) -> None:
    code, lines = _doctor(_env(slack, f"sqlite:///{tmp_path / 'nowhere.db'}"))
    assert code == 1
    assert _line(lines, "database") == (
        f"FAIL  database: no database file at {tmp_path / 'nowhere.db'} (`wiift db upgrade` creates it)"
    )
    assert not (tmp_path / "nowhere.db").exists()


def test_an_unmigrated_database_says_how_to_migrate(slack: FakeSlack, database_url: str) -> None:
    make_engine(database_url).connect().close()  # the file exists, with no tables
    code, lines = _doctor(_env(slack, database_url))
    assert code == 1
    assert _line(lines, "migrations") == (
        f"FAIL  migrations: at no revision (an empty database), newest {HEAD}: run `wiift db upgrade` (or start wiift)"
    )


def test_a_missing_scope_is_named(database_url: str) -> None:
    with FakeSlack(scopes=[s for s in MANIFEST_SCOPES if s != "reactions:write"] + ["files:read"]) as slack:
        code, lines = _doctor(_env(slack, _migrated(database_url)))
    assert code == 1
    assert _line(lines, "scopes") == (
        "FAIL  scopes: missing reactions:write: update the app from manifest.json and reinstall it (Install App)"
    )


def test_a_missing_setting_is_named_and_the_database_still_checked(slack: FakeSlack, database_url: str) -> None:
    env = _env(slack, _migrated(database_url))
    del env["SLACK_BOT_TOKEN"]
    code, lines = _doctor(env)
    assert code == 1
    assert _line(lines, "settings") == (
        "FAIL  settings: SLACK_BOT_TOKEN is not set (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)"
    )
    assert _line(lines, "database").startswith("OK") and _line(lines, "token") == "SKIP  token: needs valid settings"


def test_the_scheduler_lease_holder_and_a_lapsed_lease(slack: FakeSlack, database_url: str) -> None:
    engine = make_engine(_migrated(database_url))
    with unit_of_work(engine) as session:  # the lease runs on the database's clock
        acquire(session=session, name=LEASE_NAME, holder="host-a:41:beef", term=LEASE_TERM)
    env = _env(slack, database_url)
    code, lines = _doctor(env)
    assert code == 0 and _line(lines, "scheduler").startswith("OK    scheduler: led by host-a:41:beef, lease renewed")
    with unit_of_work(engine) as session:
        lease = session.get(SchedulerLease, LEASE_NAME)
        assert lease is not None
        lease.expires_at = database_now(session) - timedelta(minutes=10, seconds=5)
        session.add(lease)
    engine.dispose()
    code, lines = _doctor(env)
    assert code == 1
    assert _line(lines, "scheduler").startswith(
        "FAIL  scheduler: no instance leads the scheduler: the lease of host-a:41:beef lapsed 10 minutes ago"
    )


def test_the_queue_counts_jobs_due_overdue_and_for_later(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.command("/deal", "call tomorrow 3pm")  # its prep DM's job is due at 14:00 New York tomorrow
    env = _env(wiift.slack, wiift.settings.database_url)
    _, lines = _doctor(env, now=START)
    assert _line(lines, "queue") == (
        "OK    queue: 0 jobs due (none overdue), 0 running, 0 failed, 1 for later; no digest being sent"
    )
    wiift.close()  # no workers: the job falls due and waits
    _, lines = _doctor(env, now=datetime(2026, 11, 17, 19, 30, tzinfo=UTC))  # half an hour after it fell due
    assert _line(lines, "queue").startswith("WARN  queue: 1 job due (1 overdue (are any workers running?))")
