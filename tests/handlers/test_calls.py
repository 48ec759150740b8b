"""Booking customer calls: `/deal call`, `/deal calls`, `/deal cancel`, `/deal move`, `/coach lead`, and
the "Remind me before this call" button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.work.queue import nudge_key
from storage.db import unit_of_work
from storage.jobs import job_by_key
from storage.models import Call, Job, Nudge
from tests.conftest import DEAL_CHANNEL, GENERAL, MANAGER, OUTSIDER, PRIVATE_DEAL, SELLER, Wiift, answer_text


def _calls(wiift: Wiift) -> list[tuple[Call, Nudge]]:
    with unit_of_work(wiift.services.engine) as session:
        return [(c, n) for c, n in session.exec(select(Call, Nudge).where(Nudge.call_id == Call.id))]


def _job(wiift: Wiift, nudge_id: int) -> tuple[str, datetime] | None:
    """The nudge's job in the job table: its state and when it falls due."""
    with unit_of_work(wiift.services.engine) as session:
        job = job_by_key(session=session, key=nudge_key(nudge_id))
        return (job.state, job.run_at) if job else None


@pytest.fixture
def deal(wiift: Wiift) -> Wiift:
    wiift.command("/deal", "new Acme")
    return wiift


def test_booking_repeats_the_time_in_the_callers_zone_and_says_when_the_nudge_comes(deal: Wiift) -> None:
    answer = answer_text(deal.command("/deal", "call tomorrow 3pm — pricing review"))
    assert "Tue 17 Nov, 15:00 EST" in answer and "pricing review" in answer
    assert "prep DM at " in answer and "|14:00>, 1 hour before" in answer
    [(call, nudge)] = _calls(deal)
    assert call.starts_at == datetime(2026, 11, 17, 20, 0, tzinfo=UTC)
    assert call.topic == "pricing review"
    assert nudge.state == "scheduled" and nudge.due_at == datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
    assert _job(deal, nudge.id or 0) == ("ready", datetime(2026, 11, 17, 19, 0, tzinfo=UTC))


def test_times_are_slack_date_tokens_so_each_reader_sees_their_own_zone_and_clock(deal: Wiift) -> None:
    answer = answer_text(deal.command("/deal", "call tomorrow 3pm"))
    starts, prep = datetime(2026, 11, 17, 20, 0, tzinfo=UTC), datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
    assert f"<!date^{int(starts.timestamp())}^{{date_short_pretty}} at {{time}}|Tue 17 Nov, 15:00 EST>" in answer
    assert f"prep DM at <!date^{int(prep.timestamp())}^{{time}}|14:00>" in answer
    listing = answer_text(deal.command("/deal", "calls"))
    assert f"<!date^{int(starts.timestamp())}^{{date_short_pretty}} at {{time}}|Tue 17 Nov, 15:00 EST>" in listing


@pytest.mark.parametrize(
    ("when", "starts"),
    [
        ("sat 10am", datetime(2026, 11, 21, 15, 0, tzinfo=UTC)),
        ("Sun 2pm", datetime(2026, 11, 22, 19, 0, tzinfo=UTC)),
        ("sun. 9:30 — prep", datetime(2026, 11, 22, 14, 30, tzinfo=UTC)),
        ("next Sat at 11", datetime(2026, 11, 21, 16, 0, tzinfo=UTC)),
    ],
)
def test_weekend_days_can_be_booked_by_their_short_names(deal: Wiift, when: str, starts: datetime) -> None:
    assert "Booked call" in answer_text(deal.command("/deal", f"call {when}"))
    assert [c.starts_at for c, _ in _calls(deal)] == [starts]


def test_a_day_without_a_time_is_answered_and_books_nothing(deal: Wiift) -> None:
    answer = answer_text(deal.command("/deal", "call sun"))
    assert "couldn't read a time of day in “sun”" in answer and "`sat 10am`" in answer
    assert _calls(deal) == []


