"""A local stand-in for the Slack Web API: records every call and keeps just enough world state to answer.

Only the methods wiift calls are implemented; anything else answers `unknown_method`. Errors mirror real
Slack's codes so the bot's error handling is exercised for real.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

RESPONSE_URL = "response_url"


@dataclass(frozen=True)
class ApiCall:
    """One request the stand-in received."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float
    failed: bool = False

    def json(self, name: str) -> Any:
        """`params[name]` decoded from JSON if sent as a string (form-encoded clients do); None if absent."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class _User:
    id: str
    name: str
    real_name: str
    tz: str | None
    is_bot: bool
    team_id: str = ""  # "" means the installing workspace
    enterprise_id: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    is_stranger: bool = False
    deleted: bool = False


@dataclass
class _Channel:
    id: str
    name: str
    is_private: bool
    members: list[str]
    bot_member: bool
    im_user: str | None = None
    is_ext_shared: bool = False
    is_pending_ext_shared: bool = False


@dataclass
class _Failure:
    status: int
    error: str | None
    retry_after: int | None
    after_effect: bool = False  # the call takes effect, then the failure is answered (a 500 after posting)


@dataclass
class _Reply:
    status: int = 200
    body: str = ""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class SlackError(Exception):
    """Raised by a method implementation to answer `{"ok": false, "error": code}`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def _decoded(value: Any, error: str = "invalid_arguments") -> Any:
    """A JSON-ish argument as a structure, whether the client sent it as a string (form) or inline (JSON)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise SlackError(error) from exc
    return value


def _as_int(value: Any, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise SlackError("invalid_arguments") from exc


class FakeSlack:
    """The Web API half of the stand-in. Thread-safe: the app's worker threads call it concurrently."""

    def __init__(
        self,
        *,
        team_id: str = "T0WIIFT",
        bot_user_id: str = "UWIIFTBOT",
        bot_id: str = "BWIIFT",
        host: str = "127.0.0.1",
        port: int = 0,
        bot_name: str = "wiift",
        team_domain: str = "wiift",
        api_app_id: str = "AWIIFT",
        scopes: Iterable[str] | None = None,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        """`scopes`: what the bot token was granted, sent back as Slack does in every answer's
        `x-oauth-scopes` header (None: no header). `enterprise_id` puts the workspace in an Enterprise Grid
        organisation; `org_wide` installs wiift across that organisation (auth.test then names no team, and
        events carry a null team)."""
        self.team_id = team_id
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.team_domain = team_domain
        self.api_app_id = api_app_id
        self.scopes = None if scopes is None else tuple(scopes)
        self._tokens: frozenset[str] | None = None  # None: any xox… token is valid
        self._host = host
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition()
        self._calls: list[ApiCall] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._delays: dict[str, list[float]] = {}
        self._users: dict[str, _User] = {}
        self._channels: dict[str, _Channel] = {}
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._reactions: dict[tuple[str, str], list[str]] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._used_triggers: set[str] = set()
        self._last_ts_us = 0
        self._seq = 0
        self.server_errors: list[BaseException] = []
        self._workspaces: dict[str, str] = {}  # bot token -> team id, for workspaces installed through OAuth
        self._oauth_codes: dict[str, str] = {}  # one-time code -> team id
        self._caller_token: str | None = None
        self._revoked: set[str] = set()
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.join": self._conversations_join,
            "conversations.open": self._conversations_open,
            "conversations.replies": self._conversations_replies,
            "conversations.history": self._conversations_history,
            "users.info": self._users_info,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "oauth.v2.access": self._oauth_v2_access,
        }
        self.add_user(bot_user_id, name=bot_name, is_bot=True)

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is not None:
            raise RuntimeError("FakeSlack is already running")
        self._server = _Server((self._host, self._port), self)
        self._thread = threading.Thread(target=self._server.serve, name="fake-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        server.wake_to_stop()
        thread.join(timeout=5)
        server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """What `WebClient(base_url=...)` takes (it needs the trailing slash)."""
        return f"{self.url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.url}/responses/{key}"

    def new_response_url(self, kind: str) -> str:
        """A response_url with a fresh key like "command-7"; posts to it record as method "response_url"."""
        return self.response_url(f"{kind}-{self._next_seq()}")

    # -- recorded calls --------------------------------------------------------------------------------------

    def calls_to(self, method: str | None = None) -> list[ApiCall]:
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    @property
    def calls(self) -> list[ApiCall]:
        return self.calls_to()

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 5.0,
        where: Callable[[ApiCall], bool] | None = None,
    ) -> list[ApiCall]:
        """Block until `count` calls to `method` (matching `where`) have arrived; return the first `count`."""

        def matching() -> list[ApiCall]:
            return [c for c in self._calls if c.method == method and (where is None or where(c))]

        with self._cond:
            if self._cond.wait_for(lambda: len(matching()) >= count, timeout=timeout):
                return matching()[:count]
            seen = "\n".join(f"  {c.method} {c.params!r}{' (failed)' if c.failed else ''}" for c in self._calls)
            found = len(matching())
        raise AssertionError(
            f"expected {count} {method} call(s){' matching the filter' if where else ''} within {timeout}s, "
            f"got {found}; calls seen:\n{seen or '  (none)'}"
        )

    def reset(self) -> None:
        """Forget recorded calls (world state and queued failures stay)."""
        with self._cond:
            self._calls.clear()

    # -- world state -----------------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        tz: str | None = "America/New_York",
        is_bot: bool = False,
        real_name: str | None = None,
        team_id: str | None = None,
        enterprise_id: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_stranger: bool = False,
    ) -> None:
        """A person. `team_id` other than the installing workspace's makes them someone from another
        organisation, as a Slack Connect channel shows them (`add_external_user` says it shorter)."""
        if tz is not None:
            ZoneInfo(tz)  # fail here, not inside a request, on a typo
        home = team_id in (None, self.team_id)
        with self._cond:
            self._users[user_id] = _User(
                user_id,
                name,
                real_name or name,
                tz,
                is_bot,
                team_id=team_id or self.team_id,
                enterprise_id=enterprise_id if enterprise_id is not None else (self.enterprise_id if home else None),
                is_admin=is_admin,
                is_owner=is_owner,
                is_stranger=is_stranger,
            )

    def add_external_user(
        self, user_id: str, *, name: str, team_id: str = "T0BUYER", real_name: str | None = None, **kwargs: Any
    ) -> None:
        """Someone from the buyer's organisation, seen through a shared channel."""
        self.add_user(user_id, name=name, team_id=team_id, real_name=real_name, **kwargs)

    def team_of(self, user_id: str) -> str:
        """The team Slack names for a person on their messages (`user_team`)."""
        with self._cond:
            user = self._users.get(user_id)
            return user.team_id if user else self.team_id

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str,
        is_private: bool = False,
        members: Iterable[str] = (),
        bot_member: bool = True,
        shared: bool = False,
        pending_share: bool = False,
    ) -> None:
        """Add a channel; the bot is in it unless `bot_member=False` (posting then fails `not_in_channel`).
        `shared` makes it a Slack Connect channel (`is_ext_shared`); `pending_share` one whose invitation to
        another organisation is still open."""
        with self._cond:
            self._channels[channel_id] = _Channel(
                channel_id,
                name,
                is_private,
                list(members),
                bot_member,
                is_ext_shared=shared,
                is_pending_ext_shared=pending_share,
            )

    def share_channel(self, channel_id: str) -> None:
        """The channel is shared with another organisation from now on."""
        with self._cond:
            self._channels[channel_id].is_ext_shared = True

    def is_shared(self, channel_id: str) -> bool:
        with self._cond:
            channel = self._channels.get(channel_id)
            return bool(channel and channel.is_ext_shared)

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        after_effect: bool = False,
    ) -> None:
        """Make the next `times` calls to `method` fail: 429 (ratelimited), 5xx, or 200 with `error`.
        With `after_effect` the call does what it asks first (a message is posted) and then fails."""
        if status == 200 and not error:
            raise ValueError("a 200 failure needs an error code, e.g. error='not_in_channel'")
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._cond:
            self._failures.setdefault(method, []).extend(
                _Failure(status, error, retry_after, after_effect) for _ in range(times)
            )

    def add_workspace(self, team_id: str) -> str:
        """A workspace that can install the app through OAuth: returns the one-time code Slack would hand the
        app's redirect URL after the admin approves."""
        with self._cond:
            code = f"code-{team_id}-{self._next_seq()}"
            self._oauth_codes[code] = team_id
            self._workspaces.setdefault(self.bot_token_for(team_id), team_id)
            return code

    @staticmethod
    def bot_token_for(team_id: str) -> str:
        """The bot token the stand-in issues to a workspace that installs the app."""
        return f"xoxb-{team_id.lower()}-stand-in"

    def revoke(self, team_id: str) -> None:
        """The workspace's token stops working, as after `tokens_revoked`."""
        with self._cond:
            self._workspaces.pop(self.bot_token_for(team_id), None)
            self._revoked.add(self.bot_token_for(team_id))

    def accept_only(self, *tokens: str) -> None:
        """From now on every other token is refused with `invalid_auth`, as Slack refuses a wrong one."""
        with self._cond:
            self._tokens = frozenset(tokens)

    def slow_next(self, method: str, *, seconds: float, times: int = 1) -> None:
        """Make the next `times` calls to `method` take `seconds` before they are answered."""
        with self._cond:
            self._delays.setdefault(method, []).extend([seconds] * times)

    def new_ts(self) -> str:
        """A fresh message ts: wall-clock based like Slack's, strictly increasing across threads."""
        with self._cond:
            self._last_ts_us = max(int(time.time() * 1_000_000), self._last_ts_us + 1)
            us = self._last_ts_us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    def new_event_id(self) -> str:
        return f"Ev{self._next_seq():08d}"

    def new_trigger_id(self) -> str:
        """Minted here so `views.open` can refuse a reused trigger (`exchanged_trigger_id`)."""
        n = self._next_seq()
        return f"{n}.{int(time.time())}.{n:032x}"

    def _next_seq(self) -> int:
        with self._cond:
            self._seq += 1
            return self._seq

    def dm_channel_id(self, user_id: str) -> str:
        """The stable DM channel id `conversations.open` returns for a user."""
        return f"D{user_id}"

    def user_name(self, user_id: str) -> str | None:
        with self._cond:
            user = self._users.get(user_id)
            return user.name if user else None

    def channel_name(self, channel_id: str) -> str | None:
        with self._cond:
            channel = self._channels.get(channel_id)
            return channel.name if channel else None

    def record_user_message(
        self,
        *,
        channel: str,
        user: str,
        text: str,
        ts: str | None = None,
        thread_ts: str | None = None,
        subtype: str | None = None,
        bot_id: str | None = None,
    ) -> str:
        """Put a message someone else wrote into the channel history; returns its ts."""
        ts = ts or self.new_ts()
        message = {"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts}
        if subtype:
            message["subtype"] = subtype
        if bot_id:
            message["bot_id"] = bot_id
        with self._cond:
            self._messages.setdefault(channel, []).append(message)
        return ts

    def find_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The stored message as Slack would render it in a history/replies response."""
        with self._cond:
            found = self._find(channel, ts)
            return copy.deepcopy(self._render(found)) if found else None

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """A channel's messages incl. thread replies, in posting order; top-level ones have thread_ts None."""
        keys = ("ts", "thread_ts", "text", "blocks", "user")
        with self._cond:
            return copy.deepcopy([{k: m.get(k) for k in keys} for m in self._messages.get(channel, [])])

    def views(self) -> dict[str, dict[str, Any]]:
        """Every view opened or published, by the id the stand-in gave it."""
        with self._cond:
            return copy.deepcopy(self._views)

    def reactions(self, channel: str, ts: str) -> list[str]:
        with self._cond:
            return list(self._reactions.get((channel, ts), []))

    # -- request handling (called from server threads) -------------------------------------------------------

    def _handle_api(self, method: str, params: dict[str, Any], token: str | None) -> _Reply:
        with self._cond:
            delays = self._delays.get(method)
            delay = delays.pop(0) if delays else 0.0
        if delay:
            time.sleep(delay)  # a slow Slack: outside the lock, so other calls are answered meanwhile
        with self._cond:
            failure = self._pop_failure(method)
            if failure is not None and failure.after_effect:
                with contextlib.suppress(SlackError):
                    self._dispatch(method, params, token)
            if failure is not None:
                reply, ok = self._failure_reply(failure), False
            else:
                try:
                    body, ok = self._dispatch(method, params, token), True
                except SlackError as exc:
                    body, ok = {"ok": False, "error": exc.code}, False
                reply = _Reply(body=json.dumps(body))
                if ok and self.scopes is not None:
                    reply.headers["x-oauth-scopes"] = ",".join(self.scopes)
            self._record(ApiCall(method, params, token, time.monotonic(), failed=not ok))
            return reply

    def _handle_response_url(self, key: str, params: dict[str, Any]) -> _Reply:
        with self._cond:
            failure = self._pop_failure(RESPONSE_URL)
            self._record(ApiCall(RESPONSE_URL, {**params, "_key": key}, None, time.monotonic(), failure is not None))
        if failure is not None:
            return _Reply(failure.status, failure.error or "error", "text/plain; charset=utf-8")
        return _Reply(body="ok", content_type="text/plain; charset=utf-8")

    def _record(self, call: ApiCall) -> None:
        self._calls.append(call)
        self._cond.notify_all()

    def _pop_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        return queue.pop(0) if queue else None

    @staticmethod
    def _failure_reply(failure: _Failure) -> _Reply:
        if failure.status == 429:
            error = "ratelimited"
        else:
            error = failure.error or ("internal_error" if failure.status >= 500 else "invalid_request")
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
        return _Reply(failure.status, json.dumps({"ok": False, "error": error}), headers=headers)

    def _dispatch(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        implementation = self._methods.get(method)
        if implementation is None:
            raise SlackError("unknown_method")
        if method == "oauth.v2.access":  # authenticated by the app's client id and secret, not a token
            return implementation(params)
        if not token:
            raise SlackError("not_authed")
        if not token.startswith("xox") or (self._tokens is not None and token not in self._tokens):
            raise SlackError("invalid_auth")
        if token in self._revoked:
            raise SlackError("token_revoked")
        self._caller_token = token  # under self._cond: who is asking, for methods that answer per workspace
        return implementation(params)

    # -- helpers over world state (caller holds the lock) ----------------------------------------------------

    def _channel(self, params: dict[str, Any]) -> _Channel:
        channel_id = str(params.get("channel") or "")
        channel = self._channels.get(channel_id)
        if channel is None:
            if channel_id[:1] != "D":
                raise SlackError("channel_not_found")
            # Any DM id is reachable; remember it, tied to its user when it is one of ours.
            user_id = channel_id[1:] if channel_id[1:] in self._users else None
            channel = _Channel(channel_id, channel_id, True, [user_id] if user_id else [], True, im_user=user_id)
            self._channels[channel_id] = channel
        return channel

    def _postable(self, params: dict[str, Any]) -> str:
        """The channel id to post into; users and DMs are always reachable."""
        channel_id = str(params.get("channel") or "")
        if channel_id[:1] in ("U", "W"):
            if channel_id not in self._users:
                raise SlackError("channel_not_found")
            return channel_id
        channel = self._channel(params)
        if not channel.bot_member:
            raise SlackError("not_in_channel")
        return channel.id

    def _open_dm(self, user_id: str) -> _Channel:
        return self._channel({"channel": self.dm_channel_id(user_id)})

    def _find(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self._messages.get(channel, []) if m["ts"] == ts), None)

    def _render(self, message: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in message.items() if v is not None}

    def _channel_json(self, channel: _Channel) -> dict[str, Any]:
        is_im = channel.id.startswith("D")
        info: dict[str, Any] = {
            "id": channel.id,
            "name": channel.name,
            "is_private": channel.is_private,
            "is_channel": not channel.is_private,
            "is_group": channel.is_private and not is_im,
            "is_im": is_im,
            "is_member": channel.bot_member,
            "context_team_id": self.team_id,
            "is_shared": channel.is_ext_shared,
            "is_ext_shared": channel.is_ext_shared,
            "is_pending_ext_shared": channel.is_pending_ext_shared,
            "is_org_shared": False,
        }
        if channel.im_user:
            info["user"] = channel.im_user
        return info

    def _bot_message(self, params: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.api_app_id,
            "team": self.team_id,
            "text": params.get("text") or "",
            "ts": ts,
            "thread_ts": params.get("thread_ts") or None,
            "blocks": _decoded(params.get("blocks"), "invalid_blocks_format") or None,
        }
        return message

    # -- methods ---------------------------------------------------------------------------------------------

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        team_id = self._workspaces.get(self._caller_token or "", self.team_id)
        return _ok(
            url=f"https://{self.team_domain}.slack.com/",
            team=self.team_domain,
            user=self.bot_name,
            team_id=None if self.org_wide else team_id,
            user_id=self.bot_user_id,
            bot_id=self.bot_id,
            enterprise_id=self.enterprise_id,
            is_enterprise_install=self.org_wide,
        )

    def _chat_get_permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        ts = str(params.get("message_ts") or "")
        if self._find(channel.id, ts) is None:
            raise SlackError("message_not_found")
        return _ok(
            channel=channel.id,
            permalink=f"https://{self.team_domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}",
        )

    def _oauth_v2_access(self, params: dict[str, Any]) -> dict[str, Any]:
        team_id = self._oauth_codes.pop(str(params.get("code") or ""), None)
        if team_id is None:
            raise SlackError("invalid_code")
        token = self.bot_token_for(team_id)
        return _ok(
            access_token=token,
            token_type="bot",
            scope=str(params.get("scope") or "chat:write,commands"),
            bot_user_id=self.bot_user_id,
            app_id=self.api_app_id,
            team={"id": team_id, "name": f"Workspace {team_id}"},
            enterprise=None,
            is_enterprise_install=False,
            authed_user={"id": "UINSTALLER"},
        )

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(params)
        if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            raise SlackError("no_text")
        message = self._bot_message(params, self.new_ts())
        self._messages.setdefault(channel, []).append(message)
        return _ok(channel=channel, ts=message["ts"], message=self._render(message))

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        self._postable(params)
        if params.get("user") not in self._users:
            raise SlackError("user_not_found")
        if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            raise SlackError("no_text")
        return _ok(message_ts=self.new_ts())

    def _own_message(self, params: dict[str, Any], refusal: str) -> tuple[str, dict[str, Any]]:
        channel = self._channel(params).id
        message = self._find(channel, str(params.get("ts") or ""))
        if message is None:
            raise SlackError("message_not_found")
        if message.get("user") != self.bot_user_id:
            raise SlackError(refusal)
        return channel, message

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._own_message(params, "cant_update_message")
        if "text" in params:
            message["text"] = params["text"] or ""
        if "blocks" in params:
            message["blocks"] = _decoded(params["blocks"], "invalid_blocks_format") or None
        return _ok(channel=channel, ts=message["ts"], text=message["text"], message=self._render(message))

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._own_message(params, "cant_delete_message")
        self._messages[channel].remove(message)
        return _ok(channel=channel, ts=message["ts"])

    def _reaction_target(self, params: dict[str, Any]) -> tuple[list[str], str]:
        channel = self._channel(params).id
        ts = str(params.get("timestamp") or "")
        if self._find(channel, ts) is None:
            raise SlackError("message_not_found")
        name = str(params.get("name") or "").strip(":")
        if not name:
            raise SlackError("invalid_name")
        return self._reactions.setdefault((channel, ts), []), name

    def _reactions_add(self, params: dict[str, Any]) -> dict[str, Any]:
        names, name = self._reaction_target(params)
        if name in names:
            raise SlackError("already_reacted")
        names.append(name)
        return _ok()

    def _reactions_remove(self, params: dict[str, Any]) -> dict[str, Any]:
        names, name = self._reaction_target(params)
        if name not in names:
            raise SlackError("no_reaction")
        names.remove(name)
        return _ok()

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return _ok(channel=self._channel_json(self._channel(params)))

    def _conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        # The bot's membership is its flag; listed or not, it shows up exactly when it is in.
        members = [m for m in channel.members if m != self.bot_user_id]
        if channel.bot_member:
            listed = self.bot_user_id in channel.members
            members = list(channel.members) if listed else [*members, self.bot_user_id]
        limit = max(1, min(_as_int(params.get("limit"), 100), 1000))
        start = 0
        if params.get("cursor"):
            try:
                start = int(base64.b64decode(str(params["cursor"])).decode().removeprefix("offset:"))
            except ValueError as exc:
                raise SlackError("invalid_cursor") from exc
        end = start + limit
        next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(members) else ""
        return _ok(members=members[start:end], response_metadata={"next_cursor": next_cursor})

    def _conversations_join(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        if channel.is_private:
            raise SlackError("method_not_supported_for_channel_type")
        channel.bot_member = True
        return _ok(channel=self._channel_json(channel))

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            return _ok(channel={"id": self._channel(params).id})
        users = params.get("users")
        user_ids = users if isinstance(users, list) else [u.strip() for u in str(users or "").split(",")]
        user_ids = [u for u in user_ids if u]
        if not user_ids:
            raise SlackError("users_list_not_supplied")
        if any(u not in self._users for u in user_ids):
            raise SlackError("user_not_found")
        if len(user_ids) == 1:
            return _ok(channel={"id": self._open_dm(user_ids[0]).id})
        digest = hashlib.sha1(",".join(sorted(user_ids)).encode()).hexdigest()[:10].upper()
        channel_id = f"G{digest}"
        if channel_id not in self._channels:
            self._channels[channel_id] = _Channel(channel_id, f"mpdm-{channel_id}", True, user_ids, True)
        return _ok(channel={"id": channel_id})

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params).id
        ts = str(params.get("ts") or "")
        parent = self._find(channel, ts)
        if parent is None:
            raise SlackError("thread_not_found")
        replies = [m for m in self._messages.get(channel, []) if m.get("thread_ts") == ts and m is not parent]
        return _ok(
            messages=[self._render(m) for m in [parent, *replies]],
            has_more=False,
            response_metadata={"next_cursor": ""},
        )

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params).id
        limit = _as_int(params.get("limit"), 100)
        top = [m for m in self._messages.get(channel, []) if m.get("thread_ts") in (None, m["ts"])]
        newest_first = [self._render(m) for m in reversed(top)]
        return _ok(
            messages=newest_first[:limit],
            has_more=len(newest_first) > limit,
            response_metadata={"next_cursor": ""},
        )

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(params.get("user") or ""))
        if user is None:
            raise SlackError("user_not_found")
        info: dict[str, Any] = {
            "id": user.id,
            "team_id": user.team_id,
            "name": user.name,
            "real_name": user.real_name,
            "deleted": user.deleted,
            "is_bot": user.is_bot,
            "is_admin": user.is_admin,
            "is_owner": user.is_owner,
            "is_primary_owner": False,
            "is_stranger": user.is_stranger,
            "profile": {"real_name": user.real_name, "display_name": user.name, "team": user.team_id},
        }
        if user.enterprise_id:
            info["enterprise_user"] = {"id": user.id, "enterprise_id": user.enterprise_id, "teams": [user.team_id]}
        if user.tz is not None:
            offset = datetime.now(ZoneInfo(user.tz)).utcoffset()
            info["tz"] = user.tz
            info["tz_offset"] = int(offset.total_seconds()) if offset else 0
        return _ok(user=info)

    def _store_view(self, view: Any, view_id: str | None = None) -> dict[str, Any]:
        decoded = _decoded(view)
        if not isinstance(decoded, dict) or "type" not in decoded:
            raise SlackError("invalid_arguments")
        if view_id is None:
            view_id = f"V{self._next_seq():08d}"
        stored = {
            **decoded,
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.api_app_id,
            "bot_id": self.bot_id,
            "state": {"values": {}},
            "hash": f"{time.time():.6f}",
        }
        self._views[view_id] = stored
        return stored

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        trigger_id = str(params.get("trigger_id") or "")
        if not trigger_id:
            raise SlackError("invalid_arguments")
        if trigger_id in self._used_triggers:
            raise SlackError("exchanged_trigger_id")
        view = self._store_view(params.get("view"))
        self._used_triggers.add(trigger_id)
        return _ok(view=view)

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = str(params.get("view_id") or "")
        if view_id not in self._views:
            raise SlackError("not_found")
        return _ok(view=self._store_view(params.get("view"), view_id))

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user_id") or "")
        if user_id not in self._users:
            raise SlackError("user_not_found")
        return _ok(view=self._store_view(params.get("view"), f"VHOME{user_id}"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops bursts of concurrent connects, which then stall for a 1 s SYN retry.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], fake: FakeSlack) -> None:
        self.fake = fake
        self._stopping = threading.Event()
        super().__init__(address, _Handler)

    def serve(self) -> None:
        """Accept until stopped. A blocking accept woken by a poke stops at once; serve_forever polls."""
        while True:
            try:
                request, address = self.get_request()
            except OSError:
                return
            if self._stopping.is_set():
                self.shutdown_request(request)
                return
            self.process_request(request, address)

    def wake_to_stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            socket.create_connection(self.server_address[:2], timeout=1).close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: a client hanging up is not ours to report (handler bugs go to `server_errors`)."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """No request logging: tests and the demo own stderr."""

    def _serve(self) -> None:
        fake = self.server.fake
        try:
            reply = self._route(fake)
        except Exception as exc:
            fake.server_errors.append(exc)
            reply = _Reply(500, json.dumps({"ok": False, "error": "fatal_error"}))
        self._send(reply)

    def _route(self, fake: FakeSlack) -> _Reply:
        url = urlsplit(self.path)
        params: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
        params.update(self._body_params())
        if url.path.startswith("/api/"):
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
            token = token or params.get("token") or None
            return fake._handle_api(url.path.removeprefix("/api/"), params, token)
        if url.path.startswith("/responses/") and self.command == "POST":
            return fake._handle_response_url(url.path.removeprefix("/responses/"), params)
        return _Reply(404, "not found", "text/plain; charset=utf-8")

    def _body_params(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        if not raw:
            return {}
        content_type = self.headers.get("Content-Type", "")
        if "json" in content_type or (not content_type and raw.lstrip().startswith("{")):
            try:
                body = json.loads(raw)
            except ValueError:
                return {}
            return body if isinstance(body, dict) else {}
        return dict(parse_qsl(raw, keep_blank_values=True))

    def _send(self, reply: _Reply) -> None:
        payload = reply.body.encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
