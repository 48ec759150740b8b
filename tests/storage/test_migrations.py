"""Alembic owns the schema: migrating an empty database yields exactly the tables the models declare."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, select

from storage.db import alembic_config, include_object, init_db, make_engine
from storage.models import BuyerFact, Stakeholder
from storage.schema import METADATA
from tests.storage.conftest import POSTGRES_URL, postgres_problem


def test_the_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object, "compare_type": True})
        assert compare_metadata(context, METADATA) == []


def test_migrating_twice_changes_nothing(engine: Engine) -> None:
    before = sorted(inspect(engine).get_table_names())
    init_db(engine)
    assert sorted(inspect(engine).get_table_names()) == before
    assert "alembic_version" in before and "deal" in before


@pytest.fixture(params=["sqlite", "postgresql"])
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database with no migrations applied yet."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    if problem := postgres_problem():
        pytest.skip(problem)
    schema = f"wiift_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_a_database_from_before_the_deal_memory_keeps_its_drivers(bare_engine: Engine) -> None:
    with bare_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        now = datetime(2026, 11, 1, tzinfo=UTC)
        connection.execute(
            text(
                "INSERT INTO deal (id, team_id, channel_id, name, name_key, owner_id, is_private, stage, created_at,"
                " updated_at) VALUES (1, 'T1', 'C1', 'Acme', 'acme', 'U1', false, 'open', :now, :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO stakeholder (id, team_id, deal_id, name, name_key, created_at)"
                " VALUES (1, 'T1', 1, 'Dana', 'dana', :now), (2, 'T1', 1, 'Raj', 'raj', :now)"
            ),
            {"now": now},
        )
        for minute, words in ((1, "wants the old close gone"), (2, "her bonus rides on the close")):
            connection.execute(
                text(
                    "INSERT INTO note (team_id, deal_id, author_id, lens, stakeholder, text, source, created_at)"
                    " VALUES ('T1', 1, 'U1', 'personal_driver', 'Dana', :words, 'command', :at)"
                ),
                {"words": words, "at": now + timedelta(minutes=minute)},
            )
    init_db(bare_engine)  # 0002 and 0003 on top of the old schema, as a start-up does
    with Session(bare_engine) as session:
        people = {p.name: p for p in session.exec(select(Stakeholder))}
        assert people["Dana"].driver == "her bonus rides on the close"  # the latest note
        assert people["Raj"].driver is None and people["Raj"].role is None
        assert list(session.exec(select(BuyerFact))) == []
    assert "buyerfact" in inspect(bare_engine).get_table_names()
