"""250 generated malformed requests, on SQLite and PostgreSQL: odd headers, signed bodies of the wrong shape,
commands, buttons, modals and events carrying values no Slack client sends. Every one gets a 4xx or a 2xx
within Slack's three seconds, no listener fails, and the database is exactly as it was."""

from __future__ import annotations

import json
import logging
import random
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.ops.sandbox import SIGNING_SECRET
from storage.db import unit_of_work
from tests.conftest import DEAL_CHANNEL, SELLER, Wiift

CASES = 250
ANSWER_WITHIN_S = 3.0
WEIRD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x07\x1b[31m",
    "é" * 3000,
    "💥" * 600,
    "x" * 40_000,
    "&amp;amp;&lt;&gt;",
    "<!channel> <!here|here> <@U123|x> <#C123> <https://evil.example|click>",
    "‮reversed",
    "\ud7ff\ue000\uffff",
    "99999999999999999999",
    "-1",
    "1e309",
    "²³",
    "١٢٣",
    "９９９９-12-31 23:59",
    "0001-01-01 00:00",
    "in 1000000000 hours",
    "null",
    "{}",
    "[]",
    "\n\n\n",
    "' OR 1=1 --",
    "%s%s%s%n",
]
WEIRD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    10**30,
    1.5e300,
    [],
    {},
    {"a": [1, {"b": None}]},
    *WEIRD_TEXT[:20],
]
COMMAND_WORDS = [
    "help",
    "show",
    "list",
    "calls",
    "nope",
    "cancel",
    "move",
    "call",
    "owner",
    "close",
    "new",
    "note",
    "lead",
    "digest",
    "quiet!",
]


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    headers: dict[str, bytes]
    body: bytes


@pytest.fixture
def database_url(any_database_url: str) -> str:
    return any_database_url


def _signed(body: bytes, content_type: str, *, timestamp: int | None = None) -> dict[str, bytes]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body.decode()) or ""
    return {
        "Content-Type": content_type.encode(),
        "X-Slack-Request-Timestamp": stamp.encode(),
        "X-Slack-Signature": signature.encode(),
    }


