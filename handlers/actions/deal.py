"""Buttons on deal messages: confirming or cancelling `/deal forget`."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.cards import plural
from bot.escape import escape
from bot.services import Services
from handlers.actions.values import id_from
from handlers.answered import answered
from storage.calls import nudge_ids_for_deal
from storage.db import unit_of_work
from storage.deals import deal_by_id, delete_deal
from storage.notes import count_notes

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.action("deal_forget_confirm")
    @answered
    def on_forget(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        forget_deal(
            services,
            team_id=context.team_id or "",
            user_id=body["user"]["id"],
            value=action.get("value"),
            respond=respond,
        )

    @app.action("deal_forget_cancel")
    @answered
    def on_keep(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Kept. Nothing was deleted.", replace_original=True)


def forget_deal(services: Services, *, team_id: str, user_id: str, value: Any, respond: Respond) -> None:
    deal_id = id_from(value)
    nudges: list[int] = []
    with unit_of_work(services.engine) as session:
        deal = deal_by_id(session=session, team_id=team_id, deal_id=deal_id) if deal_id else None
        if deal is None:
            outcome = "That deal is already gone."
        elif deal.owner_id != user_id:
            outcome = f"Only the deal's owner, <@{deal.owner_id}>, can delete *{escape(deal.name)}*."
        else:
            notes = count_notes(session=session, deal_id=deal.id or 0)
            nudges = nudge_ids_for_deal(session=session, deal_id=deal.id or 0)
            delete_deal(session=session, deal_id=deal.id or 0)
            outcome = f"Deleted *{escape(deal.name)}* and its {plural(notes, 'note')}."
            log.info("deal deleted: deal=%s", deal.id)
    for nudge_id in nudges:  # after the commit: the job store shares the database
        services.jobs.cancel_nudge(nudge_id)
    respond(text=outcome, replace_original=True)
