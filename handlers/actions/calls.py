"""The "Remind me before this call" button on a coaching reply that named a meeting time."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.core.services import Services
from bot.work import calls
from bot.work.people import user_tz
from handlers.actions.values import id_from
from handlers.answered import answered
from handlers.workspace import team_of
from storage.db import unit_of_work
from storage.questions import question_and_deal


def register(app: App, services: Services) -> None:
    @app.action("call_remind")
    @answered
    def on_remind(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        respond: Respond,
        client: WebClient,
    ) -> None:
        ack()
        message = remind(
            services, client, team_id=team_of(context, body), user_id=body["user"]["id"], value=action.get("value")
        )
        respond(text=message, response_type="ephemeral", replace_original=False)


def remind(services: Services, client: WebClient, *, team_id: str, user_id: str, value: Any) -> str:
    with unit_of_work(services.engine, read_only=True) as session:
        found = question_and_deal(session=session, team_id=team_id, question_id=id_from(value))
    asked, deal = found or (None, None)
    if asked is None or deal is None or asked.meeting_at is None:
        return "That call isn't one I can book any more: the deal or its question is gone."
    tz = user_tz(services, client, team_id=team_id, user_id=user_id)
    booking = calls.book_at(
        services, team_id=team_id, deal=deal, user_id=user_id, starts_at=asked.meeting_at, tz=tz, topic=None
    )
    return booking.message
