"""Coaching for a channel that people outside the organisation can read (Slack Connect) goes to the seller
privately: a DM carrying the question, its buttons, and a link back to the update it is about.

Exactly once, as in a thread: the question is claimed under the update's ts before anything is sent, and
the DM carries the question's block id, so a claim left unposted by a crash is finished only after the DM
history shows it did not go out.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coach import Question
from bot.core.services import Services
from bot.slack import cards
from bot.slack.post import find_marked_message, post_message
from storage.models import AskedQuestion

log = logging.getLogger(__name__)


def permalink(client: WebClient, *, channel: str, ts: str) -> str | None:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except (SlackApiError, OSError, KeyError):
        return None


def post_privately(
    services: Services,
    client: WebClient,
    asked: AskedQuestion | Question,
    *,
    user_id: str,
    channel_id: str,
    about_ts: str | None,
    recovering: bool = False,
    question_id: int | None = None,
) -> tuple[str | None, str | None]:
    """DM `user_id` the question about their message `about_ts` in `channel_id`. Returns (the DM channel,
    the DM's ts), with a ts of None when it could not be sent (logged)."""
    dm, error = services.lookup.dm(client, user_id)
    if dm is None:
        log.warning("private coaching: no DM channel with the seller: %s", error)
        return None, None
    if recovering and question_id is not None:
        readable, ts = find_marked_message(client, channel=dm, block_id=cards.coaching_block_id(question_id))
        if not readable or ts is not None:
            return dm, ts  # unreadable: better late than twice
    link = permalink(client, channel=channel_id, ts=about_ts) if about_ts else None
    text, blocks = cards.private_coaching_reply(asked, channel_id=channel_id, link=link)
    return dm, post_message(client, channel=dm, text=text, blocks=blocks)
