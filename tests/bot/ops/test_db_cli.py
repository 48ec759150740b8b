"""`wiift db upgrade|current|history`: Alembic's commands over wiift's DATABASE_URL and its migrations."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from argparse import Namespace
from importlib.metadata import version
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.ops import db_cli
from storage.db import alembic_config, make_engine

REPO = Path(__file__).resolve().parents[3]

VERSION = version("wiift")

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()  # the newest migration


def _db(command: str, url: str, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = Namespace(
        db_command=command, revision=options.get("revision", "head"), verbose=options.get("verbose", False)
    )
    code = db_cli.run(args, env={"DATABASE_URL": url}, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_creates_the_schema_once_and_says_where_it_stands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert _db("upgrade", url) == (0, f"{url}: at {HEAD} (was no revision)\n", "")
    assert {"deal", "note", "call", "nudge", "alembic_version"} <= _tables(url)
    assert _db("upgrade", url) == (0, f"{url}: at {HEAD} already\n", "")


def test_current_and_history_show_the_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    make_engine(url).connect().close()
    assert _db("current", url) == (0, "no revision: an empty database (`wiift db upgrade` creates the schema)\n", "")
    _db("upgrade", url)
    assert _db("current", url) == (0, f"{HEAD} (head)\n", "")
    history = _db("history", url)
    assert history[0] == 0
    assert f"-> {HEAD} (head) (current)" in history[1] and "<base> -> 0001, initial schema" in history[1]
    code, out, _ = _db("history", url, verbose=True)
    assert code == 0 and f"Rev: {HEAD} (head) (current)" in out


def test_reading_a_database_that_is_not_there_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    for command in ("current", "history"):
        code, out, err = _db(command, url)
        assert (code, out) == (1, "")
        assert err == f"wiift: no database file at {tmp_path / 'typo.db'} (`wiift db upgrade` creates it)\n"
    assert not (tmp_path / "typo.db").exists()


def test_an_unknown_revision_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    make_engine(url).connect().close()
    code, out, err = _db("upgrade", url, revision="0099")
    assert (code, out) == (1, "")
    assert err == "wiift: Can't locate revision identified by '0099'\n"
    assert _tables(url) == set()


def test_the_commands_run_from_the_command_line_with_the_version(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WIIFT_", "DATABASE_URL"))}
    env |= {"PYTHONPATH": str(REPO), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def wiift(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot.cli", *args]
        return subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    version = wiift("--version")
    assert (version.returncode, version.stdout) == (0, f"wiift {VERSION}\n")
    upgrade = wiift("db", "upgrade")
    assert upgrade.returncode == 0 and upgrade.stdout.endswith(f"at {HEAD} (was no revision)\n")
    assert upgrade.stderr == ""  # no migration chatter
    assert wiift("db", "current").stdout == f"{HEAD} (head)\n"
