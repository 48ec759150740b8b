"""The database gone for a few seconds under a stream of deal updates (PostgreSQL behind a relay that is cut
and restored): what was acknowledged is answered once, what could not be stored is refused with a 5xx so
that Slack delivers it again, and nothing is posted twice. Skipped where no PostgreSQL answers."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.ops.sandbox import Sandbox
from bot.standin import FakeSlack
from tests.conftest import DEAL_CHANNEL, SELLER
from tests.relay import Relay, postgres_behind_relay
from tests.storage.conftest import POSTGRES_URL, postgres_problem

pytestmark = pytest.mark.skipif(postgres_problem() is not None, reason=postgres_problem() or "")

UPDATE = "Need Acme signed by Friday, I'm short on quota this quarter. (#{n})"


@pytest.fixture
def behind_relay() -> Iterator[tuple[str, Relay]]:
    with postgres_behind_relay(POSTGRES_URL) as found:
        yield found


def test_a_database_outage_loses_nothing_acknowledged_and_posts_nothing_twice(
    slack: FakeSlack, behind_relay: tuple[str, Relay]
) -> None:
    url, relay = behind_relay
    sandbox = Sandbox(slack, database_url=url, job_threads=4, job_lease=timedelta(seconds=3))
    try:
        sent: dict[int, tuple[str, str]] = {}  # n -> (ts, event id)
        refused: list[int] = []

        def deliver(n: int, *, retry: bool = False) -> bool:
            ts, event_id = sent.get(n, (None, f"Ev{uuid.uuid4().hex[:12]}"))
            response, ts = sandbox.driver.message(
                channel=DEAL_CHANNEL,
                user=SELLER,
                text=UPDATE.format(n=n),
                ts=ts,
                event_id=event_id,
                retry_num=1 if retry else None,
            )
            sent[n] = (ts, event_id)
            assert response.status in (200, 503), response.status  # never a 500, never a hang
            return response.status == 200

        for n in range(20):  # a stream, with the workers busy on it when the database goes
            deliver(n)
        relay.cut()
        for n in range(20, 30):  # while it is away, nothing can be stored: Slack is told to try again
            if not deliver(n):
                refused.append(n)
        time.sleep(3)
        relay.restore()
        for n in refused:  # Slack's redelivery, until the app takes it
            deadline = time.monotonic() + 30
            while not deliver(n, retry=True):
                assert time.monotonic() < deadline, "the app never took the redelivered update"
                time.sleep(0.2)

        assert refused, "the outage refused nothing: it did not happen"
        expected = {ts for ts, _ in sent.values()}
        deadline = time.monotonic() + 60
        while not expected <= set(_replies(slack)):
            assert time.monotonic() < deadline, f"unanswered: {len(expected - set(_replies(slack)))}"
            time.sleep(0.2)
        sandbox.settle(timeout=30)
        replies = _replies(slack)
        assert set(replies) == expected and set(replies.values()) == {1}, replies
    finally:
        sandbox.close()


def _replies(slack: FakeSlack) -> Counter[str]:
    """How many times the bot replied in each message's thread, by the message's ts."""
    return Counter(
        message["thread_ts"]
        for message in slack.messages(DEAL_CHANNEL)
        if message.get("user") == slack.bot_user_id and message.get("thread_ts")
    )
