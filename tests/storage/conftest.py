"""Storage tests run against SQLite and, where one can be used, PostgreSQL.

The server is `WIIFT_TEST_POSTGRES_URL` (default `postgresql://postgres@127.0.0.1:5432/test`); each test gets
a schema of its own. When that server does not answer, or refuses the login, the PostgreSQL half of each
test is skipped with the reason.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from storage.db import init_db, make_engine

POSTGRES_URL = os.environ.get("WIIFT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def postgres_problem(url: str = POSTGRES_URL) -> str | None:
    """Why PostgreSQL at `url` cannot be used for tests (it does not answer, or refuses the login), or None."""
    shown = make_url(url).render_as_string(hide_password=True)
    engine = make_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return f"PostgreSQL at {shown} (WIIFT_TEST_POSTGRES_URL) cannot be used: {reason}"
    finally:
        engine.dispose()
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        init_db(engine)
        yield engine
        engine.dispose()
        return
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    schema = f"wiift_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        init_db(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
