"""Both databases refuse what PostgreSQL would (NUL bytes, strings longer than their column), the same way,
before anything is written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from storage.db import unit_of_work
from storage.deals import add_stakeholders, create_deal
from storage.models import Deal, Note, Stakeholder
from storage.notes import add_note
from storage.storable import UnstorableText

NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)


def _deal(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        deal = create_deal(
            session=session, team_id="T1", channel_id="C1", name="Acme", owner_id="U1", is_private=False, now=NOW
        )
    assert deal is not None and deal.id is not None
    return deal.id


def _note(engine: Engine, deal_id: int, text: str, *, source_ts: str | None = None) -> None:
    with unit_of_work(engine) as session:
        add_note(
            session=session,
            team_id="T1",
            deal_id=deal_id,
            author_id="U1",
            lens="cost_of_inaction",
            text=text,
            source="command",
            source_ts=source_ts,
            now=NOW,
        )


@pytest.mark.parametrize("source_ts", [None, "1700000000.000100"])  # an ORM insert, and an insert-if-absent
def test_a_nul_byte_is_refused_on_both_databases(engine: Engine, source_ts: str | None) -> None:
    deal_id = _deal(engine)
    with pytest.raises(UnstorableText, match="NUL"):
        _note(engine, deal_id, "their CFO\x00 signs", source_ts=source_ts)
    with unit_of_work(engine) as session:
        assert list(session.exec(select(Note))) == []


def test_a_string_longer_than_its_column_is_refused_on_both_databases(engine: Engine) -> None:
    deal_id = _deal(engine)
    with pytest.raises(UnstorableText, match="holds 80 characters; got 81"), unit_of_work(engine) as session:
        add_stakeholders(session=session, team_id="T1", deal_id=deal_id, names=["x" * 81], now=NOW)
    with pytest.raises(UnstorableText, match=r"deal\.name"), unit_of_work(engine) as session:
        session.add(
            Deal(
                team_id="T1",
                channel_id="C2",
                name="y" * 81,
                name_key="y",
                owner_id="U1",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    with unit_of_work(engine) as session:
        assert list(session.exec(select(Stakeholder))) == []
        assert [d.name for d in session.exec(select(Deal))] == ["Acme"]


def test_what_fits_is_stored_as_it_is(engine: Engine) -> None:
    deal_id = _deal(engine)
    _note(engine, deal_id, "P&L <draft> — ünïcödé, tabs\tand\nnew lines")
    with unit_of_work(engine) as session:
        add_stakeholders(session=session, team_id="T1", deal_id=deal_id, names=["z" * 80], now=NOW)
    with unit_of_work(engine) as session:
        assert [n.text for n in session.exec(select(Note))] == ["P&L <draft> — ünïcödé, tabs\tand\nnew lines"]
        assert [s.name for s in session.exec(select(Stakeholder))] == ["z" * 80]
