"""Pre-call nudges with an injected clock: what the deal owner's DM says, and that it arrives exactly once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.work.nudges import deliver_nudge, sweep_nudges
from bot.work.queue import nudge_key
from storage.db import unit_of_work
from storage.jobs import job_by_key
from storage.models import Nudge
from tests.conftest import DEAL_CHANNEL, MANAGER, SELLER, Wiift, answer_text


def _nudges(wiift: Wiift) -> list[Nudge]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Nudge)))


def _dms(wiift: Wiift, user: str = SELLER) -> list:  # type: ignore[type-arg]
    return [
        c for c in wiift.slack.calls_to("chat.postMessage") if c.params["channel"] == wiift.slack.dm_channel_id(user)
    ]


def _run_due(wiift: Wiift) -> list[str]:
    """Let the workers run every job that is due by the app's clock; the nudges' states afterwards."""
    wiift.settle()
    return [n.state for n in _nudges(wiift)]


def _job_state(wiift: Wiift, nudge_id: int) -> str | None:
    with unit_of_work(wiift.services.engine) as session:
        job = job_by_key(session=session, key=nudge_key(nudge_id))
        return job.state if job else None


@pytest.fixture
def booked(wiift: Wiift) -> Wiift:
    wiift.command("/deal", "new Acme")
    wiift.command("/deal", "note #driver Dana wants month-end close under three days before her board review")
    wiift.command("/deal", "note #cost two contractors reconcile by hand every month")
    ts = wiift.say("Acme's CFO Dana and their head of IT Raj want a call. Raj is worried about SSO.")
    assert ts
    wiift.command("/deal", "call tomorrow 3pm — security review")
    return wiift


def test_nothing_is_sent_before_the_nudge_is_due(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=27, minutes=59))  # 13:59 New York, the nudge is due at 14:00
    assert _run_due(booked) == ["scheduled"]
    assert _dms(booked) == []


def test_the_due_nudge_fits_a_phone_screen(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))  # Tue 14:00 New York
    assert _run_due(booked) == ["sent"]
    [dm] = _dms(booked)
    text = answer_text(dm)
    assert "Call with Acme in 1 hour" in text
    assert "Tue 17 Nov, 15:00 EST" in text and "security review" in text
    assert "Ask first:" in text  # the single most valuable open question
    assert "Dana" in text and "board review" in text  # her noted driver
    assert "Raj" in text and "ask _" in text  # no driver yet: the one question for him
    agenda = text.split("*Agenda*")[1]
    assert all(f"{n}. " in agenda for n in (1, 2, 3)) and "4. " not in agenda
    assert "Latest notes" not in text and "Still unknown" not in text  # the rest is on the card
    [card] = [e for b in dm.json("blocks") if b["type"] == "actions" for e in b["elements"]]
    assert card["action_id"] == "home_open_deal" and "/deal show Acme" in text
    blocks = dm.json("blocks")
    lines = [line for b in blocks for line in _block_text(b).splitlines() if line.strip()]
    assert len(blocks) <= 7 and len(lines) <= 14 and sum(len(line) for line in lines) <= 1100
    [nudge] = _nudges(booked)
    assert (nudge.state, nudge.recipient_id, nudge.dm_ts) == ("sent", SELLER, dm.params.get("ts") or nudge.dm_ts)


def test_the_card_button_in_the_dm_opens_the_full_deal_card(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    _run_due(booked)
    [dm] = _dms(booked)
    [card] = [e for b in dm.json("blocks") if b["type"] == "actions" for e in b["elements"]]
    booked.driver.action(action_id=card["action_id"], value=card["value"], user=SELLER, channel=DEAL_CHANNEL)
    booked.settle()
    [opened] = booked.slack.calls_to("views.open")
    shown = json.dumps(opened.json("view"))
    assert "two contractors" in shown and "Still open" in shown


def _block_text(block: dict) -> str:  # type: ignore[type-arg]
    if isinstance(block.get("text"), dict):
        return block["text"]["text"]
    return "\n".join(e["text"]["text"] if isinstance(e.get("text"), dict) else "" for e in block.get("elements", []))


def test_the_nudge_goes_to_whoever_owns_the_deal_when_it_is_due(booked: Wiift) -> None:
    booked.command("/deal", f"owner <@{MANAGER}>")
    booked.clock.advance(timedelta(hours=28))
    _run_due(booked)
    assert _dms(booked) == [] and len(_dms(booked, MANAGER)) == 1
    assert "Tue 17 Nov, 20:00 GMT" in answer_text(_dms(booked, MANAGER)[0])  # the owner's own zone


def test_delivering_twice_sends_once(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    [nudge] = _nudges(booked)
    assert deliver_nudge(booked.services, booked.app.client, nudge.id or 0) == "sent"
    assert deliver_nudge(booked.services, booked.app.client, nudge.id or 0) == "sent"
    assert _run_due(booked) == ["sent"]  # and its job, due now, finds it sent
    assert len(_dms(booked)) == 1


def test_a_nudge_whose_call_has_started_is_missed_not_sent(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=29))  # 15:00: the call is starting
    assert _run_due(booked) == ["missed"]
    assert _dms(booked) == []
    assert _nudges(booked)[0].state == "missed"


def test_a_crash_after_sending_before_recording_does_not_send_again(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    assert _run_due(booked) == ["sent"]
    [nudge] = _nudges(booked)
    with unit_of_work(booked.services.engine) as session:  # as if the process died before recording "sent"
        row = session.get(Nudge, nudge.id)
        assert row is not None
        row.state, row.dm_ts = "sending", None
        session.add(row)
    assert sweep_nudges(booked.services, now=booked.clock()) == 1  # its job had ended: armed again
    _run_due(booked)  # the job finds the nudge "sending" and looks in the DM before sending
    assert len(_dms(booked)) == 1
    assert _nudges(booked)[0].state == "sent" and _nudges(booked)[0].dm_ts is not None


def test_a_crash_after_claiming_before_sending_sends_on_recovery(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=27))
    with unit_of_work(booked.services.engine) as session:
        row = session.exec(select(Nudge)).one()
        row.state = "sending"
        session.add(row)
    booked.clock.advance(timedelta(hours=1))
    _run_due(booked)
    assert len(_dms(booked)) == 1


def test_when_the_dm_history_cannot_be_read_nothing_is_risked(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    with unit_of_work(booked.services.engine) as session:
        row = session.exec(select(Nudge)).one()
        row.state = "sending"
        session.add(row)
    booked.slack.fail_next("conversations.history", error="internal_error")
    assert _run_due(booked) == ["sending"]
    assert _dms(booked) == []
    booked.clock.advance(timedelta(seconds=5))  # past the job's backoff
    assert _run_due(booked) == ["sent"]  # the next attempt settles it


def test_a_cancelled_call_sends_nothing(booked: Wiift) -> None:
    booked.command("/deal", "cancel 1")
    booked.clock.advance(timedelta(hours=28))
    assert _run_due(booked) == ["cancelled"]
    assert _dms(booked) == []


def test_a_failed_dm_is_retried_later_not_lost(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    booked.slack.fail_next("chat.postMessage", error="internal_error")
    assert _run_due(booked) == ["sending"]
    booked.clock.advance(timedelta(seconds=5))
    assert _run_due(booked) == ["sent"]
    assert len([c for c in _dms(booked) if not c.failed]) == 1


def test_slack_500s_around_the_due_time_delay_the_nudge_but_do_not_lose_it(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    booked.slack.fail_next("chat.postMessage", status=500, times=3)
    for _ in range(4):
        _run_due(booked)
        booked.clock.advance(timedelta(seconds=10))
    assert _nudges(booked)[0].state == "sent"
    assert len([c for c in _dms(booked) if not c.failed]) == 1


def test_a_post_that_succeeds_and_then_answers_500_is_not_sent_again(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    booked.slack.fail_next("chat.postMessage", status=500, after_effect=True)
    _run_due(booked)
    booked.clock.advance(timedelta(seconds=10))
    assert _run_due(booked) == ["sent"]
    dm = booked.slack.dm_channel_id(SELLER)
    assert len(booked.slack.messages(dm)) == 1


def test_a_429_reschedules_the_nudge_by_its_retry_after(booked: Wiift) -> None:
    booked.clock.advance(timedelta(hours=28))
    booked.slack.fail_next("chat.postMessage", status=429, retry_after=20)
    assert _run_due(booked) == ["sending"]
    booked.clock.advance(timedelta(seconds=19))
    assert _run_due(booked) == ["sending"]  # not before Slack said
    booked.clock.advance(timedelta(seconds=2))
    assert _run_due(booked) == ["sent"]


def test_the_sweep_arms_open_nudges_that_have_no_live_job(booked: Wiift) -> None:
    [nudge] = _nudges(booked)
    with unit_of_work(booked.services.engine) as session:
        from bot.work.queue import cancel_nudge

        cancel_nudge(session=session, nudge_id=nudge.id or 0, now=booked.clock())
    assert _job_state(booked, nudge.id or 0) == "cancelled"
    assert sweep_nudges(booked.services, now=booked.clock()) == 1
    assert _job_state(booked, nudge.id or 0) == "ready"
    assert sweep_nudges(booked.services, now=booked.clock()) == 0


def test_a_long_deal_stays_within_block_kit_limits(booked: Wiift) -> None:
    names = " ".join(f"Person{i:02d} (VP)," for i in range(40))
    booked.say(f"Met {names} at their offsite", channel=DEAL_CHANNEL)
    for i in range(20):
        booked.command("/deal", f"note #wiift long note {i} " + "x" * 480)
    booked.clock.advance(timedelta(hours=28))
    _run_due(booked)
    [dm] = _dms(booked)
    blocks = dm.json("blocks")
    assert len(blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
