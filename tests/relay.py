"""A TCP relay to a database server, for tests: cutting it is the server going away (a crash, a network cut),
restoring it is the server back."""

from __future__ import annotations

import contextlib
import socket
import threading
import uuid
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import make_engine


class Relay:
    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._down = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if self._down:  # the server is away: the connection is refused
                    client.close()
                    continue
            try:
                server = socket.create_connection(self._target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def cut(self) -> None:
        """Every open connection drops and new ones are refused until `restore`."""
        with self._lock:
            self._down = True
            open_, self._open = self._open, []
        for sock in open_:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        with self._lock:
            self._down = False

    def close(self) -> None:
        self.cut()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread: nothing more gets through
        self._listener.close()


@contextlib.contextmanager
def postgres_behind_relay(server_url: str) -> Iterator[tuple[str, Relay]]:
    """A fresh schema on `server_url`'s PostgreSQL, reached through a relay: its URL and the relay. The schema
    is dropped and the relay closed afterwards."""
    target = make_url(server_url)
    relay = Relay((target.host or "127.0.0.1", target.port or 5432))
    schema = f"wiift_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = target.set(host="127.0.0.1", port=relay.port, query={"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False), relay
    finally:
        relay.close()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
