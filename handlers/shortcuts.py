"""Message shortcuts: "Keep as a deal note" on any message in a deal's channel.

This is how the buyer's own words become a note in a channel shared with their organisation: wiift never
keeps a buyer's message by itself; the seller picks it, edits it in the note modal, and saves it, with the
buyer named as the stakeholder.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.core.services import Services
from bot.slack.escape import escape, from_slack, typed
from bot.work import modals
from bot.work.deal_notes import MAX_STAKEHOLDER
from bot.work.insiders import is_insider
from handlers.actions.home import open_view
from handlers.answered import answered
from handlers.workspace import team_of
from storage.db import unit_of_work
from storage.deals import deal_for_channel

KEEP_AS_NOTE = "deal_keep_note"


def register(app: App, services: Services) -> None:
    @app.message_shortcut(KEEP_AS_NOTE)
    @answered
    def on_keep_as_note(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context, body), str((body.get("user") or {}).get("id") or "")
        channel_id = str((body.get("channel") or {}).get("id") or "")
        message = body.get("message") if isinstance(body.get("message"), dict) else {}
        with unit_of_work(services.engine, read_only=True) as session:
            deal = deal_for_channel(session=session, team_id=team_id, channel_id=channel_id)
        if deal is None:
            respond(text=NO_DEAL, response_type="ephemeral", replace_original=False)
            return
        text = from_slack(str(message.get("text") or "")).strip()
        if not text:
            respond(text="That message has no words to keep.", response_type="ephemeral", replace_original=False)
            return
        author = str(message.get("user") or "")
        stakeholder, source = None, "From a message in this deal's channel."
        if author and not is_insider(
            services.lookup, client, team_id=team_id, user_id=author, hint_team=message.get("user_team")
        ):
            person = services.lookup.person(client, author)
            name = " ".join(typed(person.name).split())[:MAX_STAKEHOLDER] if person is not None else ""
            stakeholder = name or None
            source = f"In the buyer's words{f', from *{escape(name)}*' if name else ''}."
        view = modals.note_modal(deal, stakeholder=stakeholder, origin="thread", text=text, source=source)
        if user_id:
            open_view(client, body, view)


NO_DEAL = "This channel isn't linked to a deal, so there is no deal to keep it on. Start one with `/deal new NAME`."
