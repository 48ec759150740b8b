"""The stand-in Slack in a child process for benchmarks. Real Slack is remote, so its work must neither
share the measured process's GIL nor outbid it for the CPU (the child runs at a lower priority). The child
answers "wait" requests with the arrival times of the calls it recorded (CLOCK_MONOTONIC, shared by both
processes)."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from typing import Any

from bot.core.priority import idle_this_process
from bot.standin import FakeSlack


def _serve(conn: Connection, users: list[str], channels: list[tuple[str, str]], idle: bool) -> None:
    # Slack's servers are not on this machine: their work should not outbid what is measured.
    if idle:
        idle_this_process()  # only on CPU time nothing else wants
    else:
        os.nice(10)
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
            if command == "count":
                conn.send(len(slack.calls))
                continue
            conn.send([call.at for call in slack.wait_for(method, count, timeout=300)])


class StandinProcess:
    def __init__(self, *, users: list[str], channels: list[tuple[str, str]] = (), idle: bool = False) -> None:  # type: ignore[assignment]
        """`idle` runs the stand-in only on otherwise idle CPU (else at niceness 10)."""
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve, args=(child, users, list(channels), idle), daemon=True)
        self._process.start()
        self.base_url: str = self._conn.recv()

    def arrivals(self, method: str, count: int) -> list[float]:
        self._conn.send(("wait", method, count))
        result: Any = self._conn.recv()
        return list(result)

    def count(self) -> int:
        """How many calls Slack has received so far."""
        self._conn.send(("count", "", 0))
        return int(self._conn.recv())

    def stop(self) -> None:
        self._conn.send(("stop", "", 0))
        self._process.join(timeout=10)
