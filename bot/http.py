"""The HTTP front door: one WSGI app at `/slack/events` (events, commands and interactivity alike), and in
many-workspace mode Bolt's `/slack/install` and `/slack/oauth_redirect`.

It turns away what is not from Slack before Bolt sees it, so that forged, stale or malformed requests get a
clear 4xx, change nothing and leave no request body in the logs. Bolt verifies the signature again.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

MAX_BODY = 1_000_000  # Slack's payloads are far smaller; a bigger one is not from Slack
EVENTS_PATH = "/slack/events"

StartResponse = Callable[..., Any]


class SlackWSGI:
    """Also `GET /healthz` (the process answers: 200) and `GET /readyz` (200 or 503 from `readiness`)."""

    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        clock: Callable[[], float] = time.time,
        readiness: Callable[[], tuple[bool, str]] | None = None,
    ) -> None:
        self._bolt = SlackRequestHandler(app, path=EVENTS_PATH)
        self._verifier = SignatureVerifier(signing_secret, clock=_Clock(clock))
        flow = app.oauth_flow  # many-workspace mode: Bolt's install page and OAuth redirect, GET only
        self._oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()
        self._readiness = readiness

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method == "GET":
            return _reply(start_response, 200, "ok")
        if path in self._oauth_paths:
            if method != "GET":
                return _reply(start_response, 405, "GET only")
            return self._bolt(environ, start_response)  # Bolt checks the state; a bad one is refused
        if path == "/readyz" and method == "GET" and self._readiness is not None:
            ready, text = self._readiness()
            return _reply(start_response, 200 if ready else 503, text)
        if path != EVENTS_PATH:
            return _reply(start_response, 404, "not found")
        if method != "POST":
            return _reply(start_response, 405, "POST only")
        problem, body = self._check(environ)
        if problem is not None:
            return _reply(start_response, *problem)
        environ = dict(environ, **{"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        return self._bolt(environ, start_response)

    def _check(self, environ: dict[str, Any]) -> tuple[tuple[int, str] | None, bytes]:
        length_text = str(environ.get("CONTENT_LENGTH") or "")
        if not length_text.isdigit():
            return (411, "a Content-Length is required"), b""
        if int(length_text) > MAX_BODY:
            return (413, "request body too large"), b""
        body = environ["wsgi.input"].read(int(length_text))
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not timestamp or not signature:
            return (401, "missing Slack signature headers"), body
        if not timestamp.isdigit() or not signature.startswith("v0="):
            return (400, "malformed Slack signature headers"), body
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return (400, "body is not UTF-8"), body
        if not self._verifier.is_valid(text, timestamp, signature):
            return (401, "invalid or stale signature"), body
        return _parse_problem(text, str(environ.get("CONTENT_TYPE") or "")), body


def _parse_problem(text: str, content_type: str) -> tuple[int, str] | None:
    """Slack sends JSON for events and a form (with a JSON `payload` for interactivity) for the rest."""
    try:
        if content_type.startswith("application/json"):
            if not isinstance(json.loads(text), dict):
                return 400, "body must be a JSON object"
        elif content_type.startswith("application/x-www-form-urlencoded"):
            form = parse_qs(text, strict_parsing=bool(text))
            if "payload" in form and not isinstance(json.loads(form["payload"][0]), dict):
                return 400, "payload must be a JSON object"
        else:
            return 415, "unsupported content type"
    except ValueError:
        return 400, "malformed body"
    return None


def _reply(start_response: StartResponse, status: int, text: str) -> list[bytes]:
    reasons = {
        200: "OK",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        411: "Length Required",
        413: "Payload Too Large",
        415: "Unsupported Media Type",
        503: "Service Unavailable",
    }
    body = text.encode()
    start_response(
        f"{status} {reasons.get(status, '')}".strip(),
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


class _Clock:
    """slack_sdk's verifier asks its clock for `now()`; this hands it ours."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock()
