from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App, Say
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.standin import FakeSlack, SlackDriver

SECRET = "standin-signing-secret"


@dataclass
class Received:
    headers: dict[str, str]
    body: str

    @property
    def signed_ok(self) -> bool:
        """What Slack's verifier says: right secret, and no older than five minutes."""
        timestamp = self.headers.get("x-slack-request-timestamp")
        signature = self.headers.get("x-slack-signature")
        if timestamp is None or signature is None:
            return False
        return SignatureVerifier(SECRET).is_valid(body=self.body, timestamp=timestamp, signature=signature)

    @property
    def signature_matches(self) -> bool:
        """The signature alone, ignoring the timestamp's age."""
        expected = SignatureVerifier(SECRET).generate_signature(
            timestamp=self.headers["x-slack-request-timestamp"], body=self.body
        )
        return expected == self.headers["x-slack-signature"]

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body))

    def payload(self) -> dict[str, Any]:
        return json.loads(self.form()["payload"])


class Receiver(ThreadingHTTPServer):
    """Records what the driver sends and answers 401 unless the signature verifies."""

    daemon_threads = True

    def __init__(self) -> None:
        self.received: list[Received] = []
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/slack/events"


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        got = Received({k.lower(): v for k, v in self.headers.items()}, body)
        self.server.received.append(got)
        answer = b'{"seen": true}' if got.signed_ok else b"invalid signature"
        self.send_response(200 if got.signed_ok else 401)
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("X-Receiver", "yes")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(server: ThreadingHTTPServer | WSGIServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("UALICE", name="alice")
        fake.add_channel("CDEALS", name="deals", members=["UALICE"])
        yield fake


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    with serving(server):
        yield server


@pytest.fixture
def raw(receiver: Receiver, slack: FakeSlack) -> SlackDriver:
    return SlackDriver(app_url=receiver.url, signing_secret=SECRET, slack=slack)


def test_post_signs_like_slack(raw: SlackDriver, receiver: Receiver) -> None:
    response = raw.post('{"type": "event_callback"}', content_type="application/json")

    assert response.status == 200
    assert response.json() == {"seen": True}
    assert response.headers["x-receiver"] == "yes"
    [got] = receiver.received
    assert got.signed_ok
    assert got.headers["x-slack-signature"].startswith("v0=")
    assert abs(int(got.headers["x-slack-request-timestamp"]) - time.time()) < 5


def test_post_can_forge_go_stale_or_go_unsigned(raw: SlackDriver, receiver: Receiver) -> None:
    forged = raw.post("{}", content_type="application/json", secret="not-the-secret")
    stale = raw.post("{}", content_type="application/json", timestamp=int(time.time()) - 600)
    unsigned = raw.post("{}", content_type="application/json", sign=False)

    assert forged.status == stale.status == unsigned.status == 401
    assert forged.body == "invalid signature"
    got_forged, got_stale, got_unsigned = receiver.received
    assert not got_forged.signature_matches
    assert got_stale.signature_matches
    assert int(got_stale.headers["x-slack-request-timestamp"]) < time.time() - 590
    assert "x-slack-signature" not in got_unsigned.headers
    assert "x-slack-request-timestamp" not in got_unsigned.headers


def test_event_envelope_ids_and_retry_headers(raw: SlackDriver, receiver: Receiver, slack: FakeSlack) -> None:
    raw.event({"type": "app_mention", "user": "UALICE", "text": "hi"})
    raw.event({"type": "app_mention"}, event_id="EvFIXED", retry_num=1, retry_reason="http_error")

    first, retried = receiver.received
    envelope = json.loads(first.body)
    assert first.headers["content-type"] == "application/json"
    assert envelope["type"] == "event_callback"
    assert envelope["team_id"] == slack.team_id
    assert envelope["api_app_id"] == slack.api_app_id
    assert envelope["event"] == {"type": "app_mention", "user": "UALICE", "text": "hi"}
    assert envelope["event_id"].startswith("Ev")
    assert envelope["authorizations"][0]["user_id"] == slack.bot_user_id
    assert "x-slack-retry-num" not in first.headers
    assert json.loads(retried.body)["event_id"] == "EvFIXED"
    assert retried.headers["x-slack-retry-num"] == "1"
    assert retried.headers["x-slack-retry-reason"] == "http_error"


def test_event_ids_and_trigger_ids_are_distinct(raw: SlackDriver, receiver: Receiver) -> None:
    for _ in range(3):
        raw.event({"type": "app_mention"})
        raw.command("/wiift", user="UALICE", channel="CDEALS")

    event_ids = {json.loads(r.body)["event_id"] for r in receiver.received[::2]}
    triggers = {r.form()["trigger_id"] for r in receiver.received[1::2]}
    response_urls = {r.form()["response_url"] for r in receiver.received[1::2]}
    assert len(event_ids) == len(triggers) == len(response_urls) == 3


def test_message_lands_in_history_and_reaches_the_app(raw: SlackDriver, receiver: Receiver, slack: FakeSlack) -> None:
    response, ts = raw.message(channel="CDEALS", user="UALICE", text="they need SOC2", thread_ts="1.000001")

    assert response.status == 200
    event = json.loads(receiver.received[0].body)["event"]
    assert event["ts"] == event["event_ts"] == ts
    assert (event["type"], event["channel"], event["user"]) == ("message", "CDEALS", "UALICE")
    assert event["thread_ts"] == "1.000001"
    assert "subtype" not in event
    assert slack.messages("CDEALS") == [
        {"ts": ts, "thread_ts": "1.000001", "text": "they need SOC2", "blocks": None, "user": "UALICE"}
    ]


def test_command_is_form_encoded_like_slack(raw: SlackDriver, receiver: Receiver, slack: FakeSlack) -> None:
    raw.command("/wiift", "coach me", user="UALICE", channel="CDEALS")

    [got] = receiver.received
    form = got.form()
    assert got.headers["content-type"] == "application/x-www-form-urlencoded"
    assert got.signed_ok
    assert form["command"] == "/wiift"
    assert form["text"] == "coach me"
    assert (form["user_id"], form["user_name"]) == ("UALICE", "alice")
    assert (form["channel_id"], form["channel_name"]) == ("CDEALS", "deals")
    assert (form["team_id"], form["api_app_id"]) == (slack.team_id, slack.api_app_id)
    assert form["response_url"].startswith(slack.url + "/responses/")


def test_action_on_a_message_carries_it(raw: SlackDriver, receiver: Receiver, slack: FakeSlack) -> None:
    client = WebClient(token="xoxb-test", base_url=slack.base_url)
    posted = client.chat_postMessage(channel="CDEALS", text="What does the buyer gain?")

    raw.action(action_id="coach_more", value="42", user="UALICE", channel="CDEALS", message_ts=posted["ts"])

    payload = receiver.received[0].payload()
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == "UALICE"
    assert payload["channel"]["id"] == "CDEALS"
    assert payload["message"]["text"] == "What does the buyer gain?"
    assert payload["container"]["message_ts"] == posted["ts"]
    assert payload["response_url"].startswith(slack.url + "/responses/")
    [action] = payload["actions"]
    assert (action["action_id"], action["value"], action["block_id"], action["type"]) == (
        "coach_more",
        "42",
        "b",
        "button",
    )


def test_action_in_a_view_and_view_submission(raw: SlackDriver, receiver: Receiver) -> None:
    raw.action(action_id="pick", user="UALICE", view={"id": "VHOME", "type": "home"})
    values = {"notes": {"text": {"type": "plain_text_input", "value": "budget approved"}}}
    raw.view_submission(callback_id="log_call", values=values, user="UALICE", private_metadata="CDEALS")

    in_view, submitted = (r.payload() for r in receiver.received)
    assert in_view["container"] == {"type": "view", "view_id": "VHOME"}
    assert in_view["view"]["type"] == "home"
    assert "response_url" not in in_view
    assert submitted["type"] == "view_submission"
    assert submitted["view"]["callback_id"] == "log_call"
    assert submitted["view"]["private_metadata"] == "CDEALS"
    assert submitted["view"]["state"] == {"values": values}


def test_app_home_opened_names_the_dm(raw: SlackDriver, receiver: Receiver, slack: FakeSlack) -> None:
    raw.app_home_opened(user="UALICE")

    event = json.loads(receiver.received[0].body)["event"]
    assert event["type"] == "app_home_opened"
    assert event["channel"] == slack.dm_channel_id("UALICE")
    assert event["tab"] == "home"


# -- the whole loop: driver -> real Bolt app -> FakeSlack ---------------------------------------------------


class _QuietWSGIHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def bolt(slack: FakeSlack) -> Iterator[SlackDriver]:
    app = App(
        client=WebClient(token="xoxb-test", base_url=slack.base_url),
        signing_secret=SECRET,
        token_verification_enabled=False,
    )

    @app.event("message")
    def echo(event: dict[str, Any], say: Say) -> None:
        say(text=f"heard: {event['text']}", thread_ts=event["ts"])

    @app.command("/wiift")
    def wiift(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        ack()
        respond(f"coaching on {command['text']}")

    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=_QuietWSGIHandler)
    url = f"http://127.0.0.1:{server.server_port}/slack/events"
    with serving(server):
        yield SlackDriver(app_url=url, signing_secret=SECRET, slack=slack)


def test_bolt_app_replies_through_the_fake(bolt: SlackDriver, slack: FakeSlack) -> None:
    response, ts = bolt.message(channel="CDEALS", user="UALICE", text="pricing pushback")

    assert response.status == 200
    [reply] = slack.wait_for("chat.postMessage")
    assert reply.token == "xoxb-test"
    assert reply.params["text"] == "heard: pricing pushback"
    assert slack.messages("CDEALS")[-1]["thread_ts"] == ts
    assert slack.calls_to("auth.test"), "Bolt authorizes through the fake"


def test_bolt_command_responds_via_response_url(bolt: SlackDriver, slack: FakeSlack) -> None:
    response = bolt.command("/wiift", "acme", user="UALICE", channel="CDEALS")

    assert response.status == 200
    [answer] = slack.wait_for("response_url")
    assert answer.params["text"] == "coaching on acme"


def test_bolt_rejects_forged_and_stale_requests(bolt: SlackDriver, slack: FakeSlack) -> None:
    body = json.dumps({"type": "event_callback", "event": {"type": "message", "text": "x"}})

    forged = bolt.post(body, content_type="application/json", secret="wrong")
    stale = bolt.post(body, content_type="application/json", timestamp=int(time.time()) - 600)

    assert (forged.status, stale.status) == (401, 401)
    assert slack.calls_to("chat.postMessage") == []


def test_a_message_in_a_shared_channel_says_so_and_names_the_posters_workspace(
    raw: SlackDriver, receiver: Receiver, slack: FakeSlack
) -> None:
    slack.add_external_user("UBUYER", name="dana", team_id="T0BUYER")
    slack.add_channel("CSHARED", name="deal-globex", members=["UALICE", "UBUYER"], shared=True)
    raw.message(channel="CSHARED", user="UBUYER", text="our board meets on the 12th")
    raw.message(channel="CDEALS", user="UALICE", text="internal only")
    shared, internal = (json.loads(r.body) for r in receiver.received)
    assert shared["is_ext_shared_channel"] is True and shared["team_id"] == "T0WIIFT"
    assert (shared["event"]["user_team"], shared["event"]["team"]) == ("T0BUYER", "T0BUYER")
    assert internal["is_ext_shared_channel"] is False and internal["event"]["user_team"] == "T0WIIFT"


def test_subtypes_carry_what_slack_adds(raw: SlackDriver, receiver: Receiver, slack: FakeSlack) -> None:
    _, parent = raw.message(channel="CDEALS", user="UALICE", text="update")
    raw.message(channel="CDEALS", user="UALICE", text="answer", thread_ts=parent, subtype="thread_broadcast")
    raw.message(channel="CDEALS", user="UALICE", text="with a file", subtype="file_share")
    broadcast, shared_file = (json.loads(r.body)["event"] for r in receiver.received[1:])
    assert broadcast["root"]["ts"] == parent
    assert shared_file["files"][0]["name"] and shared_file["upload"] is True


def test_an_org_wide_install_names_no_team_in_its_authorization(receiver: Receiver) -> None:
    with FakeSlack(enterprise_id="E0ORG", org_wide=True) as org:
        org.add_user("UALICE", name="alice")
        driver = SlackDriver(app_url=receiver.url, signing_secret=SECRET, slack=org)
        driver.app_home_opened(user="UALICE")
        envelope = json.loads(receiver.received[0].body)
        assert envelope["authorizations"][0]["team_id"] is None
        assert envelope["authorizations"][0]["is_enterprise_install"] is True
        assert (envelope["team_id"], envelope["enterprise_id"]) == ("T0WIIFT", "E0ORG")
        assert WebClient(token="xoxb-1", base_url=org.base_url).auth_test()["team_id"] is None


def test_a_message_shortcut_carries_the_message(raw: SlackDriver, receiver: Receiver, slack: FakeSlack) -> None:
    _, ts = raw.message(channel="CDEALS", user="UALICE", text="keep this")
    raw.message_shortcut(callback_id="keep", user="UALICE", channel="CDEALS", message_ts=ts)
    payload = receiver.received[1].payload()
    assert (payload["type"], payload["callback_id"], payload["channel"]["id"]) == ("message_action", "keep", "CDEALS")
    assert payload["message"]["text"] == "keep this" and payload["response_url"].startswith("http://")
