"""The server under abuse: huge and malformed headers, uploads Slack would never send, half-sent requests
and floods of idle connections. Each is refused or closed quickly, and a real request still gets through."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import waitress.buffers

from bot.bounded_server import REQUEST_DEADLINE_S
from tests.conftest import DEAL_CHANNEL, SELLER, Wiift

HALF_SENT_LIMIT_S = 5.0


def _address(wiift: Wiift) -> tuple[str, int]:
    parts = urlsplit(wiift.server.url)
    return str(parts.hostname), int(parts.port or 80)


def _head(headers: dict[str, str | bytes], *, path: str = "/slack/events", method: str = "POST") -> bytes:
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: wiift"]
    for name, value in headers.items():
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode()))
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _status(sock: socket.socket) -> int | None:
    """The status of the response on `sock`, or None when the server closed without one."""
    data = b""
    while b"\r\n" not in data:
        try:
            chunk = sock.recv(4096)
        except ConnectionResetError:
            return None
        if not chunk:
            return None
        data += chunk
    return int(data.split(b" ", 2)[1])


def _exchange(wiift: Wiift, head: bytes, body: bytes = b"") -> tuple[int | None, float]:
    started = time.monotonic()
    with socket.create_connection(_address(wiift), timeout=10) as sock:
        sock.sendall(head)
        with contextlib.suppress(OSError):  # refused before the body: the server has already answered
            sock.sendall(body)
        return _status(sock), time.monotonic() - started


@pytest.fixture
def temp_files(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every temp file waitress opens to hold a request (a body past its in-memory limit)."""
    opened: list[object] = []
    original = waitress.buffers.TempfileBasedBuffer.newfile

    def recording(self: object) -> object:
        opened.append(self)
        return original(self)  # type: ignore[arg-type]

    monkeypatch.setattr(waitress.buffers.TempfileBasedBuffer, "newfile", recording)
    return opened


def test_an_unsigned_300_mib_upload_is_refused_from_its_headers(wiift: Wiift, temp_files: list[object]) -> None:
    head = _head({"Content-Type": "application/json", "Content-Length": str(300 * 2**20)})
    status, took = _exchange(wiift, head, b"x" * 65536)  # the rest of the 300 MiB is never sent
    assert status == 401 and took < 2
    assert temp_files == []


def test_a_signed_looking_upload_larger_than_slack_sends_is_refused_from_its_headers(
    wiift: Wiift, temp_files: list[object]
) -> None:
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(300 * 2**20),
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    status, took = _exchange(wiift, _head(headers), b"x" * 65536)
    assert status == 413 and took < 2
    assert temp_files == []


def test_a_body_slack_could_send_stays_in_memory(wiift: Wiift, temp_files: list[object]) -> None:
    body = b'{"type": "url_verification", "challenge": "c-1", "padding": "' + b"x" * 900_000 + b'"}'
    response = wiift.driver.post(body.decode(), content_type="application/json")
    assert response.status == 200 and "c-1" in response.body
    assert temp_files == []


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        ("1" * 4300, "v0=" + "0" * 64),  # int() refuses more than 4,300 digits
        (str(int(time.time())), "v0=é" + "0" * 63),  # compare_digest refuses non-ASCII text
        ("²", "v0=" + "0" * 64),  # a digit to str.isdigit(), not to int()
        (str(int(time.time())), "v0=" + "0" * 63 + "Z"),
        ("-1", "v0=" + "0" * 64),
        ("1700000000.5", "v0=" + "0" * 64),
    ],
)
def test_malformed_signature_headers_are_a_400_not_a_500(wiift: Wiift, timestamp: str, signature: str) -> None:
    body = b'{"type": "event_callback"}'
    headers: dict[str, str | bytes] = {
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "X-Slack-Request-Timestamp": timestamp.encode("utf-8"),
        "X-Slack-Signature": signature.encode("utf-8"),
    }
    status, _ = _exchange(wiift, _head(headers), body)
    assert status == 400
    wiift.settle()
    assert [c.method for c in wiift.slack.calls if c.method != "auth.test"] == []


@contextmanager
def _connections(wiift: Wiift, count: int, payload: bytes) -> Iterator[list[socket.socket]]:
    opened: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.create_connection(_address(wiift), timeout=10)
            sock.sendall(payload)
            opened.append(sock)
        yield opened
    finally:
        for sock in opened:
            sock.close()


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass  # a 4xx answer is fine too; what matters is that the server lets go
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


def _body_that_never_ends() -> bytes:
    """Signed now: a timestamp taken when the tests were collected can be stale by the time this runs."""
    return (
        b"POST /slack/events HTTP/1.1\r\nHost: wiift\r\nContent-Type: application/json\r\n"
        b'Content-Length: 500\r\nX-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n\r\n{"a'
        % (int(time.time()), b"0" * 64)
    )


@pytest.mark.parametrize(
    "payload",
    [
        b"POST /slack/events HTTP/1.1\r\nHost: wiift\r\nContent-Ty",  # headers that never end
        _body_that_never_ends,
        b"",  # a connection that never says anything
    ],
)
def test_a_half_sent_request_is_closed_within_five_seconds(wiift: Wiift, payload: bytes | Callable[[], bytes]) -> None:
    payload = payload() if callable(payload) else payload
    started = time.monotonic()
    with _connections(wiift, 3, payload) as socks:
        assert all(_closed_within(sock, HALF_SENT_LIMIT_S + 1) for sock in socks)
    assert REQUEST_DEADLINE_S - 0.5 < time.monotonic() - started < HALF_SENT_LIMIT_S + 0.5


def test_a_thousand_idle_half_sent_connections_do_not_lock_slack_out(wiift: Wiift) -> None:
    trickle = b"POST /slack/events HTTP/1.1\r\nHost: wiift\r\n"
    with _connections(wiift, 1100, trickle):
        started = time.monotonic()
        response, ts = wiift.driver.message(channel=DEAL_CHANNEL, user=SELLER, text="Need Acme signed by Friday.")
        took = time.monotonic() - started
    assert response.status == 200 and took < 1.5
    wiift.settle()
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1
