"""Composing the weekly digest: what it shows, the buyer-focus figure, its limits, and when it stays unsent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.work.digest import MAX_BLOCKS, Digest, compose_one
from bot.work.weekly import BuyerFocus, digest_slot, read_slot, week_key, weeks_around
from storage.db import unit_of_work
from storage.deals import create_deal
from storage.feedback import mark_unhelpful
from storage.models import AskedQuestion, Call
from storage.questions import record_update
from tests.conftest import DEAL_CHANNEL, SELLER, START, Wiift

NY = "America/New_York"
PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."
VALUE = "Their CFO Dana says the manual reconciliation costs her team two days a month."
PITCH = "Demoed our new analytics dashboard and the AI forecasting module to Acme."


def _digest(wiift: Wiift, user: str = SELLER) -> Digest | None:
    return compose_one(
        wiift.services.engine, team_id=wiift.slack.team_id, user_id=user, tz=NY, week="2026-W47", now=wiift.clock()
    )


def _text(digest: Digest) -> str:
    parts = []
    for block in digest.blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts += [e.get("text", "") for e in block.get("elements") or [] if isinstance(e, dict)]
    return "\n".join(parts)


def test_the_week_key_and_slot_are_the_persons_own() -> None:
    sunday_night_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # already Monday in Tokyo
    assert digest_slot(sunday_night_utc, tz="UTC", weekday=0, minute=480).week == "2026-W47"
    tokyo = digest_slot(sunday_night_utc, tz="Asia/Tokyo", weekday=0, minute=480)
    assert tokyo.week == "2026-W48" and tokyo.due(sunday_night_utc)  # 08:30 Monday there
    friday = digest_slot(START, tz=NY, weekday=4, minute=16 * 60 + 30)
    assert friday.at == datetime(2026, 11, 20, 21, 30, tzinfo=UTC) and not friday.due(START)
    assert week_key(datetime(2027, 1, 1).date()) == "2026-W53"
    assert {"2026-W47", "2026-W48"} >= weeks_around(sunday_night_utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon 08:00", (0, 480)),
        ("Friday 16:30", (4, 990)),
        ("thu 7:45am", (3, 465)),
        ("SUN 12pm", (6, 720)),
        ("tues 00:00", (1, 0)),
    ],
)
def test_digest_slots_are_read_from_day_and_time(text: str, expected: tuple[int, int]) -> None:
    assert read_slot(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("monday", "Give a day and a time"),
        ("someday 08:00", "I don't know the day"),
        ("mon 25:00", "not a time of day"),
        ("mon 8", "couldn't read the time"),
        ("mon 13pm", "hour runs from 1 to 12"),
        ("mon <!channel>", "@\u2060channel"),  # escaped: no broadcast
    ],
)
def test_bad_slots_say_what_is_wrong(text: str, problem: str) -> None:
    answer = read_slot(text)
    assert isinstance(answer, str) and problem in answer


def test_buyer_focus_counts_value_against_pressure_or_pitch() -> None:
    focus = BuyerFocus.of(
        [frozenset({"customer_value"}), frozenset({"seller_pressure", "self_pitch"}), frozenset({"stall"})]
    )
    assert (focus.updates, focus.buyer_value, focus.pressure) == (3, 1, 1)
    assert focus.figure() == "1 of 3 updates named what the buyer gains, 1 leaned on our pressure or pitch"


def test_the_digest_shows_changes_gaps_notes_calls_focus_and_a_closing_question(wiift: Wiift) -> None:
    wiift.clock.set(START - timedelta(days=8))  # last week: two pressure posts
    wiift.say(PRESSURE)
    wiift.say(PRESSURE + " Really need it.")
    wiift.clock.set(START - timedelta(days=2))
    wiift.say(PRESSURE + " Pushing hard.")
    wiift.say(VALUE)
    wiift.say(PITCH)
    wiift.command("/deal", "note #cost they pay two contractors to reconcile by hand")
    wiift.clock.set(START)
    with unit_of_work(wiift.services.engine) as session:
        session.add(
            Call(
                team_id=wiift.slack.team_id,
                deal_id=1,
                starts_at=START + timedelta(days=2),
                tz=NY,
                topic="pricing <b>review</b>",
                booked_by=SELLER,
                created_at=START,
            )
        )
    digest = _digest(wiift)
    assert digest is not None
    text = _text(digest)
    assert "1 of 3 updates named what the buyer gains, 2 leaned on our pressure or pitch" in text
    assert "Last week: 0 of 2 updates" in text
    assert "*Acme*" in text and f"<#{DEAL_CHANNEL}>" in text
    assert "3 updates" in text and "1 note added (_Cost of staying put_)" in text
    assert "newly named: Dana ·" in text  # a name with its role is one stakeholder, named by name
    assert "Still open" in text and "?" in text
    assert "Calls in the week ahead" in text and "Wed 18 Nov, 10:00 EST" in text
    assert "pricing &lt;b&gt;review&lt;/b&gt;" in text
    assert "leaned on our own timeline once this week" in text
    assert "Whose timeline" in text or "timeline" in text.split("One question for the week")[1]
    assert "Coaching this week: 2 questions asked, 0 marked not helpful." in text  # the value update got a nod
    assert digest.text.startswith("Your week in deals")


def test_unhelpful_marks_are_counted(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.say(PITCH)
    with unit_of_work(wiift.services.engine) as session:
        from sqlmodel import select

        for asked in session.exec(select(AskedQuestion)):
            mark_unhelpful(
                session=session,
                team_id=asked.team_id,
                user_id=SELLER,
                question_id=asked.id or 0,
                lens=asked.lens,
                now=START,
            )
    digest = _digest(wiift)
    assert digest is not None
    assert "2 questions asked, 2 marked not helpful" in _text(digest)


def test_nothing_this_week_means_no_digest(wiift: Wiift) -> None:
    assert _digest(wiift) is None  # a stranger
    wiift.clock.set(START - timedelta(days=10))
    wiift.say(PRESSURE)  # ten days ago
    wiift.clock.set(START)
    assert _digest(wiift) is None
    wiift.say("thanks all, grabbing lunch")  # chatter is not a deal update
    assert _digest(wiift) is None


def test_many_deals_stay_within_block_kit_limits_and_user_text_is_escaped(wiift: Wiift) -> None:
    team = wiift.slack.team_id
    with unit_of_work(wiift.services.engine) as session:
        for i in range(120):
            deal = create_deal(
                session=session,
                team_id=team,
                channel_id=f"C{i:04d}",
                name=f"<!channel> *Co* {i} " + "x" * 60,
                owner_id=SELLER,
                is_private=False,
                now=START,
            )
            assert deal is not None and deal.id is not None
            for n in range(3 if i < 60 else 0):
                record_update(
                    session=session,
                    team_id=team,
                    deal_id=deal.id,
                    channel_id=deal.channel_id,
                    message_ts=f"{i}.{n}",
                    user_id=SELLER,
                    signals={"seller_pressure"},
                    reply="question",
                    now=START - timedelta(hours=n),
                )
    digest = _digest(wiift)
    assert digest is not None
    assert len(digest.blocks) <= MAX_BLOCKS
    for block in digest.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    text = _text(digest)
    assert "<!channel>" not in text and "@\u2060channel" in text
    assert "more deals that moved" in text and "Quiet this week" in text and "and 40 more" in text
