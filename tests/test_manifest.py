"""The Slack app manifest matches the code: its commands, its events, and a scope for every method we call."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import DEAL_CHANNEL, SELLER, Wiift

MANIFEST = json.loads((Path(__file__).resolve().parents[1] / "manifest.json").read_text())
SCOPES = set(MANIFEST["oauth_config"]["scopes"]["bot"])

# The bot scopes each Web API method needs (one of them, for methods that differ by channel type).
METHOD_SCOPES: dict[str, set[str]] = {
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "reactions.add": {"reactions:write"},
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.members": {"channels:read", "groups:read"},
    "conversations.join": {"channels:join"},
    "conversations.replies": {"channels:history", "groups:history"},
    "conversations.open": {"im:write"},
    "conversations.history": {"channels:history", "groups:history", "im:history"},
    "users.info": {"users:read"},
    "chat.getPermalink": set(),
    "views.open": set(),
    "views.publish": set(),
    "views.update": set(),
    "auth.test": set(),
}


def test_the_commands_in_the_manifest_are_the_ones_the_app_answers(wiift: Wiift) -> None:
    declared = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert declared == {"/deal", "/coach"}
    assert all(c["should_escape"] for c in MANIFEST["features"]["slash_commands"])
    for command in declared:
        answer = wiift.command(command, "help")
        assert f"How to use `{command}`" in str(answer.params["text"])


def test_every_method_the_app_calls_has_its_scope(wiift: Wiift) -> None:
    wiift.say("Need Acme signed by Friday for my quota.")
    ts = wiift.slack.messages(DEAL_CHANNEL)[0]["ts"]
    wiift.say("It's their audit that matters.", thread_ts=ts)
    wiift.command("/deal", "show")
    wiift.command("/deal", "close won")
    called = {c.method for c in wiift.slack.calls if c.method != "response_url"}
    assert {"chat.postMessage", "reactions.add", "conversations.info", "users.info"} <= called
    for method in called:
        needed = METHOD_SCOPES[method]
        assert not needed or needed & SCOPES, f"{method} needs one of {needed}"


def test_the_message_shortcut_in_the_manifest_is_the_one_the_app_answers(wiift: Wiift) -> None:
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", "deal_keep_note")
    assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 80  # Slack's limits
    wiift.command("/deal", "new Acme")
    ts = wiift.say("Their CFO Dana wants it live before the audit.")
    response = wiift.driver.message_shortcut(
        callback_id="deal_keep_note", user=SELLER, channel=DEAL_CHANNEL, message_ts=ts
    )
    assert response.status == 200
    wiift.settle()
    assert wiift.slack.calls_to("views.open")[0].json("view")["callback_id"] == "deal_note"


def test_the_events_we_listen_to_are_subscribed_and_interactivity_is_on() -> None:
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert {"message.channels", "message.groups"} <= events
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert {"channels:history", "groups:history"} <= SCOPES  # message events need them
