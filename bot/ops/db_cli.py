"""`wiift db upgrade|current|history`: Alembic's own commands, over wiift's `DATABASE_URL` and migrations.

`wiift run` applies new migrations at every start; these are for seeing where a database stands, and for
applying migrations by hand before a start (a deploy step, or a database several processes share).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any, TextIO

from alembic import command
from alembic.util import CommandError
from sqlalchemy.exc import SQLAlchemyError

from bot.core.settings import ConfigError, database_url_from
from bot.ops.checks import shown_url
from storage.db import alembic_config, make_engine
from storage.health import missing_sqlite_file, probe_engine, schema_state


def add_parser(sub: Any) -> None:
    db = sub.add_parser("db", help="see or apply the database migrations (DATABASE_URL)")
    actions = db.add_subparsers(dest="db_command", required=True)
    upgrade = actions.add_parser("upgrade", help="apply the migrations up to REVISION (default: the newest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    current = actions.add_parser("current", help="the revision the database is at")
    current.add_argument("--verbose", action="store_true")
    history = actions.add_parser("history", help="every migration, newest first, marking the current one")
    history.add_argument("--verbose", action="store_true")


def run(args: argparse.Namespace, *, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    try:
        url = database_url_from(env)
    except ConfigError as exc:
        print(f"wiift: {exc}", file=err)
        return 2
    # Reading never creates a database: a SQLite file that is not there is reported, not made.
    missing = missing_sqlite_file(url)
    if missing is not None and args.db_command != "upgrade":
        print(f"wiift: no database file at {missing} (`wiift db upgrade` creates it)", file=err)
        return 1
    engine = make_engine(url) if args.db_command == "upgrade" else probe_engine(url)
    try:
        with engine.begin() as connection:
            before = schema_state(connection)
            config = alembic_config(connection)
            config.stdout = out
            if args.db_command == "upgrade":
                command.upgrade(config, args.revision)
                after = schema_state(connection)
            elif args.db_command == "current":
                command.current(config, verbose=args.verbose)
            else:
                command.history(config, verbose=args.verbose, indicate_current=True)
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        print(f"wiift: database {shown_url(url)}: {str(cause).splitlines()[0]}", file=err)
        return 1
    except CommandError as exc:  # Alembic's own refusals: an unknown revision, a database ahead of this code
        print(f"wiift: {exc}", file=err)
        return 1
    finally:
        engine.dispose()
    if args.db_command == "upgrade":
        was, now = _revisions(before.current), _revisions(after.current)
        print(f"{shown_url(url)}: at {now}" + (f" (was {was})" if was != now else " already"), file=out)
    elif args.db_command == "current" and not before.current:
        print("no revision: an empty database (`wiift db upgrade` creates the schema)", file=out)
    return 0


def _revisions(revisions: tuple[str, ...]) -> str:
    return ", ".join(revisions) or "no revision"
