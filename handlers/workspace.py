"""Which workspace a request belongs to, for an app installed in one workspace or across an organisation.

Bolt reads the team from `authorizations[0]`, which an org-wide install leaves null: the request then
names its workspace in the envelope (`team_id`), the event, the view or the user, and failing all of those
the organisation itself (`enterprise_id`) is the workspace its rows are kept under.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext


def team_of(context: BoltContext, body: dict[str, Any]) -> str:
    if context.team_id:
        return str(context.team_id)
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    candidates = [
        body.get("team_id"),
        _id(body.get("team")),
        _id(body.get("view"), "team_id"),
        _id(body.get("user"), "team_id"),
        event.get("view", {}).get("team_id") if isinstance(event.get("view"), dict) else None,
        event.get("team"),
        context.enterprise_id,
        body.get("enterprise_id"),
    ]
    return next((str(found) for found in candidates if isinstance(found, str) and found), "")


def _id(value: Any, key: str = "id") -> Any:
    return value.get(key) if isinstance(value, dict) else None
