"""The job workers in processes of their own, beside the process that answers Slack.

Reading a deal update is CPU work (the engine, the ORM). In the serving process it would hold the GIL the
request threads need to acknowledge Slack within three seconds, and a thread's niceness cannot outbid a lock.
In child processes at the lowest priority the workers get the CPU acknowledgements leave, and on a machine
with more than one core they run beside them.

The parent rings a shared bell when it stores a job, so a child looks at once rather than at its next poll,
and replaces a child that dies.
A child stops on SIGTERM or SIGINT (systemd and a terminal signal the whole group), when its parent asks, or
when its parent is gone; it finishes the jobs in hand and hands back the rest (`Workers.stop`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event
from typing import Any

log = logging.getLogger(__name__)

LOOK_S = 0.5  # how often a child checks that its parent is alive and that it is not asked to stop


ChildMain = Callable[[Any, Event, int], None]  # (settings, bell, parent pid): runs the workers until told


class JobProcesses:
    """`count` child processes, each running `target(settings, bell, parent_pid)` (see `serve_until_told`)."""

    def __init__(self, target: ChildMain, settings: Any, *, count: int = 1, watch_s: float = 1.0) -> None:
        self.target = target
        self.settings = settings
        self.count = count
        self.watch_s = watch_s
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._context = multiprocessing.get_context("spawn")  # nothing of this process's threads is copied
        self._bell = self._context.Event()
        self._children: list[SpawnProcess] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> JobProcesses:
        with self._lock:
            self._children = [self._spawn(index) for index in range(self.count)]
        threading.Thread(target=self._watch, name="wiift-job-processes", daemon=True).start()
        return self

    def _spawn(self, index: int) -> SpawnProcess:
        child = self._context.Process(
            target=self.target,
            args=(self.settings, self._bell, os.getpid()),
            name=f"wiift-jobs-{index}",
            daemon=False,  # it hands back its jobs when it stops, which a daemon is not allowed time for
        )
        child.start()
        return child

    def _watch(self) -> None:
        """A job process that died (killed, out of memory, a crash) is replaced: its held jobs' leases lapse
        and the new one's lookout puts them back. One that stopped cleanly was told to, and is left stopped."""
        while not self._stopping.wait(self.watch_s):
            with self._lock:
                if self._stopping.is_set():
                    return
                for index, child in enumerate(self._children):
                    if child.is_alive() or child.exitcode is None:
                        continue
                    if child.exitcode == 0:  # told to stop (a signal to the group, an operator): not replaced
                        continue
                    log.error("jobs: %s exited (code %s); starting another", child.name, child.exitcode)
                    child.join()
                    self._children[index] = self._spawn(index)

    def wake(self) -> None:
        """A job was stored in this process: let the children's workers look now."""
        self._bell.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask each child to stop, wait for it to finish what it holds, and kill one that does not."""
        with self._lock:
            self._stopping.set()
            children = list(self._children)
        for child in children:
            if child.is_alive() and child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)
        for child in children:
            child.join(timeout=timeout + 5)
            if child.is_alive():
                log.warning("jobs: %s did not stop in time; killed (its leases will lapse)", child.name)
                child.kill()
                child.join()


def serve_until_told(bell: Event, parent: int, *, wake: Callable[[], None]) -> None:
    """In a child: pass the parent's bell on to `wake` until SIGTERM or SIGINT, or until the parent is gone."""
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping.is_set():
        if bell.wait(timeout=LOOK_S):
            bell.clear()
            wake()
        if os.getppid() != parent:
            log.warning("jobs: the serving process is gone; stopping")
            return
