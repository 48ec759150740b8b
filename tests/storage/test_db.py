"""storage.db's driver cursor (the ack path's one statement) on PostgreSQL: errors as SQLAlchemy's, and the
pooled connection handed back as it was lent."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from storage.db import driver_cursor, driver_execute, make_engine, transaction
from tests.storage.conftest import POSTGRES_URL


def _single_connection(engine: Engine) -> Engine:
    with engine.connect() as connection:
        schema = connection.execute(text("SHOW search_path")).scalar()
    return make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"}, pool_size=1, max_overflow=0)


def test_a_failed_statement_is_sqlalchemys_error_and_the_connection_goes_back_in_a_transaction(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the driver cursor is PostgreSQL's")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (k text)"))
    single = _single_connection(engine)  # so the next unit of work gets the very connection the cursor had
    try:
        with pytest.raises(ProgrammingError) as caught, driver_cursor(single) as cursor:
            cursor.execute("SELECT no_such_column FROM job WHERE key = %(key)s", {"key": "secret text"})
        assert "secret text" not in str(caught.value)  # parameters never reach a log
        with driver_cursor(single) as cursor:  # autocommit: stored at once, whatever comes next
            cursor.execute("INSERT INTO scratch VALUES ('a')")
        with pytest.raises(RuntimeError), transaction(single) as connection:  # not autocommit: rolled back
            connection.execute(text("INSERT INTO scratch VALUES ('b')"))
            raise RuntimeError("the unit of work fails")
        with transaction(single, read_only=True) as connection:
            keys = connection.execute(text("SELECT k FROM scratch ORDER BY k")).scalars().all()
        assert keys == ["a"]
    finally:
        single.dispose()


def test_a_pool_sized_to_its_threads_opens_each_connection_once(engine: Engine) -> None:
    """Bursts of as many statements at once as the process has threads reuse the connections the first burst
    opened; the default pool of five would open and close the rest every time."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite opens no server connections")
    with engine.connect() as connection:
        schema = connection.execute(text("SHOW search_path")).scalar()
    threads = 8
    sized = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"}, threads=threads)
    opened: list[object] = []
    event.listen(sized, "connect", lambda *_: opened.append(None))
    gate = threading.Barrier(threads)

    def hold() -> None:
        gate.wait()  # all at once
        driver_execute(sized, select(func.pg_sleep(0.05)), {})

    try:
        for _ in range(3):
            workers = [threading.Thread(target=hold) for _ in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        assert len(opened) == threads
    finally:
        sized.dispose()


def test_no_server_is_sqlalchemys_operational_error() -> None:
    nowhere = make_engine("postgresql://postgres@127.0.0.1:9/test", connect_args={"connect_timeout": 2})
    with pytest.raises(OperationalError), driver_cursor(nowhere):
        pass
