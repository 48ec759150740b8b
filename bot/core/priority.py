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
