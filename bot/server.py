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
from waitress import wasyncore

from bot.bounded_server import BoundedServer, Screen, adjustments
from bot.http import MAX_BODY

log = logging.getLogger(__name__)

HTTP_THREADS = 16
CONNECTION_LIMIT = 500


class HttpServer:
    """A waitress server that can run in the foreground (`serve_forever`) or a thread (tests, the demo)."""

    def __init__(
        self,
        wsgi_app: Callable[..., Any],
        *,
        host: str,
        port: int,
        threads: int = HTTP_THREADS,
        screen: Screen | None = None,
        connection_limit: int = CONNECTION_LIMIT,
        max_body: int = MAX_BODY,
    ) -> None:
        """`screen` judges a request by its headers before its body is read (see `bot.bounded_server`)."""
        adj = adjustments(host=host, port=port, threads=threads, connection_limit=connection_limit, max_body=max_body)
        self._server = BoundedServer(wsgi_app, adj=adj, screen=screen)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

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
        """Stop a background server: its loop closes every socket itself, then the workers finish.

        The trigger's pipe is only taken out of the loop there, and closed last: the loop may run our
        thunk before `pull_trigger` has written to the pipe, and a worker finishing a request pulls it too."""
        if self._thread is None:
            return
        server, trigger = self._server, self._server.trigger

        def close_all() -> None:
            for channel in list(server._map.values()):
                if channel is trigger:
                    channel.del_channel()
                elif channel is server:
                    wasyncore.dispatcher.close(server)  # the listening socket only: its close() ends the trigger
                else:
                    channel.close()

        trigger.pull_trigger(close_all)
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        trigger.close()
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
