"""One engine per process, one short-lived session per unit of work.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and every transaction starts with
BEGIN IMMEDIATE: Bolt runs listeners on worker threads, and a deferred transaction that reads and then
writes can fail with "database is locked" instead of waiting its turn.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Dialect, Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, create_engine

from storage import (
    models,  # noqa: F401  (registers the tables on SQLModel.metadata)
    storable,
)

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "wiift_read_only"


def normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here, the driver wiift installs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


Db = Session | Connection  # what storage functions run their statements on
IDLE_IN_TRANSACTION_S = 60.0  # PostgreSQL ends a transaction left open this long (see `make_engine`)


def dialect_of(db: Db) -> str:
    return db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name


def make_engine(
    url: str, *, idle_in_transaction_s: float = IDLE_IN_TRANSACTION_S, threads: int | None = None, **kwargs: Any
) -> Engine:
    """Errors never carry the statement's parameters: they can hold the text of a note.

    `threads`: how many of the process's threads may hold a connection at once. On PostgreSQL the pool keeps
    that many once opened (it opens them as they are needed); with SQLAlchemy's default of five, every request
    beyond the fifth at once opened a connection and closed it again, which put 20 ms on the ack's p99.

    On PostgreSQL the server ends a transaction left idle for `idle_in_transaction_s`: a process frozen inside
    one (SIGSTOP, a paused VM) would otherwise hold its row locks (a claimed job, the scheduler's lease) for as
    long as it sleeps. No unit of work waits on anything outside the database, so none is idle that long.
    No pre-ping: it is a round trip on every checkout, and a connection the server dropped fails its one unit
    of work instead (Slack's redelivery or the job's retry runs it again) while the pool throws away every
    connection as old as it."""
    storable.install()  # both databases refuse what PostgreSQL would (NUL bytes, over-long strings)
    url = normalise_url(url)
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
    else:
        if threads is not None:
            kwargs.setdefault("pool_size", threads)
        engine = create_engine(url, **kwargs)
        _configure_postgresql(engine, idle_in_transaction_s)
    return engine


def _configure_postgresql(engine: Engine, idle_in_transaction_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit, dbapi_connection.autocommit = dbapi_connection.autocommit, True  # a session setting, kept
        dbapi_connection.execute(f"SET idle_in_transaction_session_timeout = {int(idle_in_transaction_s * 1000)}")
        dbapi_connection.autocommit = autocommit


def _configure_sqlite(engine: Engine) -> None:
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # SQLite lets one writer in at a time and makes the others poll with growing sleeps; queueing this
    # process's transactions on a lock instead hands the database over the moment it is free.
    writer = threading.RLock()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")  # WAL readers see a snapshot and wait for no one
            return
        writer.acquire()
        connection.info["wiift_writer"] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection)
            raise

    def _release(connection: Any) -> None:
        if connection.info.pop("wiift_writer", False):
            writer.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FOREIGN_TABLES: frozenset[str] = frozenset()  # tables other libraries own, left out of migrations
MIGRATION_LOCK = 0x77696966  # "wiif": the advisory lock that serialises migrations on PostgreSQL


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """What Alembic compares and migrates: every table but the ones other libraries own."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def init_db(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic owns it; see storage/migrations)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # instances starting together migrate one at a time
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), "head")


