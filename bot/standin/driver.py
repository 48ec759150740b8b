"""The other half of the stand-in: sends the app what Slack would, signed with the app's signing secret."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

from bot.standin.server import FakeSlack

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# The legacy verification token Slack still puts in every payload; Bolt ignores it.
VERIFICATION_TOKEN = "wiift-verification-token"


@dataclass(frozen=True)
class AppResponse:
    """The app's HTTP answer. Header names are lower-cased."""

    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


class SlackDriver:
    """Posts events, slash commands and interactions to the app's request URL exactly as Slack does."""

    def __init__(
        self,
        *,
        app_url: str,
        signing_secret: str,
        slack: FakeSlack,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.slack = slack
        self.clock = clock

    # -- the raw primitive -----------------------------------------------------------------------------------

    def post(
        self,
        body: str,
        *,
        content_type: str,
        sign: bool = True,
        timestamp: int | None = None,
        secret: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> AppResponse:
        """POST `body` signed like Slack; `sign=False` omits timestamp and signature (forgery tests)."""
        headers = {"Content-Type": content_type, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
        if sign:
            ts = str(int(self.clock()) if timestamp is None else timestamp)
            verifier = SignatureVerifier(secret if secret is not None else self.signing_secret)
            signature = verifier.generate_signature(timestamp=ts, body=body)
            headers["X-Slack-Request-Timestamp"] = ts
            headers["X-Slack-Signature"] = signature or ""
        headers.update(extra_headers or {})
        return _post(self.app_url, body.encode("utf-8"), headers)

    # -- Events API ------------------------------------------------------------------------------------------

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        team_id: str | None = None,
        shared: bool | None = None,
    ) -> AppResponse:
        """Deliver `event` in an `event_callback` envelope; `retry_num` marks it as Slack's redelivery.
        `shared` (default: whether the event's channel is a Slack Connect channel) sets
        `is_ext_shared_channel`. An org-wide install's envelope names no team in its authorization."""
        team = team_id or self.slack.team_id
        if shared is None:
            shared = self.slack.is_shared(str(event.get("channel") or ""))
        org_wide = self.slack.org_wide
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": team,
            "enterprise_id": self.slack.enterprise_id,
            "api_app_id": self.slack.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or self.slack.new_event_id(),
            "event_time": int(self.clock()),
            "authorizations": [
                {
                    "enterprise_id": self.slack.enterprise_id,
                    "team_id": None if org_wide else team,
                    "user_id": self.slack.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": org_wide,
                }
            ],
            "is_ext_shared_channel": shared,
        }
        headers = None
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.post(json.dumps(envelope), content_type=JSON, extra_headers=headers)

    def message(
        self,
        *,
        channel: str,
        user: str,
        text: str,
        ts: str | None = None,
        thread_ts: str | None = None,
        subtype: str | None = None,
        bot_id: str | None = None,
        channel_type: str = "channel",
        event_id: str | None = None,
        retry_num: int | None = None,
        team_id: str | None = None,
        files: list[dict[str, Any]] | None = None,
    ) -> tuple[AppResponse, str]:
        """Someone posts `text`: it lands in the fake's history first, then the app hears of it. In a shared
        channel the event is marked so, and says which workspace the poster belongs to, as Slack's does."""
        ts = self.slack.record_user_message(
            channel=channel, user=user, text=text, ts=ts, thread_ts=thread_ts, subtype=subtype, bot_id=bot_id
        )
        poster_team = team_id or self.slack.team_of(user)  # `team_id`: a workspace installed through OAuth
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "team": poster_team,  # in a shared channel, the poster's own workspace
            "user_team": poster_team,
            "source_team": poster_team,
            "channel_type": channel_type,
        }
        optional = {"thread_ts": thread_ts, "subtype": subtype, "bot_id": bot_id}
        event.update({k: v for k, v in optional.items() if v is not None})
        if subtype == "thread_broadcast" and thread_ts:
            event["root"] = self.slack.find_message(channel, thread_ts) or {"ts": thread_ts}
        if subtype == "file_share" or files:
            event["files"] = files or [{"id": "F0FILE", "name": "notes.pdf", "mimetype": "application/pdf"}]
            event["upload"] = True
        return self.event(event, event_id=event_id, retry_num=retry_num, team_id=team_id), ts

    def app_home_opened(self, *, user: str) -> AppResponse:
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": self.slack.dm_channel_id(user),
            "tab": "home",
            "event_ts": self.slack.new_ts(),
        }
        return self.event(event)

    # -- slash commands and interactivity --------------------------------------------------------------------

    def command(
        self,
        command: str,
        text: str = "",
        *,
        user: str,
        channel: str,
        channel_name: str | None = None,
        team_id: str | None = None,
    ) -> AppResponse:
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id or self.slack.team_id,
            "team_domain": self.slack.team_domain,
            "channel_id": channel,
            "channel_name": channel_name or self._channel_name(channel),
            "user_id": user,
            "user_name": self.slack.user_name(user) or user,
            "command": command,
            "text": text,
            "api_app_id": self.slack.api_app_id,
            "is_enterprise_install": "true" if self.slack.org_wide else "false",
            "response_url": self.slack.new_response_url("command"),
            "trigger_id": self.slack.new_trigger_id(),
        }
        if self.slack.enterprise_id:
            fields["enterprise_id"] = self.slack.enterprise_id
        return self.post(urlencode(fields), content_type=FORM)

    def action(
        self,
        *,
        action_id: str,
        value: str = "",
        user: str,
        channel: str | None = None,
        message_ts: str | None = None,
        block_id: str = "b",
        view: dict[str, Any] | None = None,
    ) -> AppResponse:
        """A button click, on a message (`channel`/`message_ts`) or in a view (`view`)."""
        payload = self._interaction("block_actions", user)
        payload["actions"] = [
            {
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "type": "button",
                "action_ts": f"{self.clock():.6f}",
            }
        ]
        payload["state"] = {"values": {}}
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id")}
        else:
            # Slack only offers a response_url for actions on messages.
            payload["response_url"] = self.slack.new_response_url("action")
            payload["container"] = {"type": "message", "channel_id": channel, "is_ephemeral": False}
            if message_ts is not None:
                payload["container"]["message_ts"] = message_ts
        if channel is not None:
            payload["channel"] = {"id": channel, "name": self._channel_name(channel)}
        if message_ts is not None:
            found = self.slack.find_message(channel, message_ts) if channel else None
            payload["message"] = found or {"type": "message", "ts": message_ts, "text": ""}
        return self._post_payload(payload)

    def view_submission(
        self,
        *,
        callback_id: str,
        values: dict[str, dict[str, dict[str, Any]]],
        user: str,
        private_metadata: str = "",
        view_id: str = "V123",
    ) -> AppResponse:
        payload = self._interaction("view_submission", user)
        payload["view"] = {
            "id": view_id,
            "team_id": self.slack.team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": f"{self.clock():.6f}",
            "app_id": self.slack.api_app_id,
            "bot_id": self.slack.bot_id,
        }
        payload["response_urls"] = []
        return self._post_payload(payload)

    # -- helpers ---------------------------------------------------------------------------------------------

    def _interaction(self, kind: str, user: str) -> dict[str, Any]:
        team = self.slack.team_id
        name = self.slack.user_name(user) or user
        enterprise = {"id": self.slack.enterprise_id, "name": "Org"} if self.slack.enterprise_id else None
        return {
            "type": kind,
            "user": {"id": user, "username": name, "name": name, "team_id": self.slack.team_of(user)},
            "team": None if self.slack.org_wide else {"id": team, "domain": self.slack.team_domain},
            "api_app_id": self.slack.api_app_id,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self.slack.new_trigger_id(),
            "is_enterprise_install": self.slack.org_wide,
            "enterprise": enterprise,
        }

    def message_shortcut(self, *, callback_id: str, user: str, channel: str, message_ts: str) -> AppResponse:
        """Someone picks one of the app's message shortcuts from a message's menu."""
        payload = self._interaction("message_action", user)
        message = self.slack.find_message(channel, message_ts) or {"type": "message", "ts": message_ts, "text": ""}
        if message.get("user"):
            message.setdefault("user_team", self.slack.team_of(str(message["user"])))
        payload.update(
            callback_id=callback_id,
            action_ts=f"{self.clock():.6f}",
            message_ts=message_ts,
            message=message,
            channel={"id": channel, "name": self._channel_name(channel)},
            response_url=self.slack.new_response_url("shortcut"),
        )
        return self._post_payload(payload)

    def _post_payload(self, payload: dict[str, Any]) -> AppResponse:
        return self.post(urlencode({"payload": json.dumps(payload)}), content_type=FORM)

    def _channel_name(self, channel: str) -> str:
        return self.slack.channel_name(channel) or ("directmessage" if channel.startswith("D") else channel)


def _post(url: str, body: bytes, headers: dict[str, str]) -> AppResponse:
    """One request, whatever the status; http.client does not raise on 4xx/5xx."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=10)
    try:
        path = parts.path or "/"
        connection.request("POST", f"{path}?{parts.query}" if parts.query else path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        return AppResponse(response.status, text, {k.lower(): v for k, v in response.getheaders()})
    finally:
        connection.close()
