"""The front door: forged, stale and malformed requests get a 4xx and change nothing."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest

from tests.conftest import DEAL_CHANNEL, SELLER, Wiift

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."


def _event_body() -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0WIIFT",
            "event_id": "EvForged",
            "event": {
                "type": "message",
                "channel": DEAL_CHANNEL,
                "user": SELLER,
                "text": PRESSURE,
                "ts": "1700000000.000100",
                "channel_type": "channel",
            },
        }
    )


def _nothing_happened(wiift: Wiift) -> None:
    wiift.settle()
    assert wiift.slack.calls_to("chat.postMessage") == []
    assert wiift.slack.calls_to("conversations.info") == []


def test_a_forged_signature_is_refused(wiift: Wiift) -> None:
    response = wiift.driver.post(_event_body(), content_type="application/json", secret="not-the-secret")
    assert response.status == 401
    _nothing_happened(wiift)


def test_a_stale_request_is_refused(wiift: Wiift) -> None:
    response = wiift.driver.post(_event_body(), content_type="application/json", timestamp=int(time.time()) - 600)
    assert response.status == 401
    _nothing_happened(wiift)


def test_an_unsigned_request_is_refused(wiift: Wiift) -> None:
    response = wiift.driver.post(_event_body(), content_type="application/json", sign=False)
    assert response.status == 401
    _nothing_happened(wiift)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "sha1=abc"},
    ],
)
def test_malformed_signature_headers_are_a_400(wiift: Wiift, headers: dict[str, str]) -> None:
    response = _raw(wiift, _event_body().encode(), {"Content-Type": "application/json", **headers})
    assert response[0] == 400
    _nothing_happened(wiift)


def test_a_signed_but_malformed_body_is_a_400(wiift: Wiift) -> None:
    assert wiift.driver.post("{not json", content_type="application/json").status == 400
    assert wiift.driver.post("[1, 2]", content_type="application/json").status == 400
    assert wiift.driver.post("payload=%7Bnope", content_type="application/x-www-form-urlencoded").status == 400
    assert wiift.driver.post("hello", content_type="text/plain").status == 415
    _nothing_happened(wiift)


def test_a_body_that_is_not_utf8_is_refused(wiift: Wiift) -> None:
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    assert _raw(wiift, b"\xff\xfe", headers)[0] == 400
    _nothing_happened(wiift)


def test_other_paths_and_methods(wiift: Wiift) -> None:
    assert _raw(wiift, b"", {}, path="/nope")[0] == 404
    assert _raw(wiift, b"", {}, method="GET")[0] == 405
    assert _raw(wiift, b"", {}, path="/healthz", method="GET") == (200, b"ok")


def test_url_verification_is_answered(wiift: Wiift) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    response = wiift.driver.post(body, content_type="application/json")
    assert response.status == 200 and "c-123" in response.body


def _raw(
    wiift: Wiift, body: bytes, headers: dict[str, str], *, path: str = "/slack/events", method: str = "POST"
) -> tuple[int, bytes]:
    parts = urlsplit(wiift.server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
