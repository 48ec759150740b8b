"""storage.db's driver cursor (the ack path's one statement) on PostgreSQL: errors as SQLAlchemy's, and the
pooled connection handed back as it was lent."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from storage.db import driver_cursor, make_engine, transaction
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


def test_no_server_is_sqlalchemys_operational_error() -> None:
    nowhere = make_engine("postgresql://postgres@127.0.0.1:9/test", connect_args={"connect_timeout": 2})
    with pytest.raises(OperationalError), driver_cursor(nowhere):
        pass
