"""Buttons on the Home tab: a deal's card, a note, a call, and paging through many deals."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.services import Services
from bot.slack import cards
from bot.work import modals
from bot.work.access import can_see
from bot.work.deal_state import load_state
from bot.work.home import publish_home
from handlers.actions.values import id_from
from handlers.answered import answered
from handlers.workspace import team_of
from storage.db import unit_of_work
from storage.deals import deal_by_id
from storage.models import Deal
from storage.notes import notes_for_deal

log = logging.getLogger(__name__)

GONE = "That deal is gone, or it isn't yours to see. Your Home tab is up to date now."


def register(app: App, services: Services) -> None:
    @app.action("home_open_deal")
    @answered
    def on_open(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        deal = _button_deal(services, client, body, action, context)
        if deal is None:
            return
        with unit_of_work(services.engine, read_only=True) as session:
            notes = notes_for_deal(session=session, deal_id=deal.id or 0)
            state = load_state(session=session, deal=deal, notes=notes)
        _, blocks = cards.deal_card(deal, notes=notes, state=state)
        open_view(client, body, modals.card_modal(blocks))

    @app.action("home_add_note")
    @answered
    def on_note(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        deal = _button_deal(services, client, body, action, context)
        if deal is not None:
            open_view(client, body, modals.note_modal(deal, origin="home"))

    @app.action("home_book_call")
    @answered
    def on_call(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        deal = _button_deal(services, client, body, action, context, open_only=True)
        if deal is not None:
            open_view(client, body, modals.call_modal(deal, origin="home"))

    @app.action(re.compile(r"^home_page_(prev|next)$"))
    @answered
    def on_page(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        value = str(action.get("value") or "0")
        page = int(value) if value.isdecimal() and len(value) <= 6 else 0
        publish_home(services, client, team_id=team_of(context, body), user_id=_user(body), page=page)


def _button_deal(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    open_only: bool = False,
) -> Deal | None:
    """The deal a Home button names, if the clicker may still act on it; otherwise the Home tab is refreshed."""
    deal = visible_deal(
        services, client, team_id=team_of(context, body), user_id=_user(body), value=action.get("value")
    )
    if deal is None or (open_only and deal.stage != "open"):
        _gone(services, client, body, context)
        return None
    return deal


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def visible_deal(services: Services, client: WebClient, *, team_id: str, user_id: str, value: Any) -> Deal | None:
    """The deal a button names, if it still exists in this workspace and the clicker may see it."""
    deal_id = id_from(value)
    with unit_of_work(services.engine) as session:
        deal = deal_by_id(session=session, team_id=team_id, deal_id=deal_id) if deal_id else None
    if deal is None:
        return None
    if deal.owner_id != user_id and not can_see(services.lookup, client, deal=deal, user_id=user_id, from_channel=None):
        return None
    return deal


def open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> bool:
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as exc:
        log.warning("views.open failed: %s", (exc.response.data or {}).get("error"))
        return False
    return True


def _gone(services: Services, client: WebClient, body: dict[str, Any], context: BoltContext) -> None:
    """A stale button: say so in a modal, and refresh the Home tab so it stops offering it."""
    open_view(client, body, modals.message_modal(GONE))
    publish_home(services, client, team_id=team_of(context, body), user_id=_user(body))
