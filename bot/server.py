"""Serving the app: HTTP through waitress (a production WSGI server), or Socket Mode.

Bolt's `App.start()` is a development server with a listen backlog of five; waitress keeps a real backlog
and a thread pool, and runs in one process, which is what makes "one scheduler per deployment" simple.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from waitress.server import create_server

log = logging.getLogger(__name__)

HTTP_THREADS = 16


class HttpServer:
    """A waitress server that can run in the foreground (`serve_forever`) or a thread (tests, the demo)."""

    def __init__(self, wsgi_app: Callable[..., Any], *, host: str, port: int, threads: int = HTTP_THREADS) -> None:
        self._server = create_server(
            wsgi_app,
            host=host,
            port=port,
            threads=threads,
            backlog=2048,
            connection_limit=1000,
            asyncore_loop_timeout=1,  # seconds, an int: waitress turns 0.2 into 0 and spins a core
            ident="wiift",
        )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.effective_port)  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def serve_forever(self) -> None:
        """Serve until SIGTERM or SIGINT, then finish in-flight requests and return."""

        def stop(signum: int, _frame: Any) -> None:
            log.info("signal %s: shutting down", signum)
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self._server.run()

    def start_background(self) -> HttpServer:
        self._thread = threading.Thread(target=self._server.run, name="wiift-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop a background server: its loop closes every socket itself, then the workers finish."""
        if self._thread is None:
            return
        socket_map = self._server._map  # type: ignore[union-attr]

        def close_all() -> None:
            for channel in list(socket_map.values()):
                channel.close()

        self._server.trigger.pull_trigger(close_all)  # type: ignore[union-attr]
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        self._thread = None


def serve_socket_mode(app: App, *, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %s: closing the Socket Mode connection", signum)
        handler.close()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    handler.start()
