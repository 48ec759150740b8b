"""Background work yields the CPU to the threads that answer Slack.

Slack wants every request acknowledged within three seconds; reading a deal update and replying can wait
a moment. On Linux each thread has its own niceness, so the coaching pool's threads run at the lowest
priority and the request threads get the CPU first when both want it. Elsewhere this does nothing.
"""

from __future__ import annotations

import contextlib
import os
import threading

BACKGROUND_NICENESS = 19


def lower_this_thread() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)


def idle_this_process() -> None:
    """Run only on CPU time nothing else wants (Linux's SCHED_IDLE, below even the lowest niceness; any
    process may lower itself to it), else at the lowest niceness."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(AttributeError, OSError):
            os.nice(BACKGROUND_NICENESS)
