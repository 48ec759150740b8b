"""Sending weekly digests over the stand-in Slack: due at the slot, once a week across re-runs and
restarts, resumed after a crash, paced under 429s, and never empty."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import select

from bot.standin import FakeSlack
from bot.work import digest_run
from bot.work.digest import digest_block_id
from bot.work.digest_run import Pacer, run_digests
from storage.db import unit_of_work
from storage.models import DigestRecord
from tests.conftest import MANAGER, SELLER, Wiift, answer_text

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."
VALUE = "Their CFO Dana says the manual reconciliation costs her team two days a month."
WEEK = "2026-W47"  # START is Monday 16 Nov 2026, 10:00 in New York: Monday 08:00 has passed


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def retry_sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sleeps]:
    """slack_sdk's 429 handler sleeps Retry-After plus up to 1 s of jitter: record the sleeps instead."""
    from slack_sdk.http_retry import builtin_handlers

    sleeps = Sleeps()
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=sleeps))
    monkeypatch.setattr(builtin_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    yield sleeps


def _pacer() -> tuple[Pacer, Sleeps]:
    sleeps = Sleeps()
    return Pacer(interval=0.5, sleep=sleeps, monotonic=lambda: 0.0), sleeps


def _send(wiift: Wiift, **kwargs: Any) -> digest_run.DigestReport:
    kwargs.setdefault("pacer", _pacer()[0])
    return run_digests(wiift.services, wiift.app.client, now=wiift.clock(), **kwargs)


def _dms(wiift: Wiift, user: str = SELLER) -> list[dict[str, Any]]:
    return [
        m
        for m in wiift.slack.messages(wiift.slack.dm_channel_id(user))
        if any(str(b.get("block_id", "")).startswith("wiift-digest-") for b in m.get("blocks") or [])
    ]


def _records(wiift: Wiift) -> list[DigestRecord]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(DigestRecord)))


def _text(message: dict[str, Any]) -> str:
    return "\n".join(
        str((b.get("text") or {}).get("text") or "")
        + " ".join(str(e.get("text", "")) for e in b.get("elements") or [] if isinstance(e, dict))
        for b in message.get("blocks") or []
    )