def test_the_same_words_mean_each_callers_own_zone(deal: Wiift) -> None:
    deal.command("/deal", "call Thu 10:30", user=SELLER)  # New York: 15:30 UTC
    deal.command("/deal", "call Thu 10:30", user=MANAGER)  # London: 10:30 UTC
    # Slack gives no zone for this user, so the default (UTC) applies: the same instant as London's
    same = answer_text(deal.command("/deal", "call Thu 10:30", user=OUTSIDER))
    assert "already booked" in same and "Thu 19 Nov, 10:30 UTC" in same
    assert sorted(c.starts_at for c, _ in _calls(deal)) == [
        datetime(2026, 11, 19, 10, 30, tzinfo=UTC),
        datetime(2026, 11, 19, 15, 30, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("user", "now", "expected"),
    [
        # The Friday before US clocks spring forward: Monday 9am is EDT, 13:00 UTC (not 14:00).
        (SELLER, datetime(2026, 3, 6, 15, 0, tzinfo=UTC), datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
        # The Friday before UK clocks spring forward: Monday 9am is BST, 08:00 UTC.
        (MANAGER, datetime(2026, 3, 27, 12, 0, tzinfo=UTC), datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
        # Autumn in New York: Monday 9am after the change is EST, 14:00 UTC.
        (SELLER, datetime(2026, 10, 30, 15, 0, tzinfo=UTC), datetime(2026, 11, 2, 14, 0, tzinfo=UTC)),
    ],
)
def test_booking_across_a_dst_change(deal: Wiift, user: str, now: datetime, expected: datetime) -> None:
    deal.clock.set(now)
    deal.command("/deal", "call Monday 9am", user=user)
    [(call, nudge)] = _calls(deal)
    assert call.starts_at == expected
    assert nudge.due_at == expected - timedelta(hours=1)


def test_a_zone_named_in_when_wins(deal: Wiift) -> None:
    deal.command("/deal", "call next Tuesday 9am PT")
    [(call, _)] = _calls(deal)
    assert call.starts_at == datetime(2026, 11, 17, 17, 0, tzinfo=UTC)


def test_relative_and_iso_times(deal: Wiift) -> None:
    deal.command("/deal", "call in 2 hours")
    deal.command("/deal", "call 2026-12-03 14:00")
    assert sorted(c.starts_at for c, _ in _calls(deal)) == [
        datetime(2026, 11, 16, 17, 0, tzinfo=UTC),
        datetime(2026, 12, 3, 19, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("call", "/deal call WHEN"),
        ("call sometime soonish", "couldn't read a time"),
        ("call 2026-01-05 10:00", "has already passed"),
        ("call yesterday 3pm", "has already passed"),
        ("call tomorrow 3pm — " + "x" * 201, "at most 200"),
    ],
)
def test_bad_when_gets_a_specific_answer_and_books_nothing(deal: Wiift, text: str, says: str) -> None:
    assert says in answer_text(deal.command("/deal", text))
    assert _calls(deal) == []


def test_booking_by_name_from_elsewhere_and_unknown_deals(deal: Wiift) -> None:
    assert "Booked call" in answer_text(deal.command("/deal", "call Acme tomorrow 10am", channel=GENERAL))
    assert "No deal here or by that name" in answer_text(
        deal.command("/deal", "call Nope tomorrow 10am", channel=GENERAL)
    )
    assert len(_calls(deal)) == 1


def test_a_private_deal_cannot_be_booked_by_outsiders(wiift: Wiift) -> None:
    wiift.command("/deal", "new Secret Co", channel=PRIVATE_DEAL)
    answer = wiift.command("/deal", "call Secret Co tomorrow 10am", channel=GENERAL, user=OUTSIDER)
    assert "No deal here or by that name" in answer_text(answer)
    assert _calls(wiift) == []


def test_the_same_call_is_not_booked_twice(deal: Wiift) -> None:
    deal.command("/deal", "call tomorrow 3pm")
    assert "already booked" in answer_text(deal.command("/deal", "call tomorrow at 3pm"))
    assert len(_calls(deal)) == 1


def test_a_call_inside_the_lead_time_is_nudged_at_once(deal: Wiift) -> None:
    answer = answer_text(deal.command("/deal", "call in 20 minutes"))
    assert "on its way now" in answer
    [(_, nudge)] = _calls(deal)
    assert nudge.due_at == deal.clock()


def test_calls_lists_cancel_and_move(deal: Wiift) -> None:
    deal.command("/deal", "call tomorrow 3pm — pricing")
    deal.command("/deal", "call Friday 11am")
    listing = answer_text(deal.command("/deal", "calls"))
    assert listing.index("Tue 17 Nov, 15:00 EST") < listing.index("Fri 20 Nov, 11:00 EST")
    assert "pricing" in listing and "#1" in listing and "#2" in listing

    assert "Cancelled call #1" in answer_text(deal.command("/deal", "cancel 1"))
    moved = answer_text(deal.command("/deal", "move 2 Friday 2pm"))
    assert "Moved" in moved and "Fri 20 Nov, 14:00 EST" in moved
    rows = {c.id: (c, n) for c, n in _calls(deal)}
    assert rows[1][0].slot != "booked" and rows[1][1].state == "cancelled"
    assert _job(deal, 1) == ("cancelled", datetime(2026, 11, 17, 19, 0, tzinfo=UTC))
    assert _job(deal, 2) == ("ready", datetime(2026, 11, 20, 18, 0, tzinfo=UTC))  # moved with its call
    assert rows[2][0].starts_at == datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
    assert rows[2][1].due_at == datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    listing = answer_text(deal.command("/deal", "calls"))
    assert "#1" not in listing and "14:00" in listing
    # the freed slot can be booked again
    assert "Booked" in answer_text(deal.command("/deal", "call tomorrow 3pm"))


def test_cancel_and_move_bad_input(deal: Wiift) -> None:
    deal.command("/deal", "call tomorrow 3pm")
    assert "call's number" in answer_text(deal.command("/deal", "cancel soon"))
    assert "No booked call #99" in answer_text(deal.command("/deal", "cancel 99"))
    assert "Say where it moves to" in answer_text(deal.command("/deal", "move 1"))
    assert "couldn't read a time" in answer_text(deal.command("/deal", "move 1 whenever"))
    assert "already passed" in answer_text(deal.command("/deal", "move 1 2026-01-01 10:00"))
    [(call, _)] = _calls(deal)
    assert call.starts_at == datetime(2026, 11, 17, 20, 0, tzinfo=UTC)


def test_calls_elsewhere_lists_the_callers_deals(deal: Wiift) -> None:
    assert "No upcoming calls for your deals" in answer_text(
        deal.command("/deal", "calls", channel=GENERAL, user=MANAGER)
    )
    deal.command("/deal", "call tomorrow 3pm")
    assert "Acme" in answer_text(deal.command("/deal", "calls", channel=GENERAL))


def test_coach_lead_sets_the_lead_and_moves_scheduled_nudges(deal: Wiift) -> None:
    deal.command("/deal", "call tomorrow 3pm")
    answer = answer_text(deal.command("/coach", "lead 30"))
    assert "30 minutes before" in answer and "1 upcoming prep DM moved" in answer
    [(_, nudge)] = _calls(deal)
    assert nudge.due_at == datetime(2026, 11, 17, 19, 30, tzinfo=UTC)
    assert "from 0 to 1440" in answer_text(deal.command("/coach", "lead forever"))
    assert "from 0 to 1440" in answer_text(deal.command("/coach", "lead 5000"))
    deal.command("/deal", "call Friday 11am")
    assert sorted(n.due_at for _, n in _calls(deal))[-1] == datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def test_an_update_naming_a_call_time_offers_a_reminder_button_that_books_once(deal: Wiift) -> None:
    ts = deal.say("Call with their COO Priya tomorrow at 2pm to go through the rollout plan.")
    [reply] = [m for m in deal.thread_replies(DEAL_CHANNEL, ts) if m["user"] == deal.slack.bot_user_id]
    buttons = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    remind = next(b for b in buttons if b["action_id"] == "call_remind")
    assert remind["text"]["text"] == "Remind me before this call"

    for _ in range(2):
        deal.driver.action(
            action_id="call_remind", value=remind["value"], user=SELLER, channel=DEAL_CHANNEL, message_ts=reply["ts"]
        )
        deal.settle()
    first, second = [answer_text(c) for c in deal.slack.calls_to("response_url")[-2:]]
    assert "Booked call" in first and "Tue 17 Nov, 14:00 EST" in first
    assert "already booked" in second
    [(call, _)] = _calls(deal)
    assert call.starts_at == datetime(2026, 11, 17, 19, 0, tzinfo=UTC)


def test_updates_without_a_time_get_no_reminder_button(deal: Wiift) -> None:
    ts = deal.say("Need Acme signed by Friday for my quota.")
    [reply] = deal.thread_replies(DEAL_CHANNEL, ts)
    buttons = [e["action_id"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "call_remind" not in buttons


def test_forgetting_a_deal_drops_its_calls_and_nudge_jobs(deal: Wiift) -> None:
    deal.command("/deal", "call tomorrow 3pm")
    confirm = deal.command("/deal", "forget")
    value = next(e["value"] for b in confirm.json("blocks") if b["type"] == "actions" for e in b["elements"])
    deal.driver.action(action_id="deal_forget_confirm", value=value, user=SELLER, channel=DEAL_CHANNEL)
    deal.settle()
    assert _calls(deal) == []
    with unit_of_work(deal.services.engine) as session:
        assert not [j for j in session.exec(select(Job)) if j.kind == "nudge" and j.state == "ready"]
