"""A listener pool for Bolt that says when the app has finished its work (tests and the demo wait on it)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class TrackingExecutor(ThreadPoolExecutor):
    def __init__(self, max_workers: int = 16, *, initializer: Callable[[], None] | None = None) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="wiift-worker", initializer=initializer)
        self._busy = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._busy += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any] | None) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    @property
    def idle(self) -> bool:
        with self._idle:
            return self._busy == 0

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self._idle:
            if not self._idle.wait_for(lambda: self._busy == 0, timeout=timeout):
                raise TimeoutError("the app was still working after the timeout")
