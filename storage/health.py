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
from sqlalchemy import Connection, Engine, create_engine, func, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, col, select

from storage.db import alembic_config, normalise_url
from storage.models import DigestRecord, Job

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
    jobs_due: int  # jobs in the job table that are due and waiting for a worker
    jobs_overdue: int  # of those, due before `overdue_before`: are any workers running?
    jobs_running: int  # claimed by a worker and not yet finished
    jobs_failed: int  # given up after their retries
    jobs_later: int  # stored for later: pre-call nudges, retries with backoff
    digests_sending: int  # weekly digests claimed and not yet settled


def pending_work(*, session: Session, now: datetime, overdue_before: datetime) -> PendingWork:
    def jobs(*conditions: Any) -> int:
        return int(session.exec(select(func.count()).select_from(Job).where(*conditions)).one())

    ready = col(Job.state) == "ready"
    digests = session.exec(select(func.count()).select_from(DigestRecord).where(col(DigestRecord.state) == "claimed"))
    return PendingWork(
        jobs_due=jobs(ready, col(Job.run_at) <= now),
        jobs_overdue=jobs(ready, col(Job.run_at) < overdue_before),
        jobs_running=jobs(col(Job.state) == "running"),
        jobs_failed=jobs(col(Job.state) == "failed"),
        jobs_later=jobs(ready, col(Job.run_at) > now),
        digests_sending=int(digests.one()),
    )
