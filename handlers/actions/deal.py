"""Buttons on deal messages: confirming or cancelling `/deal forget`."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.core.services import Services
from bot.slack.cards import plural
from bot.slack.escape import escape
from bot.work.insiders import may_manage, refusal
from bot.work.queue import cancel_nudge
from handlers.actions.values import id_from
from handlers.answered import answered
from handlers.workspace import team_of
from storage.calls import nudge_ids_for_deal
from storage.db import unit_of_work
from storage.deals import deal_by_id, delete_deal
from storage.notes import count_notes

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.action("deal_forget_confirm")
    @answered
    def on_forget(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        ack()
        forget_deal(
            services,
            client,
            team_id=team_of(context, body),
            user_id=body["user"]["id"],
            value=action.get("value"),
            respond=respond,
        )

    @app.action("deal_forget_cancel")
    @answered
    def on_keep(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Kept. Nothing was deleted.", replace_original=True)


def forget_deal(
    services: Services, client: WebClient, *, team_id: str, user_id: str, value: Any, respond: Respond
) -> None:
    """Delete the deal the button names, if the clicker may: its owner now (the deal may have changed
    hands since the button was shown), or a workspace admin."""
    deal_id = id_from(value)
    with unit_of_work(services.engine, read_only=True) as session:
        found = deal_by_id(session=session, team_id=team_id, deal_id=deal_id) if deal_id else None
    allowed = found is not None and may_manage(
        services.lookup, client, team_id=team_id, owner_id=found.owner_id, user_id=user_id
    )
    with unit_of_work(services.engine) as session:
        deal = deal_by_id(session=session, team_id=team_id, deal_id=deal_id) if deal_id else None
        if deal is None:
            outcome = "That deal is already gone."
        elif not allowed or deal.owner_id != (found.owner_id if found else None):
            outcome = refusal(deal.owner_id, deal.name, "delete")
        else:
            notes = count_notes(session=session, deal_id=deal.id or 0)
            for nudge_id in nudge_ids_for_deal(session=session, deal_id=deal.id or 0):
                cancel_nudge(session=session, nudge_id=nudge_id, now=services.clock())
            delete_deal(session=session, deal_id=deal.id or 0)
            outcome = f"Deleted *{escape(deal.name)}* and its {plural(notes, 'note')}."
            log.info("deal deleted: deal=%s", deal.id)
    respond(text=outcome, replace_original=True)
