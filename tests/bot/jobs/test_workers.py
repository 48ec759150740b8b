"""The job workers: retries with backoff until Slack answers, and a word to the person when they give up."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage.db import unit_of_work
from storage.models import Job
from tests.conftest import DEAL_CHANNEL, SELLER, Wiift

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."


def _jobs(wiift: Wiift) -> list[tuple[str, str, int]]:
    with unit_of_work(wiift.services.engine) as session:
        return [(j.kind, j.state, j.attempts) for j in session.exec(select(Job))]


def test_an_update_slack_keeps_refusing_is_given_up_and_its_poster_told_privately(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", status=500, times=50)
    ts = wiift.say(PRESSURE)
    for _ in range(12):  # each retry waits its backoff: 1 s, 2 s, 4 s … on the app's clock
        wiift.clock.advance(timedelta(minutes=5))
        wiift.settle()
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    assert ("update", "failed", 8) in _jobs(wiift)
    [told] = wiift.slack.calls_to("chat.postEphemeral")
    assert told.params["user"] == SELLER and "couldn't read that update" in str(told.params["text"])
    assert "error id `" in str(told.params["text"])


def test_a_job_that_fails_once_is_retried_and_done_once(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    wiift.slack.fail_next("chat.postMessage", status=502)
    ts = wiift.say(PRESSURE)
    assert [(k, s) for k, s, _ in _jobs(wiift)] == [("update", "ready")]  # waiting out its backoff
    wiift.clock.advance(timedelta(seconds=5))
    wiift.settle()
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1
    assert _jobs(wiift) == [("update", "done", 2)]