@contextmanager
def unit_of_work(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """A session that commits when the block ends, rolls back on error, and always closes.

    A `read_only` unit writes nothing: on SQLite it reads a snapshot without queueing behind writers.
    Never call the Slack API or the job store inside a unit: on SQLite it holds the write lock.
    """
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def transaction(engine: Engine, *, read_only: bool = False, standalone: bool = False) -> Iterator[Connection]:
    """A unit of work without the ORM's session, for the statements that run for every message: it commits
    when the block ends and rolls back on error (the same rules as `unit_of_work`).

    `standalone`: each statement in the block stands alone (one insert, or steps that need no transaction
    together), and PostgreSQL commits each by itself, durably, without the round trips for BEGIN and COMMIT
    (SQLite still begins: its writers queue on a lock)."""
    if standalone and engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection
        return
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    with bind.begin() as connection:
        yield connection


@contextmanager
def driver_cursor(engine: Engine) -> Iterator[Any]:
    """PostgreSQL: the driver's own cursor on a pooled connection in autocommit, each statement committed by
    itself when it returns. For the statements that run for every message on their own (the job's insert
    before Slack's ack, a worker's claim, a job's end), where SQLAlchemy's execution layers cost more CPU than
    the statement (0.3 ms against 0.5–0.65 for the insert). Driver errors come out as SQLAlchemy's, as from
    any unit of work; a connection the error broke leaves the pool."""
    dbapi = engine.dialect.loaded_dbapi
    try:
        fairy = engine.raw_connection()
    except dbapi.Error as exc:  # no connection to be had: the server is down or refuses us
        raise DBAPIError.instance(None, None, exc, dbapi.Error, hide_parameters=True) from exc
    connection = fairy.driver_connection
    try:
        connection.autocommit = True  # a client-side switch: no round trip
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            if not connection.closed:
                connection.autocommit = False  # as the pool hands connections to everyone else
    except dbapi.Error as exc:
        if isinstance(exc, dbapi.OperationalError) or connection.broken:
            fairy.invalidate(exc)
        raise DBAPIError.instance(None, None, exc, dbapi.Error, hide_parameters=True) from exc
    finally:
        fairy.close()


def driver_execute(
    engine: Engine, statement: Executable, params: dict[str, Any], *, column_keys: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """PostgreSQL: run a statement built once (SQLAlchemy Core) on `driver_cursor`, committed when it returns,
    compiled once per engine; its rows as dicts, as the driver reads them (timestamps aware, in the session's
    zone). `column_keys`: the columns an insert is given at run time."""
    sql, fixed = _driver_sql(statement, engine.dialect, column_keys)
    with driver_cursor(engine) as cursor:
        cursor.execute(sql, fixed | params)
        if cursor.description is None:
            return []
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def execute_alone(engine: Engine, statement: Executable, params: dict[str, Any]) -> list[dict[str, Any]]:
    """One statement by itself, committed when it returns, its rows as dicts: on PostgreSQL through
    `driver_execute`, elsewhere in a transaction of its own."""
    if engine.dialect.name == "postgresql":
        return driver_execute(engine, statement, params)
    with transaction(engine) as connection:
        result = connection.execute(statement, params)
        return [dict(row) for row in result.mappings()] if result.returns_rows else []


@functools.lru_cache(maxsize=64)  # a few statements per engine (the tests make many engines)
def _driver_sql(statement: Executable, dialect: Dialect, column_keys: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """The driver's SQL text, and the values of the parameters the statement fixes itself (`state = 'ready'`)."""
    compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) or None)
    required = {name for name, bind in compiled.binds.items() if bind.required}
    return str(compiled), {name: value for name, value in compiled.params.items() if name not in required}


def database_now(session: Db) -> datetime:
    """The database server's clock (UTC): one clock for every host that shares the database."""
    if dialect_of(session) == "sqlite":
        raw = session.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
        return datetime.fromisoformat(str(raw)).replace(tzinfo=UTC)
    value = session.execute(text("SELECT clock_timestamp()")).scalar_one()
    return value.astimezone(UTC)


class DatabaseClock:
    """The database's clock without a round trip each time: read once, then carried forward on this host's
    monotonic clock and read again every `every_s`. A host whose wall clock is wrong or jumps still agrees
    with the database, to within what the monotonic clock drifts in `every_s` (microseconds)."""

    def __init__(self, engine: Engine, *, every_s: float = 10.0) -> None:
        self.engine = engine
        self.every_s = every_s
        self._lock = threading.Lock()
        self._anchor: tuple[datetime, float] | None = None

    def __call__(self) -> datetime:
        with self._lock:
            anchor, read_at = self._anchor or (None, 0.0)
            elapsed = time.monotonic() - read_at
            if anchor is None or elapsed >= self.every_s:
                with transaction(self.engine, read_only=True) as connection:
                    anchor, read_at = database_now(connection), time.monotonic()
                self._anchor, elapsed = (anchor, read_at), 0.0
        return anchor + timedelta(seconds=elapsed)
