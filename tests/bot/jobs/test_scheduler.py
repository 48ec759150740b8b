"""The scheduler on wall-clock time: nudges fire, survive restarts, respect their grace, and run in one
process only. Calls are booked a few seconds out so nothing waits long."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.core.clock import system_clock
from bot.jobs.scheduler import Leader
from bot.ops.sandbox import Sandbox
from bot.standin import FakeSlack
from storage.db import unit_of_work
from storage.models import Nudge
from tests.conftest import DEAL_CHANNEL, SELLER

NEW_YORK = ZoneInfo("America/New_York")


def _when(seconds_from_now: float) -> str:
    """A call time the seller types, `seconds_from_now` ahead, to the second, in their zone."""
    at = datetime.now(UTC) + timedelta(seconds=seconds_from_now)
    return at.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def start(slack: FakeSlack, database_url: str) -> Iterator:  # type: ignore[type-arg]
    opened: list[Sandbox] = []

    def open_app(**kwargs: object) -> Sandbox:
        sandbox = Sandbox(slack, database_url=database_url, clock=system_clock, **kwargs)  # type: ignore[arg-type]
        opened.append(sandbox)
        return sandbox

    yield open_app
    for sandbox in opened:
        sandbox.close()


def _book(app: Sandbox, *, lead_minutes: int, call_in_s: float) -> None:
    app.run_command("/deal", "new Acme", channel=DEAL_CHANNEL, user=SELLER)
    app.run_command("/coach", f"lead {lead_minutes}", channel=DEAL_CHANNEL, user=SELLER)
    answer = app.run_command("/deal", f"call {_when(call_in_s)}", channel=DEAL_CHANNEL, user=SELLER)
    assert "Booked call" in str(answer.params["text"]), answer.params["text"]


def _nudge_dms(slack: FakeSlack) -> list:  # type: ignore[type-arg]
    dm = slack.dm_channel_id(SELLER)
    return [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == dm and not c.failed]


def _state(app: Sandbox) -> str:
    with unit_of_work(app.services.engine) as session:
        return session.exec(select(Nudge)).one().state


def _eventually(app: Sandbox, state: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _state(app) != state and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(app) == state


def test_a_nudge_fires_at_its_time(start, slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    app = start(run_jobs=True)
    _book(app, lead_minutes=1, call_in_s=64.0)  # due in 4 s: booking takes a while on a busy machine
    assert _nudge_dms(slack) == []
    _eventually(app, "sent")
    assert len(_nudge_dms(slack)) == 1


def test_a_nudge_due_while_wiift_was_down_is_sent_once_after_restart(start, slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    first = start(run_jobs=True)
    _book(first, lead_minutes=1, call_in_s=63.0)  # due in 3 s, with a minute of grace
    first.close()
    time.sleep(3.5)  # the nudge falls due while nothing runs
    assert _nudge_dms(slack) == []
    second = start(run_jobs=True)
    _eventually(second, "sent")
    second.close()
    start(run_jobs=True)  # and a third start sends nothing more
    time.sleep(0.5)
    assert len(_nudge_dms(slack)) == 1


def test_a_nudge_past_its_grace_is_recorded_missed_and_not_sent(start, slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    first = start(run_jobs=True)
    _book(first, lead_minutes=0, call_in_s=3.0)  # due at the call's start: no grace left after it
    first.close()
    time.sleep(4.0)
    second = start(run_jobs=True)
    _eventually(second, "missed")
    assert _nudge_dms(slack) == []


def test_only_one_of_two_processes_leads_and_the_other_takes_over(start, slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    leader = start(run_jobs=True, lease_heartbeat_s=0.2)
    standby = start(run_jobs=True, lease_heartbeat_s=0.2)
    assert leader.instance.leader.leading and not standby.instance.leader.leading
    _book(standby, lead_minutes=1, call_in_s=62.0)  # booked through the standby: its job is in the shared table
    _eventually(leader, "sent")
    time.sleep(0.5)
    assert len(_nudge_dms(slack)) == 1

    leader.close()  # releases the lease
    deadline = time.monotonic() + 5
    while not standby.instance.leader.leading and time.monotonic() < deadline:
        time.sleep(0.05)
    assert standby.instance.leader.leading


def test_two_leaders_at_once_still_send_each_nudge_once(start, slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    first = start(run_jobs=True)
    second = start(run_jobs=True)
    _book(first, lead_minutes=1, call_in_s=61.5)
    for app in (first, second):  # both run the sweep, as two leaders would for a moment
        app.instance.leader.sweep() if app.instance.leader.leading else Leader.sweep(app.instance.leader)
    _eventually(first, "sent")
    time.sleep(0.5)
    assert len(_nudge_dms(slack)) == 1
