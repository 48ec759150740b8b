"""Buttons on a coaching reply: "Add a note" (a modal prefilled from the question) and "Not helpful"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.core.services import Services
from bot.slack.lenses import label
from bot.work import modals
from handlers.actions.home import open_view
from handlers.actions.values import id_from
from handlers.answered import answered
from handlers.workspace import team_of
from storage.db import unit_of_work
from storage.feedback import mark_unhelpful
from storage.questions import question_and_deal, question_by_id

log = logging.getLogger(__name__)

GONE = "That question's deal is gone, so there is nothing to add it to."


def register(app: App, services: Services) -> None:
    @app.action("coach_add_note")
    @answered
    def on_add_note(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        ack()
        with unit_of_work(services.engine, read_only=True) as session:
            found = question_and_deal(
                session=session, team_id=team_of(context, body), question_id=id_from(action.get("value"))
            )
        asked, deal = found or (None, None)
        if asked is None or deal is None:
            respond(text=GONE, response_type="ephemeral", replace_original=False)
            return
        view = modals.note_modal(
            deal,
            lens=asked.lens,
            stakeholder=asked.stakeholder,
            question=asked.text,
            origin="thread",
            question_id=asked.id,
        )
        open_view(client, body, view)

    @app.action("coach_not_helpful")
    @answered
    def on_not_helpful(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        message = not_helpful(
            services, team_id=team_of(context, body), user_id=str(body["user"]["id"]), value=action.get("value")
        )
        respond(text=message, response_type="ephemeral", replace_original=False)


def not_helpful(services: Services, *, team_id: str, user_id: str, value: Any) -> str:
    """Record the mark once per person and question; returns the private answer."""
    with unit_of_work(services.engine) as session:
        question_id = id_from(value)
        asked = question_by_id(session=session, team_id=team_id, question_id=question_id) if question_id else None
        if asked is None or asked.id is None:
            return "That question is gone (its deal was deleted), so there is nothing to mark."
        fresh = mark_unhelpful(
            session=session,
            team_id=team_id,
            user_id=user_id,
            question_id=asked.id,
            lens=asked.lens,
            now=services.clock(),
        )
    log.info("coaching marked not helpful: question=%s lens=%s new=%s", asked.id, asked.lens, fresh)
    if not fresh:
        return "You already marked this one. Thanks, it's counted once."
    return (
        f"Thanks, noted. If _{label(asked.lens)}_ questions keep missing for you, I'll ask them less "
        "and your weekly digest will show how often coaching missed."
    )
