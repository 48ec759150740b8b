"""What a Slack payload looks like, checked at the front door before Bolt reads it.

Bolt and our listeners read ids, timestamps and texts out of every payload on the assumption that Slack
wrote it: a signed payload with a number where Slack always sends a string, a list where it sends an
object, or a button click without the user who clicked, would otherwise fail deep inside Bolt (a 500) or a
listener. The shapes below say, for the fields anything reads, what Slack sends (pydantic, strict: no
coercion); a payload that does not fit is a 400 and reaches nothing. Fields nobody reads are not checked.
"""

from __future__ import annotations

from typing import Annotated, Any, NotRequired, Required

from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

Id = str | None
# What we store from a message: Slack's ids (U…, W…, C…, G…, D…, T…, E…) and message timestamps.
SlackId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,32}$")]
Ts = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}\.[0-9]{1,8}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://")]


@with_config(ConfigDict(strict=True))
class _Named(TypedDict, total=False):  # a team, an enterprise, a channel, a user: an object with an id
    id: Id
    team_id: Id
    enterprise_id: Id
    name: Id


@with_config(ConfigDict(strict=True))
class _Authorization(TypedDict, total=False):
    team_id: Id
    enterprise_id: Id
    user_id: Id
    is_bot: bool | None
    is_enterprise_install: bool | None


@with_config(ConfigDict(strict=True))
class _Message(TypedDict, total=False):
    type: Id
    subtype: Id
    text: Id
    user: str | _Named | None
    user_team: Id
    team: Id
    ts: Id
    thread_ts: Id


@with_config(ConfigDict(strict=True))
class _Event(TypedDict, total=False):
    type: Required[str]
    subtype: Id
    user: SlackId | _Named | None
    user_team: SlackId | None
    source_team: SlackId | None
    team: SlackId | None
    channel: SlackId | _Named | None
    channel_type: Id
    text: Id
    ts: Ts | None
    thread_ts: Ts | None
    event_ts: Id
    bot_id: Id
    tab: Id
    view: _Named | None
    message: _Message | None
    previous_message: _Message | None


@with_config(ConfigDict(strict=True))
class _Common(TypedDict, total=False):
    """What Bolt reads from any payload to build its context."""

    type: Id
    team_id: Id
    enterprise_id: Id
    user_id: Id
    channel_id: Id
    thread_ts: Id
    team: str | _Named | None
    enterprise: str | _Named | None
    user: str | _Named | None
    channel: str | _Named | None
    authorizations: list[_Authorization] | None
    is_enterprise_install: bool | str | None
    is_ext_shared_channel: bool | None
    response_url: Id
    response_urls: list[dict[str, Any]] | None


@with_config(ConfigDict(strict=True))
class _EventCallback(_Common, total=False):
    event: Required[_Event]
    event_id: Id
    view: dict[str, Any]  # Bolt reads `view` whenever the key is there: an object, never null


@with_config(ConfigDict(strict=True))
class _Command(TypedDict):
    """A slash command, as its form fields (always text)."""

    command: str
    text: str
    team_id: SlackId
    channel_id: SlackId
    user_id: SlackId
    response_url: Url
    trigger_id: NotRequired[str]


@with_config(ConfigDict(strict=True))
class _Action(TypedDict, total=False):
    action_id: Required[str]
    block_id: Id
    type: Id
    value: Id
    selected_option: dict[str, Any] | None


@with_config(ConfigDict(strict=True))
class _Container(TypedDict, total=False):
    type: Id
    view_id: Id
    channel_id: Id
    message_ts: Id


@with_config(ConfigDict(strict=True))
class _Values(TypedDict, total=False):
    values: dict[str, dict[str, dict[str, Any]]]


@with_config(ConfigDict(strict=True))
class _View(TypedDict, total=False):
    id: Id
    type: Id
    team_id: Id
    app_installed_team_id: Id
    callback_id: Id
    private_metadata: Id
    hash: Id
    state: _Values | None


@with_config(ConfigDict(strict=True))
class _Clicker(TypedDict, total=False):
    id: Required[SlackId]
    team_id: Id
    name: Id
    username: Id


@with_config(ConfigDict(strict=True))
class _Interaction(_Common, total=False):
    type: Required[str]  # type: ignore[misc]
    user: Required[_Clicker]  # type: ignore[misc]
    trigger_id: Id
    callback_id: Id
    view: _View  # Bolt reads `view` whenever the key is there: an object, never null
    container: _Container
    message: _Message
    actions: list[_Action]


_EVENT_CALLBACK = TypeAdapter(_EventCallback)
_COMMON = TypeAdapter(_Common)
_COMMAND = TypeAdapter(_Command)
_INTERACTION = TypeAdapter(_Interaction)


def event_problem(body: dict[str, Any]) -> str | None:
    """Why a JSON body is not an event Slack could have sent, or None."""
    kind = body.get("type")
    if kind == "url_verification":
        return None if isinstance(body.get("challenge"), str) else "a url_verification needs its challenge"
    return _check(_EVENT_CALLBACK if kind == "event_callback" else _COMMON, body)


def command_problem(form: dict[str, str]) -> str | None:
    """Why form fields are not a slash command Slack could have sent, or None."""
    if form.keys() & _STRUCTURED:
        return "a slash command carries text fields only"
    return _check(_COMMAND, form)


_STRUCTURED = frozenset({"event", "view", "actions", "message", "container", "authorizations", "user", "team"})


def interaction_problem(payload: dict[str, Any]) -> str | None:
    """Why an interactivity payload is not one Slack could have sent, or None."""
    problem = _check(_INTERACTION, payload)
    if problem is not None:
        return problem
    kind = payload.get("type")
    if kind == "block_actions":
        if not payload.get("actions"):
            return "a block action names no action"
        container = payload.get("container") or {}
        if container.get("type") != "view" and not _is_url(payload.get("response_url")):
            return "a click on a message comes with a response_url"
    elif kind == "view_submission" and not isinstance((payload.get("view") or {}).get("callback_id"), str):
        return "a view submission names its view"
    elif kind in ("message_action", "shortcut") and not isinstance(payload.get("callback_id"), str):
        return "a shortcut names its callback"
    elif kind == "message_action" and not (
        _is_url(payload.get("response_url")) and isinstance(payload.get("channel"), dict)
    ):
        return "a message shortcut comes with its channel and a response_url"
    return None


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _check(adapter: TypeAdapter[Any], value: Any) -> str | None:
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        return f"{'.'.join(str(part) for part in first['loc']) or 'body'}: {first['msg']}"
    return None
