"""The stand-in Slack in a child process for benchmarks. Real Slack is remote, so its work must neither
share the measured process's GIL nor outbid it for the CPU (the child runs at a lower priority). The child
answers "wait" requests with the arrival times of the calls it recorded (CLOCK_MONOTONIC, shared by both
processes)."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from typing import Any

from bot.standin import FakeSlack


def _serve(conn: Connection, users: list[str], channels: list[tuple[str, str]]) -> None:
    os.nice(10)  # Slack's servers are not on this machine: their work should not outbid what is measured
    with FakeSlack() as slack:
        for user in users:
            slack.add_user(user, name=user.lower(), tz="America/New_York")
        for channel_id, name in channels:
            slack.add_channel(channel_id, name=name, members=[*users[:1], slack.bot_user_id])
        conn.send(slack.base_url)
        while True:
            command, method, count = conn.recv()
            if command == "stop":
                return
            conn.send([call.at for call in slack.wait_for(method, count, timeout=300)])


class StandinProcess:
    def __init__(self, *, users: list[str], channels: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve, args=(child, users, list(channels)), daemon=True)
        self._process.start()
        self.base_url: str = self._conn.recv()

    def arrivals(self, method: str, count: int) -> list[float]:
        self._conn.send(("wait", method, count))
        result: Any = self._conn.recv()
        return list(result)

    def stop(self) -> None:
        self._conn.send(("stop", "", 0))
        self._process.join(timeout=10)
