"""When Slack's Web API fails: retried, reported, never a crash or a lost note."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.core.clock import ManualClock
from bot.standin import FakeSlack
from storage.db import unit_of_work
from storage.models import AskedQuestion, Note
from tests.conftest import DEAL_CHANNEL, SELLER, Wiift, answer_text

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."


def test_a_rate_limited_reply_is_rescheduled_by_retry_after_and_posted_once(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", status=429, retry_after=30)
    ts = wiift.say(PRESSURE)
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []  # no worker sleeps it out: the job waits its turn
    wiift.clock.advance(timedelta(seconds=29))
    wiift.settle()
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    wiift.clock.advance(timedelta(seconds=2))
    wiift.settle()
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1
    assert [c.failed for c in wiift.slack.calls_to("chat.postMessage")] == [True, False]


def test_server_errors_are_retried_with_backoff_until_the_reply_is_posted_once(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", status=503, times=3)
    ts = wiift.say(PRESSURE)
    for _ in range(4):
        wiift.clock.advance(timedelta(seconds=10))
        wiift.settle()
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1


def test_a_reply_posted_before_slack_answered_500_is_not_posted_again(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", status=500, after_effect=True)
    ts = wiift.say(PRESSURE)
    wiift.clock.advance(timedelta(seconds=10))
    wiift.settle()
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1
    with unit_of_work(wiift.services.engine) as session:
        assert session.exec(select(AskedQuestion)).one().reply_ts is not None


def test_not_in_channel_joins_and_posts(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", error="not_in_channel")
    ts = wiift.say(PRESSURE)
    assert len(wiift.slack.calls_to("conversations.join")) == 1
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1


def test_a_reply_slack_refuses_for_good_is_not_retried_and_a_redelivery_adds_nothing(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", error="channel_not_found", times=1)
    _, ts = wiift.driver.message(channel=DEAL_CHANNEL, user=SELLER, text=PRESSURE, event_id="EvF")
    wiift.settle()
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    wiift.clock.advance(timedelta(minutes=2))
    wiift.driver.message(channel=DEAL_CHANNEL, user=SELLER, text=PRESSURE, ts=ts, event_id="EvF", retry_num=1)
    wiift.settle()
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    assert len(wiift.slack.calls_to("chat.postMessage")) == 1


def test_a_failing_reaction_never_loses_the_note(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    ts = wiift.say(PRESSURE)
    wiift.slack.fail_next("reactions.add", status=500, times=5)
    wiift.say("Their fiscal year ends in June, not our quarter.", thread_ts=ts)
    with unit_of_work(wiift.services.engine) as session:
        assert [n.text for n in session.exec(select(Note))] == ["Their fiscal year ends in June, not our quarter."]


def test_close_when_the_channel_refuses_us_still_answers_the_closer(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", error="is_archived")
    answer = wiift.command("/deal", "close won")
    assert "One last question" in answer_text(answer)


def test_a_failed_channel_lookup_is_asked_again_within_seconds_not_minutes(
    slack: FakeSlack, clock: ManualClock, database_url: str
) -> None:
    seconds = [1000.0]
    wiift = Wiift(slack, database_url=database_url, clock=clock, monotonic=lambda: seconds[0])
    try:
        slack.fail_next("conversations.info", error="internal_error")  # Slack has a bad moment
        first = wiift.say(PRESSURE)
        assert wiift.thread_replies(DEAL_CHANNEL, first) == []  # no channel name, so no deal yet
        seconds[0] += 2
        wiift.say(PRESSURE)
        assert len(slack.calls_to("conversations.info")) == 1  # a failure is not asked again at once
        seconds[0] += 4
        third = wiift.say(PRESSURE)
        assert len(wiift.thread_replies(DEAL_CHANNEL, third)) == 1  # six seconds on, Slack is asked again
    finally:
        wiift.close()
