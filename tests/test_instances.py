"""Three `wiift run` processes on one PostgreSQL, driven as Slack drives them.

Updates spread across the instances with Slack's retries sent to other instances get exactly one reply each;
an instance killed with SIGKILL (or its process group sent SIGTERM) mid-stream loses nothing it acknowledged;
the scheduler's leader frozen past its lease and thawed sends no nudge twice. Skipped where no PostgreSQL
answers at 127.0.0.1:5432.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.standin import FakeSlack
from bot.standin.driver import SlackDriver
from storage.db import make_engine
from tests.storage.conftest import POSTGRES_URL, postgres_problem

pytestmark = pytest.mark.skipif(postgres_problem() is not None, reason=postgres_problem() or "")

ROOT = Path(__file__).resolve().parents[1]
SECRET = "instances-signing-secret"
SELLERS = [f"USELLER{i}" for i in range(5)]
CHANNELS = [f"CDEAL{i}" for i in range(5)]
PRESSURE = "Need this one signed by Friday, I'm short on quota this quarter."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Instance:
    port: int
    process: subprocess.Popen  # type: ignore[type-arg]
    driver: SlackDriver

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Cluster:
    slack: FakeSlack
    database_url: str
    schema: str
    instances: list[Instance] = field(default_factory=list)

    def start(self, count: int) -> None:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-stand-in",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": self.slack.base_url,
            "DATABASE_URL": self.database_url,
            "WIIFT_JOB_LEASE_SECONDS": "3",
            "WIIFT_SCHEDULER_LEASE_SECONDS": "6",
            "SLACK_APP_TOKEN": "",
        }
        for _ in range(count):  # started together: the migration on the empty schema is serialised
            port = _free_port()
            command = [sys.executable, "-m", "bot.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
            process = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
            )
            driver = SlackDriver(
                app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, slack=self.slack
            )
            self.instances.append(Instance(port, process, driver))
        for instance in self.instances:
            _wait_ready(instance)

    def stop(self) -> None:
        for instance in self.instances:
            if instance.alive:
                os.killpg(instance.process.pid, signal.SIGCONT)
                os.killpg(instance.process.pid, signal.SIGTERM)
        for instance in self.instances:
            try:
                instance.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(instance.process.pid, signal.SIGKILL)
                instance.process.wait()
            if instance.process.stderr is not None:
                instance.process.stderr.close()

    def replies(self) -> Counter[str]:
        """How many times the bot replied in each message's thread, by the message's ts."""
        counts: Counter[str] = Counter()
        for channel in CHANNELS:
            for message in self.slack.messages(channel):
                if message.get("user") == self.slack.bot_user_id and message.get("thread_ts"):
                    counts[message["thread_ts"]] += 1
        return counts

    def wait_for(self, done: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError("timed out")
            time.sleep(0.1)

    def sql(self, query: str) -> list[tuple]:  # type: ignore[type-arg]
        engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={self.schema}"})
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(query))]
        finally:
            engine.dispose()


def _wait_ready(instance: Instance, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not instance.alive:
            raise AssertionError(f"wiift run exited: {instance.process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{instance.port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("wiift run did not come up")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    slack = FakeSlack().start()
    for seller, channel in zip(SELLERS, CHANNELS, strict=True):
        slack.add_user(seller, name=seller.lower(), tz="America/New_York")
        slack.add_channel(channel, name=f"deal-{channel.lower()}", members=[seller, slack.bot_user_id])
    schema = f"wiift_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    running = Cluster(slack=slack, database_url=url, schema=schema)
    try:
        yield running
    finally:
        running.stop()
        slack.stop()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _send(instance: Instance, n: int, *, ts: str | None = None, event_id: str | None = None, retry: bool = False):  # type: ignore[no-untyped-def]
    """Seller n%5 posts an update through `instance`: (acknowledged, ts, event id)."""
    event_id = event_id or f"Ev{uuid.uuid4().hex[:12]}"
    try:
        response, ts = instance.driver.message(
            channel=CHANNELS[n % 5],
            user=SELLERS[n % 5],
            text=f"{PRESSURE} (#{n})",
            ts=ts,
            event_id=event_id,
            retry_num=1 if retry else None,
        )
    except OSError:
        return False, ts, event_id
    return response.status == 200, ts, event_id


def test_three_instances_answer_each_update_once_with_retries_sent_elsewhere(cluster: Cluster) -> None:
    cluster.start(3)
    sent: list[str] = []
    with ThreadPoolExecutor(8) as pool:
        firsts = list(pool.map(lambda n: (n, *_send(cluster.instances[n % 3], n)), range(180)))
        retries = [
            pool.submit(_send, cluster.instances[(n + 1) % 3], n, ts=ts, event_id=event_id, retry=True)
            for n, ok, ts, event_id in firsts
            if n % 3 == 0
        ]
        assert all(r.result()[0] for r in retries)
    assert all(ok for _n, ok, _ts, _e in firsts)
    sent = [ts for _n, _ok, ts, _e in firsts if ts]
    cluster.wait_for(lambda: len(cluster.replies()) >= len(sent))
    time.sleep(1.0)  # nothing more arrives
    replies = cluster.replies()
    assert set(replies) == set(sent) and set(replies.values()) == {1}
    workers = {row[0].rsplit(":", 1)[0] for row in cluster.sql("SELECT locked_by FROM job WHERE locked_by IS NOT NULL")}
    assert len(workers) <= 3


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM to the process group"])
def test_an_instance_stopped_mid_stream_loses_nothing_it_acknowledged(cluster: Cluster, how: str) -> None:
    cluster.start(3)
    victim = cluster.instances[0]
    acked: list[str] = []
    refused: list[tuple[int, str | None, str]] = []

    def one(n: int) -> None:
        if n == 60:
            os.killpg(victim.process.pid, signal.SIGKILL if how == "SIGKILL" else signal.SIGTERM)
        ok, ts, event_id = _send(cluster.instances[n % 3], n)
        if ok and ts:
            acked.append(ts)
        else:
            refused.append((n, ts, event_id))

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(one, range(150)))
    for n, ts, event_id in refused:  # what the stopped instance never acknowledged, Slack delivers again
        ok, ts, _ = _send(cluster.instances[1], n, ts=ts, event_id=event_id, retry=True)
        assert ok and ts
        acked.append(ts)
    victim.process.wait(timeout=20)
    cluster.wait_for(lambda: set(acked) <= set(cluster.replies()))
    time.sleep(1.0)
    assert set(cluster.replies().values()) == {1}
    assert len(acked) == 150


def _when(seconds_from_now: float) -> str:
    at = datetime.now(UTC) + timedelta(seconds=seconds_from_now)
    return at.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M:%S")


def test_the_leader_frozen_past_its_lease_sends_no_nudge_twice(cluster: Cluster) -> None:
    cluster.start(3)
    first = cluster.instances[0].driver
    for seller, channel in zip(SELLERS, CHANNELS, strict=True):
        assert first.command("/deal", f"new {channel}", user=seller, channel=channel).status == 200
        assert first.command("/coach", "lead 1", user=seller, channel=channel).status == 200
    # The commands finish after their acks: the deals and the leads are stored before anyone is frozen.
    cluster.wait_for(lambda: cluster.sql("SELECT count(*) FROM deal")[0][0] == 5, timeout=20)
    cluster.wait_for(lambda: cluster.sql("SELECT count(*) FROM userprofile WHERE lead_minutes = 1")[0][0] == 5, 20)
    holder = cluster.sql("SELECT holder FROM schedulerlease")[0][0]
    leader = next(i for i in cluster.instances if f":{i.process.pid}:" in holder)
    os.killpg(leader.process.pid, signal.SIGSTOP)
    try:
        for k, (seller, channel) in enumerate(zip(SELLERS, CHANNELS, strict=True)):
            others = [i for i in cluster.instances if i is not leader]
            answer = others[k % 2].driver.command("/deal", f"call {_when(63 + k)}", user=seller, channel=channel)
            assert answer.status == 200
        cluster.wait_for(lambda: len(cluster.sql("SELECT 1 FROM schedulerlease WHERE holder <> " + repr(holder))) == 1)
        cluster.wait_for(lambda: cluster.sql("SELECT count(*) FROM nudge WHERE state = 'sent'")[0][0] == 5)
    finally:
        os.killpg(leader.process.pid, signal.SIGCONT)
    time.sleep(3.0)  # the thawed instance finds the lease gone and its work done
    dms = [c for c in cluster.slack.calls_to("chat.postMessage") if str(c.params.get("channel", "")).startswith("D")]
    assert len([c for c in dms if not c.failed]) == 5
