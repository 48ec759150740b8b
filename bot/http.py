"""The HTTP front door: one WSGI app at `/slack/events` (events, commands and interactivity alike), and in
many-workspace mode Bolt's `/slack/install` and `/slack/oauth_redirect`.

It turns away what is not from Slack before Bolt sees it, so that forged, stale or malformed requests get a
clear 4xx, change nothing and leave no request body in the logs. Bolt verifies the signature again.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.payload_shape import command_problem, event_problem, interaction_problem

MAX_BODY = 1_000_000  # Slack's payloads are far smaller; a bigger one is not from Slack
EVENTS_PATH = "/slack/events"
STALE_AFTER_S = 300  # as Slack's own SDKs: a signed request older than five minutes is a replay
_DIGITS = re.compile(r"[0-9]{1,15}")  # ASCII digits only: str.isdigit() also takes "²", which int() refuses
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")

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
        self._clock = clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = str(environ.get("PATH_INFO") or ""), str(environ.get("REQUEST_METHOD") or "GET")
        if path == "/healthz" and method == "GET":
            return _reply(start_response, 200, "ok")
        if path in self._oauth_paths:
            if method != "GET":
                return _reply(start_response, 405, "GET only")
            return self._bolt(environ, start_response)  # Bolt checks the state; a bad one is refused
        if path == "/readyz" and method == "GET" and self._readiness is not None:
            ready, text = self._readiness()
            return _reply(start_response, 200 if ready else 503, text)
        headers = {key.removeprefix("HTTP_"): str(value) for key, value in environ.items() if key.startswith("HTTP_")}
        headers |= {key: str(environ.get(key) or "") for key in ("CONTENT_LENGTH", "CONTENT_TYPE")}
        problem = self.screen(method, path, headers)
        if problem is not None:
            return _reply(start_response, *problem)
        body = environ["wsgi.input"].read(int(headers["CONTENT_LENGTH"]))
        problem = self._body_problem(body, headers)
        if problem is not None:
            return _reply(start_response, *problem)
        environ = dict(environ, **{"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        return self._bolt(environ, start_response)

    def screen(self, method: str, path: str, headers: Mapping[str, str]) -> tuple[int, str] | None:
        """What the headers alone tell (keys as waitress and WSGI spell them: `CONTENT_LENGTH`,
        `X_SLACK_SIGNATURE`): the server asks this before it reads a body, so a request Slack did not sign is
        refused without one. Every header is checked for its exact form before it is used."""
        if path != EVENTS_PATH:
            open_paths = {"/healthz", "/readyz"} | self._oauth_paths  # answered without a body or a signature
            return None if path in open_paths and method == "GET" else (404, "not found")
        if method != "POST":
            return 405, "POST only"
        timestamp, signature = headers.get("X_SLACK_REQUEST_TIMESTAMP") or "", headers.get("X_SLACK_SIGNATURE") or ""
        if not timestamp or not signature:
            return 401, "missing Slack signature headers"
        length = headers.get("CONTENT_LENGTH") or ""
        if not _DIGITS.fullmatch(length):
            return 411, "a Content-Length is required"
        if int(length) > MAX_BODY:
            return 413, "request body too large"
        if not _DIGITS.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return 400, "malformed Slack signature headers"
        if abs(self._clock() - int(timestamp)) > STALE_AFTER_S:
            return 401, "invalid or stale signature"
        if not (headers.get("CONTENT_TYPE") or "").startswith(_CONTENT_TYPES):
            return 415, "unsupported content type"
        return None

    def _body_problem(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, str] | None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return 400, "body is not UTF-8"
        if not self._verifier.is_valid(text, headers["X_SLACK_REQUEST_TIMESTAMP"], headers["X_SLACK_SIGNATURE"]):
            return 401, "invalid or stale signature"
        return _parse_problem(text, headers.get("CONTENT_TYPE") or "")


def _parse_problem(text: str, content_type: str) -> tuple[int, str] | None:
    """Slack sends JSON for events and a form (with a JSON `payload` for interactivity) for the rest, each of
    the shape `bot.payload_shape` describes."""
    try:
        if content_type.startswith("application/json"):
            body = json.loads(text)
            if not isinstance(body, dict):
                return 400, "body must be a JSON object"
            problem = event_problem(body)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            form = parse_qs(text, strict_parsing=bool(text), keep_blank_values=True)
            if any(len(values) > 1 for values in form.values()):
                return 400, "a form field appears twice"
            fields = {key: values[0] for key, values in form.items()}
            if "payload" in fields:
                payload = json.loads(fields["payload"])
                problem = interaction_problem(payload) if isinstance(payload, dict) else "payload must be a JSON object"
            elif "command" in fields:
                problem = command_problem(fields)
            elif fields.get("ssl_check") == "1":
                problem = None
            else:
                problem = "not a Slack payload"
        else:
            return 415, "unsupported content type"
    except ValueError:
        return 400, "malformed body"
    return (400, f"malformed payload: {problem}") if problem else None


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
