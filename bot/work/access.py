"""Who may see a deal: its own workspace only (enforced by every query), and for a private deal channel,
only that channel's members."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.lookup import SlackLookup
from storage.models import Deal


def can_see(lookup: SlackLookup, client: WebClient, *, deal: Deal, user_id: str, from_channel: str | None) -> bool:
    if not deal.is_private or from_channel == deal.channel_id:
        return True  # Slack only lets members post in a private channel, so asking from it proves membership
    return user_id in lookup.members(client, deal.channel_id)
