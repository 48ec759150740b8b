"""Slack Connect: who belongs to the organisation that installed wiift, and where outsiders can read.

A deal channel may be shared with the buyer's organisation. Everything wiift says about a deal (its
questions, notes, nudges, digests) is for the seller's side only, so wiift needs to know, from what Slack
marks:

- whether a channel is shared outside (`is_ext_shared_channel` on the event; `is_ext_shared`, or
  `is_pending_ext_shared` while the invitation is open, from `conversations.info`);
- whether a person is one of ours: the poster's `user_team` on a message says so at no cost when it is the
  installing workspace; otherwise `users.info`: `is_stranger`, `team_id`, and for an organisation on
  Enterprise Grid its `enterprise_id` (colleagues in sibling workspaces of the organisation are ours).

When Slack cannot tell us, the answer is the careful one: not one of ours.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.escape import escape
from bot.slack.lookup import SlackLookup


def is_insider(
    lookup: SlackLookup, client: WebClient, *, team_id: str, user_id: str, hint_team: str | None = None
) -> bool:
    """Whether `user_id` belongs to workspace `team_id` (where the deal lives) or to its organisation.
    `hint_team` is the team Slack named for them on the event, if any."""
    if hint_team and hint_team == team_id:
        return True
    person = lookup.person(client, user_id)
    if person is None or person.is_stranger or person.deleted:
        return False
    if person.team_id == team_id:
        return True
    installation = lookup.installation(client)
    home_enterprise = installation.enterprise_id if installation is not None else None
    return home_enterprise is not None and person.enterprise_id == home_enterprise


def is_shared(lookup: SlackLookup, client: WebClient, channel_id: str, *, flagged: bool = False) -> bool:
    """Whether people outside the organisation can read `channel_id`. `flagged` is the event's own word
    (`is_ext_shared_channel`), which is never stale; otherwise `conversations.info`, cached a few minutes."""
    if flagged:
        return True
    info = lookup.channel(client, channel_id)
    return info is not None and info.is_shared


def may_manage(lookup: SlackLookup, client: WebClient, *, team_id: str, owner_id: str, user_id: str) -> bool:
    """Whether `user_id` may hand over, close or forget a deal: its owner, or an admin or owner of the
    workspace itself (an admin of the buyer's workspace is not one of ours)."""
    if user_id == owner_id:
        return True
    person = lookup.person(client, user_id)
    return (
        person is not None
        and person.is_admin
        and not person.is_bot
        and is_insider(lookup, client, team_id=team_id, user_id=user_id)
    )


def refusal(owner_id: str, deal_name: str, what: str) -> str:
    """What someone who may not `what` ("hand over", "close", "delete") a deal is told."""
    return f"Only the deal's owner, <@{owner_id}>, or a workspace admin can {what} *{escape(deal_name)}*."
