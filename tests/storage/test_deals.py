from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

from sqlalchemy import Engine
from sqlmodel import select

from storage.db import unit_of_work
from storage.deals import (
    add_stakeholders,
    create_deal,
    deal_by_name,
    deal_for_channel,
    delete_deal,
    list_deals,
    stakeholders,
)
from storage.models import AskedQuestion, Note
from storage.notes import add_note, count_notes, notes_for_deal
from storage.questions import claim_question, recent_questions, record_update

NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)


def _deal(engine: Engine, *, team: str = "T1", channel: str = "C1", name: str = "Acme") -> int:
    with unit_of_work(engine) as session:
        deal = create_deal(
            session=session,
            team_id=team,
            channel_id=channel,
            name=name,
            owner_id="U1",
            is_private=False,
            now=NOW,
        )
    assert deal is not None and deal.id is not None
    return deal.id


def test_a_channel_has_one_deal_and_names_are_unique_per_workspace(engine: Engine) -> None:
    _deal(engine)
    with unit_of_work(engine) as session:
        assert (
            create_deal(
                session=session,
                team_id="T1",
                channel_id="C1",
                name="Other",
                owner_id="U1",
                is_private=False,
                now=NOW,
            )
            is None
        )
        assert (
            create_deal(
                session=session,
                team_id="T1",
                channel_id="C2",
                name="ACME",
                owner_id="U1",
                is_private=False,
                now=NOW,
            )
            is None
        )
        assert (
            create_deal(
                session=session,
                team_id="T2",
                channel_id="C1",
                name="Acme",
                owner_id="U1",
                is_private=False,
                now=NOW,
            )
            is not None
        )


def test_lookups_are_scoped_to_the_workspace(engine: Engine) -> None:
    _deal(engine)
    with unit_of_work(engine) as session:
        assert deal_by_name(session=session, team_id="T1", name=" acme ") is not None
        assert deal_by_name(session=session, team_id="T2", name="Acme") is None
        assert deal_for_channel(session=session, team_id="T2", channel_id="C1") is None
        assert list_deals(session=session, team_id="T2") == []


def test_times_come_back_aware_utc(engine: Engine) -> None:
    _deal(engine)
    with unit_of_work(engine) as session:
        deal = deal_for_channel(session=session, team_id="T1", channel_id="C1")
    assert deal is not None and deal.created_at == NOW and deal.created_at.tzinfo is not None


def test_a_message_makes_one_note_however_often_it_arrives(engine: Engine) -> None:
    deal_id = _deal(engine)
    kwargs = dict(
        team_id="T1",
        deal_id=deal_id,
        author_id="U1",
        lens="wiift",
        text="t",
        source="thread",
        source_ts="1.1",
        now=NOW,
    )
    with unit_of_work(engine) as session:
        assert add_note(session=session, **kwargs) is True
        assert add_note(session=session, **kwargs) is False
    with unit_of_work(engine) as session:
        assert count_notes(session=session, deal_id=deal_id) == 1


def test_concurrent_claims_of_one_message_let_exactly_one_win(engine: Engine) -> None:
    deal_id = _deal(engine)
    barrier = Barrier(8)

    def claim(_: int) -> bool:
        barrier.wait()
        with unit_of_work(engine) as session:
            return None is not claim_question(
                session=session,
                team_id="T1",
                deal_id=deal_id,
                channel_id="C1",
                message_ts="9.9",
                asked_user_id="U1",
                lens="wiift",
                text="q?",
                now=NOW,
            )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(claim, range(8)))
    assert results.count(True) == 1


def test_updates_are_recorded_once_and_questions_come_back_oldest_first(engine: Engine) -> None:
    deal_id = _deal(engine)
    with unit_of_work(engine) as session:
        for i, lens in enumerate(["wiift", "alignment", "call_prep"]):
            claim_question(
                session=session,
                team_id="T1",
                deal_id=deal_id,
                channel_id="C1",
                message_ts=f"{i}.0",
                asked_user_id="U1",
                lens=lens,
                text=f"q{i}?",
                now=NOW + timedelta(minutes=i),
            )
        assert record_update(
            session=session,
            team_id="T1",
            deal_id=deal_id,
            channel_id="C1",
            message_ts="1.0",
            user_id="U1",
            signals={"stall"},
            reply="question",
            now=NOW,
        )
        assert not record_update(
            session=session,
            team_id="T1",
            deal_id=deal_id,
            channel_id="C1",
            message_ts="1.0",
            user_id="U1",
            signals={"stall"},
            reply="question",
            now=NOW,
        )
    with unit_of_work(engine) as session:
        assert [q.lens for q in recent_questions(session=session, deal_id=deal_id, limit=2)] == [
            "alignment",
            "call_prep",
        ]


def test_deleting_a_deal_deletes_its_notes_questions_and_stakeholders(engine: Engine) -> None:
    deal_id = _deal(engine)
    with unit_of_work(engine) as session:
        add_note(
            session=session,
            team_id="T1",
            deal_id=deal_id,
            author_id="U1",
            lens="wiift",
            text="t",
            source="command",
            now=NOW,
        )
        add_stakeholders(session=session, team_id="T1", deal_id=deal_id, names=["Dana", "dana", "CFO"], now=NOW)
        claim_question(
            session=session,
            team_id="T1",
            deal_id=deal_id,
            channel_id="C1",
            message_ts="1.0",
            asked_user_id="U1",
            lens="wiift",
            text="q?",
            now=NOW,
        )
    with unit_of_work(engine) as session:
        assert [s.name for s in stakeholders(session=session, deal_id=deal_id)] == ["Dana", "CFO"]
        delete_deal(session=session, deal_id=deal_id)
    with unit_of_work(engine) as session:
        assert notes_for_deal(session=session, deal_id=deal_id) == []
        assert list(session.exec(select(Note))) == []
        assert list(session.exec(select(AskedQuestion))) == []
        assert stakeholders(session=session, deal_id=deal_id) == []
