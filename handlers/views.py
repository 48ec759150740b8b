"""Modal submissions: a note, a call. Every problem is answered in the modal, next to the field at fault
(`response_action: errors`); nothing fails silently."""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.services import Services
from bot.slack.escape import escape, quote
from bot.slack.lenses import LABELS, label
from bot.slack.timefmt import fallbacks
from bot.work import calls, modals
from bot.work.access import can_see
from bot.work.deal_notes import MAX_STAKEHOLDER, keep_note, note_problem
from bot.work.home import publish_home
from handlers.actions.values import id_from
from handlers.answered import answered
from handlers.modal_deadline import ModalDeadline, Outcome
from handlers.workspace import team_of
from storage.db import unit_of_work
from storage.deals import deal_by_id
from storage.models import Deal

log = logging.getLogger(__name__)

GONE = "That deal no longer exists, or you can't see it. Close this and pick another."
_BAD_NAME = re.compile(r"[\x00-\x1f<>]")
_MARK = re.compile(r"(?<!\u200b)[*_](?!\u200b)")


def register(app: App, services: Services) -> None:
    @app.view(modals.NOTE_VIEW)
    @answered
    def on_note(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        user_id, team_id = str(body["user"]["id"]), team_of(context, body)
        with ModalDeadline(ack) as deadline:
            errors, saved = submit_note(services, client, team_id=team_id, user_id=user_id, view=view)
            deadline.answer(client, view, Outcome(errors=errors, done="Noted. You can close this."))
        if not errors:
            _after(services, client, team_id=team_id, user_id=user_id, view=view, told=saved)

    @app.view(modals.CALL_VIEW)
    @answered
    def on_call(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        user_id, team_id = str(body["user"]["id"]), team_of(context, body)
        with ModalDeadline(ack) as deadline:
            errors, message = submit_call(services, client, team_id=team_id, user_id=user_id, view=view)
            booked = None if errors else modals.done_modal("Call booked", message)
            deadline.answer(client, view, Outcome(errors=errors, view=booked))
        if not errors:
            _after(services, client, team_id=team_id, user_id=user_id, view=view, told=None)


def _deal(services: Services, client: WebClient, *, team_id: str, user_id: str, view: dict[str, Any]) -> Deal | None:
    deal_id = id_from(modals.metadata(view).get("deal"))
    if deal_id is None:
        return None
    with unit_of_work(services.engine) as session:
        deal = deal_by_id(session=session, team_id=team_id, deal_id=deal_id)
    if deal is None:
        return None
    if deal.owner_id != user_id and not can_see(services.lookup, client, deal=deal, user_id=user_id, from_channel=None):
        return None
    return deal


def submit_note(
    services: Services, client: WebClient, *, team_id: str, user_id: str, view: dict[str, Any]
) -> tuple[dict[str, str], tuple[Deal, str] | None]:
    """Validate and keep a note. Returns (errors by block id, (deal, what to tell the author) when kept)."""
    text = modals.submitted(view, modals.NOTE_BLOCK, "text").strip()
    lens = modals.submitted(view, modals.LENS_BLOCK, "lens") or modals.AUTO_LENS
    who = " ".join(modals.submitted(view, modals.WHO_BLOCK, "who").split())
    errors: dict[str, str] = {}
    problem = note_problem(text)
    if problem:
        errors[modals.NOTE_BLOCK] = problem
    if lens != modals.AUTO_LENS and lens not in LABELS:
        errors[modals.LENS_BLOCK] = "Pick one of the listed lenses, or let wiift decide."
    if len(who) > MAX_STAKEHOLDER:
        errors[modals.WHO_BLOCK] = f"Names hold at most {MAX_STAKEHOLDER} characters; that one has {len(who)}."
    elif _BAD_NAME.search(who):
        errors[modals.WHO_BLOCK] = "A name can't contain `<` or `>`."
    if errors:
        return errors, None
    deal = _deal(services, client, team_id=team_id, user_id=user_id, view=view)
    if deal is None:
        return {modals.NOTE_BLOCK: GONE}, None
    view_id = str(view.get("id") or "")
    kept_lens, stakeholder, _ = keep_note(
        services,
        deal=deal,
        author_id=user_id,
        text=text,
        lens=None if lens == modals.AUTO_LENS else lens,
        stakeholder=who or None,
        source="modal",
        source_ts=f"view-{view_id}"[:32] if view_id else None,  # a repeated submission keeps one note
    )
    about = f" for *{escape(stakeholder)}*" if stakeholder else ""
    return {}, (deal, f"Noted on *{escape(deal.name)}* under _{label(kept_lens)}_{about}:\n{quote(text)}")


def submit_call(
    services: Services, client: WebClient, *, team_id: str, user_id: str, view: dict[str, Any]
) -> tuple[dict[str, str], str]:
    """Validate and book a call. Returns (errors by block id, the booking message)."""
    when = " ".join(modals.submitted(view, modals.WHEN_BLOCK, "when").split())
    topic = " ".join(modals.submitted(view, modals.TOPIC_BLOCK, "topic").split()) or None
    if not when:
        return {modals.WHEN_BLOCK: f"Say when the call is, e.g. {plain(calls.WHEN_EXAMPLES)}."}, ""
    if topic and len(topic) > calls.MAX_TOPIC:
        return {modals.TOPIC_BLOCK: f"Topics hold at most {calls.MAX_TOPIC} characters; that one has {len(topic)}."}, ""
    deal = _deal(services, client, team_id=team_id, user_id=user_id, view=view)
    if deal is None or deal.stage != "open":
        return {modals.WHEN_BLOCK: GONE if deal is None else "That deal is closed; there is no call to book."}, ""
    booking = calls.book_call(
        services, client, team_id=team_id, deal=deal, user_id=user_id, when_text=when, topic=topic
    )
    if not booking.ok:
        return {modals.WHEN_BLOCK: plain(booking.message)}, ""
    return {}, booking.message


def plain(mrkdwn: str) -> str:
    """Modal error messages are plain text: drop our own emphasis marks and entities, show times plainly."""
    return html.unescape(_MARK.sub("", fallbacks(mrkdwn).replace("`", ""))).replace("\u200b", "")


def _after(
    services: Services,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    view: dict[str, Any],
    told: tuple[Deal, str] | None,
) -> None:
    """After the modal closed: refresh the Home tab it came from, or confirm a thread note privately in
    the deal's channel, as `/deal note` answers."""
    origin = modals.metadata(view).get("origin")
    if origin == "home":
        publish_home(services, client, team_id=team_id, user_id=user_id)
    elif told is not None:
        deal, message = told
        try:
            client.chat_postEphemeral(channel=deal.channel_id, user=user_id, text=message)
        except SlackApiError as exc:
            log.warning("chat.postEphemeral failed: %s", (exc.response.data or {}).get("error"))
