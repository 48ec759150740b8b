"""What an operator asks of the database: does it answer, is its schema current, what is waiting to be done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, func, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, col, select

from storage.db import alembic_config, normalise_url
from storage.models import DigestRecord, Nudge

PROBE_TIMEOUT_S = 5


def probe_engine(url: str, *, timeout_s: int = PROBE_TIMEOUT_S) -> Engine:
    """An engine for checks: a fresh connection each time (so a server that went away is noticed), a short
    connect timeout, and, for SQLite, a file that must already exist (a check never creates one)."""
    parsed = make_url(normalise_url(url))
    if parsed.drivername.startswith("sqlite"):
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            absolute = quote(str(Path(database).resolve()))
            parsed = parsed.set(database=f"file:{absolute}", query={"mode": "rw", "uri": "true"})
        return create_engine(parsed, poolclass=NullPool, hide_parameters=True, connect_args={"timeout": timeout_s})
    return create_engine(parsed, poolclass=NullPool, hide_parameters=True, connect_args={"connect_timeout": timeout_s})


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names, when it does not exist (None for other databases, or a file that does)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if not parsed.drivername.startswith("sqlite") or database in ("", ":memory:") or database.startswith("file:"):
        return None
    path = Path(database).resolve()
    return None if path.exists() else path


def ping(connection: Connection) -> None:
    connection.execute(text("SELECT 1"))


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: tuple[str, ...]  # the revisions the database is at (none before the first migration)
    heads: tuple[str, ...]  # the newest revisions this code knows

    @property
    def up_to_date(self) -> bool:
        return set(self.current) == set(self.heads)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Revisions in the database that this code does not know: a newer wiift migrated it."""
        script = ScriptDirectory.from_config(alembic_config())
        return tuple(r for r in self.current if not _known(script, r))


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def schema_state(connection: Connection) -> SchemaState:
    current = MigrationContext.configure(connection).get_current_heads()
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return SchemaState(tuple(sorted(current)), tuple(sorted(heads)))


@dataclass(frozen=True, slots=True)
class PendingWork:
    nudges_waiting: int  # prep DMs scheduled for later
    nudges_overdue: int  # scheduled, and due before `overdue_before`
    nudges_sending: int  # claimed for sending and not yet settled
    digests_sending: int  # weekly digests claimed and not yet settled
    scheduler_jobs: int  # rows in APScheduler's job table


def pending_work(*, session: Session, overdue_before: datetime, job_table: str) -> PendingWork:
    def nudges(*conditions: Any) -> int:
        return int(session.exec(select(func.count()).select_from(Nudge).where(*conditions)).one())

    scheduled = col(Nudge.state) == "scheduled"
    digests = session.exec(select(func.count()).select_from(DigestRecord).where(col(DigestRecord.state) == "claimed"))
    connection = session.connection()
    jobs = 0
    if inspect(connection).has_table(job_table):
        jobs = int(connection.execute(text(f"SELECT COUNT(*) FROM {job_table}")).scalar_one())
    return PendingWork(
        nudges_waiting=nudges(scheduled),
        nudges_overdue=nudges(scheduled, col(Nudge.due_at) < overdue_before),
        nudges_sending=nudges(col(Nudge.state) == "sending"),
        digests_sending=int(digests.one()),
        scheduler_jobs=jobs,
    )
