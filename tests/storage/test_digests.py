"""The digest ledger, feedback marks and the batched activity reads, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from storage import activity
from storage import digests as store
from storage.db import unit_of_work
from storage.deals import create_deal, delete_deal
from storage.feedback import mark_unhelpful, muted_lenses, muted_lenses_for, unhelpful_counts
from storage.models import Call, DigestRecord, Feedback
from storage.notes import add_note
from storage.questions import claim_question, question_for_message, record_update

NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)


def _deal(engine: Engine, *, channel: str = "C1", owner: str = "U1", stage: str = "open") -> int:
    with unit_of_work(engine) as session:
        deal = create_deal(
            session=session,
            team_id="T1",
            channel_id=channel,
            name=f"Deal {channel}",
            owner_id=owner,
            is_private=False,
            now=NOW - timedelta(days=30),
        )
        assert deal is not None and deal.id is not None
        deal.stage = stage
        session.add(deal)
        return deal.id


def test_a_week_is_claimed_once_even_by_racing_runs(engine: Engine) -> None:
    barrier = Barrier(4)

    def claim(_: int) -> bool:
        barrier.wait()
        with unit_of_work(engine) as session:
            return store.claim_digest(session=session, team_id="T1", user_id="U1", week="2026-W47", now=NOW)

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(claim, range(4))) == [False, False, False, True]
    with unit_of_work(engine) as session:
        assert store.claim_digest(session=session, team_id="T1", user_id="U1", week="2026-W48", now=NOW)
        assert store.claim_digest(session=session, team_id="T2", user_id="U1", week="2026-W47", now=NOW)


def test_only_a_stale_claim_is_taken_over_and_only_once(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        store.claim_digest(session=session, team_id="T1", user_id="U1", week="2026-W47", now=NOW)
        record = store.digest_record(session=session, team_id="T1", user_id="U1", week="2026-W47")
        assert record is not None and record.id is not None
        record_id = record.id
    later = NOW + timedelta(minutes=11)
    with unit_of_work(engine) as session:
        assert not store.reclaim_digest(session=session, record_id=record_id, stale_before=NOW, now=later)
        assert store.reclaim_digest(
            session=session, record_id=record_id, stale_before=later - timedelta(minutes=10), now=later
        )
        assert not store.reclaim_digest(
            session=session, record_id=record_id, stale_before=later - timedelta(minutes=10), now=later
        )
        store.finish_digest(
            session=session, record_id=record_id, state=store.SENT, now=later, dm_channel="DU1", dm_ts="1.2"
        )
    with unit_of_work(engine) as session:
        assert not store.reclaim_digest(
            session=session, record_id=record_id, stale_before=later + timedelta(days=1), now=later
        )
        assert store.records_for_weeks(session=session, weeks=["2026-W47"]) == {
            ("T1", "U1", "2026-W47"): ("sent", later)
        }
        assert store.known_dm_channel(session=session, team_id="T1", user_id="U1") == "DU1"
        assert store.known_dm_channel(session=session, team_id="T1", user_id="U2") is None


def test_candidates_are_open_deal_owners_and_this_weeks_posters_with_their_settings(engine: Engine) -> None:
    deal = _deal(engine, owner="UOWNER")
    _deal(engine, channel="C2", owner="UOLD", stage="won")  # closed long ago
    with unit_of_work(engine) as session:
        record_update(
            session=session,
            team_id="T1",
            deal_id=deal,
            channel_id="C1",
            message_ts="1.1",
            user_id="UPOSTER",
            signals={"customer_value"},
            reply="praise",
            now=NOW - timedelta(days=2),
        )
        record_update(
            session=session,
            team_id="T1",
            deal_id=deal,
            channel_id="C1",
            message_ts="1.2",
            user_id="UGONE",
            signals={"stall"},
            reply="question",
            now=NOW - timedelta(days=9),
        )
        store.set_digest(session=session, team_id="T1", user_id="UPOSTER", enabled=False, weekday=4, minute=990)
    with unit_of_work(engine) as session:
        found = {c.user_id: c for c in store.digest_candidates(session=session, since=NOW - timedelta(days=7))}
        assert set(found) == {"UOWNER", "UPOSTER"}
        assert (found["UOWNER"].enabled, found["UOWNER"].weekday, found["UOWNER"].minute) == (True, 0, 480)
        assert (found["UPOSTER"].enabled, found["UPOSTER"].weekday, found["UPOSTER"].minute) == (False, 4, 990)
        assert not found["UOWNER"].tz_known
        with pytest.raises(ValueError):
            store.set_digest(session=session, team_id="T1", user_id="U1", weekday=7)


def test_unhelpful_marks_count_once_mute_after_two_and_go_with_the_deal(engine: Engine) -> None:
    deal = _deal(engine)
    with unit_of_work(engine) as session:
        ids = []
        for n in range(3):
            claim_question(
                session=session,
                team_id="T1",
                deal_id=deal,
                channel_id="C1",
                message_ts=f"1.{n}",
                asked_user_id="U1",
                lens="alignment" if n < 2 else "wiift",
                text="?",
                now=NOW,
            )
            asked = question_for_message(session=session, team_id="T1", channel_id="C1", message_ts=f"1.{n}")
            assert asked is not None and asked.id is not None
            ids.append((asked.id, asked.lens))
    with unit_of_work(engine) as session:
        assert mark_unhelpful(
            session=session, team_id="T1", user_id="U1", question_id=ids[0][0], lens="alignment", now=NOW
        )
        assert not mark_unhelpful(
            session=session, team_id="T1", user_id="U1", question_id=ids[0][0], lens="alignment", now=NOW
        )
        assert muted_lenses(session=session, team_id="T1", user_id="U1", now=NOW) == frozenset()
        for question_id, lens in ids[1:]:
            mark_unhelpful(session=session, team_id="T1", user_id="U1", question_id=question_id, lens=lens, now=NOW)
    with unit_of_work(engine) as session:
        assert muted_lenses(session=session, team_id="T1", user_id="U1", now=NOW) == {"alignment"}
        assert muted_lenses(session=session, team_id="T1", user_id="U1", now=NOW + timedelta(days=31)) == frozenset()
        assert muted_lenses_for(session=session, team_id="T1", user_ids=["U1", "U2"], now=NOW) == {"U1": {"alignment"}}
        assert unhelpful_counts(
            session=session, team_id="T1", user_ids=["U1"], since=NOW - timedelta(days=7), until=NOW
        ) == {"U1": 3}
        delete_deal(session=session, deal_id=deal)
    with unit_of_work(engine) as session:
        assert list(session.exec(select(Feedback))) == []


def test_activity_reads_are_batched_and_bounded_by_the_period(engine: Engine) -> None:
    first, second = _deal(engine), _deal(engine, channel="C2", owner="U2")
    with unit_of_work(engine) as session:
        for deal, when in ((first, NOW - timedelta(days=1)), (first, NOW - timedelta(days=10)), (second, NOW)):
            add_note(
                session=session,
                team_id="T1",
                deal_id=deal,
                author_id="U1",
                lens="wiift",
                text="x",
                source="command",
                now=when,
            )
            record_update(
                session=session,
                team_id="T1",
                deal_id=deal,
                channel_id="C",
                message_ts=when.isoformat(),
                user_id="U1",
                signals={"stall"},
                reply="question",
                now=when,
            )
        session.add(
            Call(
                team_id="T1", deal_id=first, starts_at=NOW + timedelta(days=2), tz="UTC", booked_by="U1", created_at=NOW
            )
        )
        session.add(
            Call(
                team_id="T1", deal_id=first, starts_at=NOW + timedelta(days=9), tz="UTC", booked_by="U1", created_at=NOW
            )
        )
    week = {"since": NOW - timedelta(days=7), "until": NOW}
    with unit_of_work(engine) as session:
        assert {d.id for d in activity.deals_owned_by(session=session, team_id="T1", user_ids=["U1", "U2"])} == {
            first,
            second,
        }
        assert activity.deals_owned_by(session=session, team_id="T2", user_ids=["U1"]) == []
        assert sorted(activity.notes_added(session=session, deal_ids=[first, second], **week)) == sorted(
            [(first, "wiift", 1), (second, "wiift", 1)]
        )
        assert activity.update_counts(session=session, deal_ids=[first, second], **week) == {first: 1, second: 1}
        assert len(activity.updates_by(session=session, team_id="T1", user_ids=["U1"], **week)) == 2
        assert [
            r[0]
            for r in activity.calls_between(session=session, deal_ids=[first], since=NOW, until=NOW + timedelta(days=7))
        ] == [first]
        assert activity.next_calls(session=session, deal_ids=[first, second], after=NOW) == {
            first: NOW + timedelta(days=2)
        }
        assert activity.lens_marks(session=session, deal_ids=[first]) == [(first, "wiift", None)]
        assert len(list(session.exec(select(DigestRecord)))) == 0
