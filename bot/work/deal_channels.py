"""Which channel is which deal: explicit links from `/deal new`, or a channel named with the deal prefix."""

from __future__ import annotations

import re

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.services import Services
from storage.db import unit_of_work
from storage.deals import create_deal, deal_for_channel, name_taken
from storage.models import Deal

MAX_NAME = 80
_BAD_NAME = re.compile(r"[\x00-\x1f<>]")


def name_problem(name: str) -> str | None:
    """Why a deal name cannot be used, or None when it can."""
    if not name:
        return "Give the deal a name, e.g. `/deal new Acme renewal`."
    if len(name) > MAX_NAME:
        return f"Deal names hold at most {MAX_NAME} characters; that one has {len(name)}."
    if _BAD_NAME.search(name):
        return "Deal names cannot contain line breaks, `<` or `>`."
    return None


def name_from_channel(channel_name: str, prefix: str) -> str:
    """`deal-acme-corp` -> `Acme Corp`."""
    words = channel_name[len(prefix) :].replace("_", "-").split("-")
    return " ".join(word[:1].upper() + word[1:] for word in words if word)[:MAX_NAME]


def deal_in_channel(
    services: Services, client: WebClient, *, team_id: str, channel_id: str, user_id: str
) -> Deal | None:
    """The channel's deal, creating it from the channel's name when it starts with the deal prefix."""
    with unit_of_work(services.engine) as session:
        deal = deal_for_channel(session=session, team_id=team_id, channel_id=channel_id)
    if deal is not None:
        return deal
    info = services.lookup.channel(client, channel_id)
    prefix = services.settings.deal_channel_prefix
    if info is None or info.is_im or not info.name.lower().startswith(prefix) or len(info.name) <= len(prefix):
        return None
    name = name_from_channel(info.name, prefix)
    with unit_of_work(services.engine) as session:
        return create_deal(
            session=session,
            team_id=team_id,
            channel_id=channel_id,
            name=_unique_name(session, team_id, name),
            owner_id=user_id,
            is_private=info.is_private,
            now=services.clock(),
        ) or deal_for_channel(session=session, team_id=team_id, channel_id=channel_id)


def _unique_name(session: Session, team_id: str, name: str) -> str:
    candidate, n = name, 2
    while name_taken(session=session, team_id=team_id, name=candidate):
        candidate, n = f"{name} ({n})", n + 1
    return candidate