def _event(rng: random.Random) -> dict[str, Any]:
    """An event envelope with one part of the wrong shape."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": DEAL_CHANNEL,
        "user": SELLER,
        "text": "Need Acme signed by Friday",
        "ts": "1700000000.000100",
        "channel_type": "channel",
    }
    roll = rng.random()
    if roll < 0.5:  # words no one types, in a message that otherwise reaches the app (which must not keep it)
        event["text"] = rng.choice(WEIRD_TEXT)
        event[rng.choice(["user", "channel", "channel_type", "subtype"])] = rng.choice(
            ["UNOBODY", "CNOPE", "im", "thread_broadcast", "file_share", "message_changed", None]
        )
    else:  # a field Slack fills in, filled in wrong
        field = rng.choice(["user", "text", "channel", "ts", "thread_ts", "channel_type", "type", "subtype", "team"])
        event[field] = rng.choice(WEIRD_TEXT) if roll < 0.75 else rng.choice(WEIRD_VALUES)
    envelope: dict[str, Any] = {
        "type": "event_callback",
        "team_id": "T0WIIFT",
        "api_app_id": "AWIIFT",
        "event_id": f"EvFuzz{rng.randrange(10**9)}",
        "event_time": int(time.time()),
        "event": event,
    }
    mangle = rng.random()
    if mangle < 0.1:
        envelope["event"] = rng.choice(WEIRD_VALUES)
    elif mangle < 0.2:
        envelope["event"] = {
            "type": "app_home_opened",
            "user": rng.choice(WEIRD_VALUES),
            "tab": rng.choice(WEIRD_VALUES),
        }
    elif mangle < 0.3:
        envelope["type"] = rng.choice(["url_verification", "app_rate_limited", "nope", 5])
    elif mangle < 0.4:
        envelope["authorizations"] = rng.choice([[], [None], [{"team_id": None}], "x", [{"team_id": 5}]])
    elif mangle < 0.5:
        envelope["is_ext_shared_channel"] = rng.choice(WEIRD_VALUES)
    return envelope


def _command(rng: random.Random) -> dict[str, Any]:
    word = rng.choice(COMMAND_WORDS)
    weird = rng.choice(WEIRD_TEXT)
    fields: dict[str, Any] = {
        "command": rng.choice(["/deal", "/coach", "/deal", "/deal", "/coach", "/nope"]),
        "text": rng.choice([f"{word} {weird}", weird, f"{word}{weird}", f"{word}  {weird} {weird}"]),
        "team_id": rng.choice(["T0WIIFT"] * 18 + ["", "\x00"]),
        "channel_id": rng.choice([DEAL_CHANNEL] * 14 + ["CNODEAL", "D0NOPE", "", "C" + "9" * 40]),
        "user_id": rng.choice(["UNOBODY"] * 18 + ["", "U" + "Z" * 60]),
        "response_url": "",
        "trigger_id": "1.2.3",
    }
    # Only changes the database could make from these: a note (kept), a new deal, a hand-over or a close. The
    # generator never sends one that is well formed: notes and deals are made weird, hand-overs name no one.
    if word in ("note", "new") or fields["command"] == "/coach":
        fields["text"] = f"{word} " + rng.choice(["\x00" * 3, "x" * 2001, "<>" * 41, "", "#nope"])
        if word == "note":
            fields["channel_id"] = rng.choice(["CNODEAL", "C" + "9" * 40])  # no deal lives there
        if fields["command"] == "/coach":
            fields["text"] = rng.choice(["lead 99999999999999999999", "lead ²", "digest zz 99:99", "nope", "lead -1"])
    if rng.random() < 0.1:
        del fields[rng.choice(list(fields))]
    return fields


def _payload(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(["block_actions", "view_submission", "message_action", "shortcut", "nope"])
    payload: dict[str, Any] = {
        "type": kind,
        "user": rng.choice([{"id": "UNOBODY", "team_id": "T0WIIFT"}, {"id": SELLER}, {"id": "UNOBODY"}, {}, None]),
        "response_url": rng.choice(["", "http://127.0.0.1:9/gone"]),
        "team": rng.choice([{"id": "T0WIIFT"}, None, "T0WIIFT", {}]),
        "api_app_id": "AWIIFT",
        "trigger_id": "1.2.3",
    }
    if kind == "block_actions":
        action_id = rng.choice(
            [
                *("deal_forget_confirm", "deal_forget_cancel", "call_remind", "coach_add_note", "coach_not_helpful"),
                *("home_open_deal", "home_add_note", "home_book_call", "home_page_next", "nope"),
            ]
        )
        if payload["user"] == {"id": SELLER} and action_id in ("deal_forget_confirm", "coach_not_helpful"):
            payload["user"] = {"id": "UNOBODY"}  # the owner's own click would change things; a stranger's must not
        value = rng.choice(WEIRD_TEXT) if rng.random() < 0.7 else rng.choice(WEIRD_VALUES)
        action = {"action_id": action_id, "block_id": "b", "type": "button", "value": value}
        payload["actions"] = rng.choice([[action], [action], [action], [], [None], [{"action_id": action_id}]])
        payload["container"] = rng.choice([{"type": "view", "view_id": "V1"}, {"type": "message"}, {"type": "message"}])
        payload["view"] = rng.choice([{"id": "V1", "type": "home"}, None, "x"])
    elif kind == "view_submission":
        payload["view"] = {
            "id": rng.choice(["V1", None, 5]),
            "type": "modal",
            "callback_id": rng.choice(["deal_note", "deal_call", "nope", None]),
            "private_metadata": rng.choice(
                ["", "{", "[]", '{"deal": 1e99}', '{"deal": "1"}', '{"deal": 99999999999}', '{"deal": -1}', "null"]
            ),
            "state": rng.choice(
                [
                    {"values": {"note": {"text": {"type": "plain_text_input", "value": rng.choice(WEIRD_VALUES)}}}},
                    {"values": {"when": {"when": {"value": rng.choice(WEIRD_TEXT)}}}},
                    {"values": "x"},
                    {"values": {"note": "x"}},
                    None,
                    {},
                ]
            ),
        }
    elif kind in ("message_action", "shortcut"):
        payload["callback_id"] = rng.choice(["deal_keep_note", "nope", None])
        payload["channel"] = rng.choice([{"id": "C" + "9" * 40}, {"id": "CNOPE"}, None, {}])
        payload["message"] = rng.choice([{"text": rng.choice(WEIRD_TEXT), "user": "UNOBODY"}, None, {}])
    return payload


def _request(rng: random.Random, index: int, response_url: str) -> Request:
    roll = index % 10
    if roll == 0:  # headers nobody sends
        body = b'{"type": "event_callback"}'
        headers = {
            "Content-Type": rng.choice([b"application/json", b"text/plain", b"application/json; charset=\xff", b""]),
            "X-Slack-Request-Timestamp": rng.choice(
                [
                    b"1" * 4300,
                    b"\xc2\xb2",
                    "١٢٣".encode(),
                    b"-5",
                    b"1.5",
                    b"",
                    b"9" * 16,
                    str(int(time.time())).encode(),
                ]
            ),
            "X-Slack-Signature": rng.choice(
                [b"v0=" + "é".encode() * 32, b"v0=", b"V0=" + b"a" * 64, b"v0=" + b"A" * 64, b"v1=" + b"0" * 64, b""]
            ),
            "X-Slack-Retry-Num": rng.choice([b"1", b"x", b"99999999999999999999", b"\xff"]),
        }
        return Request("headers", "POST", "/slack/events", headers, body)
    if roll == 1:  # other paths and methods
        method = rng.choice(["GET", "PUT", "DELETE", "OPTIONS", "PATCH", "POST"])
        path = rng.choice(["/", "/slack/events/", "/slack/events/../x", "/healthz?x=1", "/" + "a" * 6000, "/%00", "/é"])
        return Request("path", method, path, {"Content-Type": b"application/json"}, b"{}")
    if roll == 2:  # signed, but stale or from the future, or not JSON/form at all
        body = rng.choice([b"{", b"[1]", b"null", b'"x"', b"payload=%7B", b"payload=x&payload=y", b"\xff\xfe", b""])
        stamp = rng.choice([int(time.time()) - 301, int(time.time()) + 301, int(time.time())])
        content_type = rng.choice(["application/json", "application/x-www-form-urlencoded"])
        try:
            headers = _signed(body, content_type, timestamp=stamp)
        except UnicodeDecodeError:
            headers = {"Content-Type": content_type.encode(), "X-Slack-Request-Timestamp": str(stamp).encode()}
            headers["X-Slack-Signature"] = b"v0=" + b"0" * 64
        return Request("body", "POST", "/slack/events", headers, body)
    if roll in (3, 4, 5):
        body = json.dumps(_event(rng)).encode()
        return Request("event", "POST", "/slack/events", _signed(body, "application/json"), body)
    if roll in (6, 7):
        body = urlencode(_command(rng) | {"response_url": response_url}).encode()
        return Request("command", "POST", "/slack/events", _signed(body, "application/x-www-form-urlencoded"), body)
    payload = _payload(rng)
    if payload.get("response_url"):
        payload["response_url"] = response_url
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return Request("interaction", "POST", "/slack/events", _signed(body, "application/x-www-form-urlencoded"), body)


def _send(address: tuple[str, int], request: Request) -> tuple[int, float]:
    head = [f"{request.method} {request.path} HTTP/1.1".encode(), b"Host: wiift", b"Connection: close"]
    head += [name.encode() + b": " + value for name, value in request.headers.items()]
    head.append(f"Content-Length: {len(request.body)}".encode())
    started = time.monotonic()
    with socket.create_connection(address, timeout=ANSWER_WITHIN_S + 2) as sock:
        sock.sendall(b"\r\n".join(head) + b"\r\n\r\n" + request.body)
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            assert chunk, f"closed without an answer: {request}"
            data += chunk
    return int(data.split(b" ", 2)[1]), time.monotonic() - started


UNFINISHED = "SELECT key, state FROM job WHERE state NOT IN ('done', 'cancelled') AND key NOT LIKE 'nudge:%'"


def _snapshot(wiift: Wiift) -> dict[str, list[tuple[Any, ...]]]:
    with unit_of_work(wiift.services.engine, read_only=True) as session:
        return {
            table.name: sorted(map(tuple, session.execute(table.select()).all()), key=repr)
            for table in SQLModel.metadata.sorted_tables
            if table.name != "job"  # a well-formed message with odd words is work stored and done: see below
        } | {"unfinished jobs": sorted(session.execute(text(UNFINISHED)).all())}


@pytest.fixture
def world(wiift: Wiift) -> Iterator[Wiift]:
    """A deal with a note, a question and a booked call, so that forged ids have rows to aim at. Its channel
    is quiet: odd words posted there are still read by the engine, but leave no trace."""
    wiift.say("Need Acme signed by Friday, I'm short on quota this quarter.")
    wiift.command("/deal", "note #cost they pay two contractors to reconcile by hand")
    wiift.command("/deal", "call tomorrow 3pm — pricing")
    wiift.command("/deal", "calls")
    wiift.command("/coach", "quiet")
    yield wiift


def test_250_malformed_requests_get_no_5xx_no_hang_and_change_nothing(
    world: Wiift, caplog: pytest.LogCaptureFixture
) -> None:
    parts = urlsplit(world.server.url)
    address = (str(parts.hostname), int(parts.port or 80))
    before = _snapshot(world)
    rng = random.Random(9)
    requests = [_request(rng, index, world.slack.new_response_url("fuzz")) for index in range(CASES)]
    answers: list[tuple[Request, int, float]] = []
    with caplog.at_level(logging.ERROR):
        for request in requests:
            status, took = _send(address, request)
            answers.append((request, status, took))
        world.settle()
    failed = [(r.kind, r.body, s) for r, s, _ in answers if s >= 500]
    slow = [(r.kind, r.body[:200], round(t, 2)) for r, _, t in answers if t > ANSWER_WITHIN_S]
    assert failed == [] and slow == []
    assert {kind for kind in (r.kind for r, _, _ in answers)} == {
        "headers",
        "path",
        "body",
        "event",
        "command",
        "interaction",
    }
    assert (
        sum(1 for _, s, _ in answers if s < 300) > CASES // 6
    )  # enough reached the app for the rest to mean something
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []  # no listener failed: every odd value had its own answer
    assert _snapshot(world) == before