def test_a_due_seller_gets_one_digest_dm_with_the_week(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.say(VALUE)
    report = _send(wiift)
    assert (report.sent, report.sent_to) == (1, [SELLER])
    [dm] = _dms(wiift)
    text = _text(dm)
    assert "Acme" in text and "Buyer focus this week" in text
    assert "1 of 2 updates named what the buyer gains" in text
    assert "One question for the week" in text
    [record] = _records(wiift)
    assert (record.week, record.state, record.dm_ts) == (WEEK, "sent", dm["ts"])
    assert len(wiift.slack.calls_to("conversations.open")) == 1


def test_nobody_is_sent_an_empty_digest(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")  # owns a deal, but nothing happened on it this week
    wiift.clock.advance(timedelta(days=8))
    report = _send(wiift)
    assert (report.sent, report.empty) == (0, 1)
    assert wiift.slack.calls_to("chat.postMessage") == []
    assert [r.state for r in _records(wiift)] == ["empty"]


def test_not_before_the_slot_and_not_when_off(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.command("/coach", "digest fri 16:30")
    assert _send(wiift).not_due == 1
    wiift.clock.advance(timedelta(days=4, hours=6, minutes=29))  # Friday 16:29 in New York
    assert _send(wiift).not_due == 1
    wiift.clock.advance(timedelta(minutes=1))
    assert _send(wiift).sent == 1
    wiift.clock.advance(timedelta(days=7))
    wiift.say(PRESSURE + " Still.")
    wiift.command("/coach", "digest off")
    assert _send(wiift).off == 1
    assert len(_dms(wiift)) == 1


def test_once_a_week_across_re_runs_and_a_restart(wiift: Wiift, slack: FakeSlack, database_url: str) -> None:
    wiift.say(PRESSURE)
    assert _send(wiift).sent == 1
    assert _send(wiift).sent == 0
    wiift.close()
    restarted = Wiift(slack, database_url=database_url, clock=wiift.clock)
    try:
        again = run_digests(restarted.services, restarted.app.client, now=restarted.clock(), pacer=_pacer()[0])
        assert (again.sent, again.already) == (0, 1)
        forced = run_digests(
            restarted.services,
            restarted.app.client,
            now=restarted.clock(),
            only_user=(slack.team_id, SELLER),
            force=True,
        )
        assert forced.sent == 0
        assert len(_dms(restarted)) == 1
        restarted.clock.advance(timedelta(days=7))  # next week: a new digest (if there is anything to say)
        restarted.say(VALUE)
        assert run_digests(restarted.services, restarted.app.client, now=restarted.clock()).sent == 1
        assert len(_dms(restarted)) == 2
    finally:
        restarted.close()
        wiift.close = lambda: None  # type: ignore[method-assign]  # already closed above


def test_a_run_that_crashed_after_posting_is_finished_without_a_second_dm(
    wiift: Wiift, monkeypatch: pytest.MonkeyPatch
) -> None:
    wiift.say(PRESSURE)
    real_finish = digest_run._finish

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(digest_run, "_finish", crash)
    with pytest.raises(RuntimeError):
        _send(wiift)
    monkeypatch.setattr(digest_run, "_finish", real_finish)
    assert len(_dms(wiift)) == 1
    assert [r.state for r in _records(wiift)] == ["claimed"]
    assert _send(wiift).sent == 0  # a fresh claim is left alone: its run may still be sending
    wiift.clock.advance(digest_run.RECLAIM_AFTER + timedelta(seconds=1))
    assert _send(wiift).sent == 1  # taken over: found in the DM, recorded, not posted again
    assert len(_dms(wiift)) == 1
    [record] = _records(wiift)
    assert (record.state, record.dm_ts) == ("sent", _dms(wiift)[0]["ts"])
    assert len(wiift.slack.calls_to("conversations.history")) == 1


def test_a_run_that_crashed_before_posting_sends_on_resume(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.slack.fail_next("chat.postMessage", status=500)  # no client retry: a 500 may follow a post that went out
    report = _send(wiift)
    assert (report.sent, report.deferred) == (0, 1)
    assert [r.state for r in _records(wiift)] == ["claimed"]
    wiift.clock.advance(timedelta(minutes=15))
    assert _send(wiift).sent == 1
    assert len(_dms(wiift)) == 1


def test_a_burst_of_429s_is_waited_out_as_retry_after_asks(wiift: Wiift, retry_sleeps: Sleeps) -> None:
    wiift.say(PRESSURE)
    wiift.slack.fail_next("chat.postMessage", status=429, retry_after=2, times=2)
    report = _send(wiift)
    assert report.sent == 1
    assert retry_sleeps.slept == [2.0, 2.0]
    posts = wiift.slack.calls_to("chat.postMessage")
    assert [c.failed for c in posts[-3:]] == [True, True, False]
    assert len(_dms(wiift)) == 1


def test_a_large_workspace_is_paced_and_a_send_still_limited_is_resumed(wiift: Wiift, retry_sleeps: Sleeps) -> None:
    people = [f"USELLER{i}" for i in range(5)]
    for i, person in enumerate(people):
        wiift.slack.add_user(person, name=f"seller{i}", tz="America/New_York")
        channel = f"CDEAL{i}"
        wiift.slack.add_channel(channel, name=f"deal-co{i}", members=[person, wiift.slack.bot_user_id])
        wiift.say(PRESSURE, channel=channel, user=person)
    wiift.slack.reset()
    pacer, paced = _pacer()
    wiift.slack.fail_next("chat.postMessage", status=429, retry_after=1, times=4)  # the first send runs out of retries
    report = _send(wiift, pacer=pacer)
    assert (report.sent, report.deferred) == (4, 1)
    assert pacer.interval == 1.0  # slowed down from 0.5
    assert len(paced.slept) == 4  # every send after the first waited its turn
    assert retry_sleeps.slept == [1.0, 1.0, 1.0]
    wiift.clock.advance(timedelta(minutes=5))
    assert _send(wiift).sent == 0  # the claim is too fresh to take over yet
    wiift.clock.advance(timedelta(minutes=10))
    assert _send(wiift).sent == 1
    for person in people:
        assert len(_dms(wiift, person)) == 1
    assert {r.state for r in _records(wiift)} == {"sent"}


def test_repeated_rate_limits_stop_the_run_for_the_next_tick(wiift: Wiift, retry_sleeps: Sleeps) -> None:
    people = [f"USELLER{i}" for i in range(4)]
    for i, person in enumerate(people):
        wiift.slack.add_user(person, name=f"seller{i}", tz="America/New_York")
        wiift.slack.add_channel(f"CDEAL{i}", name=f"deal-co{i}", members=[person, wiift.slack.bot_user_id])
        wiift.say(PRESSURE, channel=f"CDEAL{i}", user=person)
    wiift.slack.fail_next("chat.postMessage", status=429, retry_after=1, times=12)
    report = _send(wiift)
    assert report.stopped and report.deferred == digest_run.STOP_AFTER_LIMITED and report.sent == 0
    assert len([r for r in _records(wiift) if r.state == "claimed"]) == digest_run.STOP_AFTER_LIMITED
    wiift.clock.advance(timedelta(minutes=11))
    assert _send(wiift).sent == 4


def test_a_deactivated_person_is_not_retried_all_week(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.slack.fail_next("chat.postMessage", error="account_inactive")
    assert _send(wiift).failed == 1
    wiift.clock.advance(timedelta(hours=1))
    assert _send(wiift).already == 1
    assert [r.state for r in _records(wiift)] == ["failed"]


def test_someone_who_only_posted_on_another_owners_deal_gets_their_own_digest(wiift: Wiift) -> None:
    wiift.say(PRESSURE)  # Sam's post creates the deal: Sam owns it
    wiift.say(VALUE, user=MANAGER)
    report = _send(wiift)
    assert sorted(report.sent_to) == sorted([SELLER, MANAGER])
    [mia] = _dms(wiift, MANAGER)
    assert "1 of 1 update named what the buyer gains" in _text(mia)


def test_the_scheduled_tick_stores_one_job_per_person_and_the_workers_send_it_once(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    clients = wiift.instance.workers.clients
    assert digest_run.enqueue_due_digests(wiift.services, clients, now=wiift.clock()) == 1
    assert digest_run.enqueue_due_digests(wiift.services, clients, now=wiift.clock()) == 0  # a second leader
    wiift.settle()
    assert len(_dms(wiift)) == 1


def test_a_digest_job_whose_post_went_through_before_a_500_is_not_sent_twice(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.slack.fail_next("chat.postMessage", status=500, after_effect=True)
    digest_run.enqueue_due_digests(wiift.services, wiift.instance.workers.clients, now=wiift.clock())
    wiift.settle()
    wiift.clock.advance(timedelta(minutes=5))  # past the job's backoff
    wiift.settle()
    assert len(_dms(wiift)) == 1
    assert [r.state for r in _records(wiift)] == ["sent"]


def test_the_digest_carries_its_week_marker(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    _send(wiift)
    [dm] = _dms(wiift)
    assert digest_block_id(WEEK) in {b.get("block_id") for b in dm["blocks"]}
    assert "coach digest off" in answer_text(wiift.slack.calls_to("chat.postMessage")[-1])
