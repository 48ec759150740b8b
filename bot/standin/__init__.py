"""A local stand-in for Slack: a recording Web API server and a driver that posts to the app like Slack does.

Tests drive the real Bolt app through it, and `wiift demo` plays a scripted deal channel with it offline.
"""

from __future__ import annotations

from bot.standin.driver import AppResponse, SlackDriver
from bot.standin.server import ApiCall, FakeSlack

__all__ = ["ApiCall", "AppResponse", "FakeSlack", "SlackDriver"]
