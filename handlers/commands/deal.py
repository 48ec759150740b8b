"""`/deal`: create, annotate, show, list, hand over, close and forget deals."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import coach
from bot.core.services import Services
from bot.slack import cards
from bot.slack.escape import escape, quote
from bot.slack.lenses import label, split_tag
from bot.slack.post import post_message
from bot.work.access import can_see
from bot.work.deal_channels import name_problem
from bot.work.deal_notes import MAX_NOTE, keep_note
from bot.work.deal_state import load_state
from bot.work.insiders import is_insider, is_shared, may_manage, refusal
from bot.work.private_coaching import post_privately
from handlers.answered import answered
from handlers.commands import calls
from handlers.commands.common import MAX_COMMAND_TEXT, AnswerInAck, Invocation, private
from storage.db import unit_of_work
from storage.deals import (
    create_deal,
    deal_by_name,
    deal_for_channel,
    list_deals,
    name_taken,
    set_owner,
    set_stage,
)
from storage.models import Deal
from storage.notes import count_notes, notes_for_deal
from storage.questions import claim_question, mark_posted, question_for_message

log = logging.getLogger(__name__)

USAGE = "\n".join(
    [
        "*How to use `/deal`*",
        "`/deal new NAME` link this channel to a new deal that you own",
        "`/deal note [#tag] TEXT` keep a note of up to 500 characters "
        "(tags: `#wiift` `#driver` `#cost` `#fit` `#prep` `#relationship`)",
        "`/deal show [NAME]` the deal card, just for you",
        "`/deal list` the deals you can see",
        "`/deal owner @someone` hand the deal to someone else",
        "`/deal close won|lost` close the deal, with one last question",
        "`/deal call WHEN [— topic]` book a customer call; I'll DM the owner prep notes before it",
        "`/deal calls` upcoming calls · `/deal cancel ID` · `/deal move ID WHEN`",
        "`/deal forget` delete this deal and all its notes (asks first)",
    ]
)
_USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(\|[^>]*)?>$")

Handler = Callable[[Services, WebClient, Invocation, Respond], None]


def register(app: App, services: Services) -> None:
    @app.command("/deal")
    @answered
    def on_deal(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        inv = Invocation.from_command(command)
        if inv.sub != "note":
            ack()
            handle(services, client, inv, respond)
            return
        # A note is stored before Slack hears back, and the answer rides on the acknowledgement: a note
        # Slack saw acknowledged is never one that a crash lost.
        answer = AnswerInAck(ack, respond)
        try:
            handle(services, client, inv, answer)
        finally:
            answer.close()


def handle(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    if len(inv.rest) > MAX_COMMAND_TEXT:
        private(respond, f"That is {len(inv.rest)} characters; `/deal` takes at most {MAX_COMMAND_TEXT}.")
        return
    handler = SUBCOMMANDS.get(inv.sub)
    if handler is None:
        intro = f"I don't know `/deal {escape(inv.sub)}`.\n" if inv.sub and inv.sub != "help" else ""
        private(respond, intro + USAGE)
        return
    handler(services, client, inv, respond)


def _channel_deal(services: Services, inv: Invocation) -> Deal | None:
    with unit_of_work(services.engine) as session:
        return deal_for_channel(session=session, team_id=inv.team_id, channel_id=inv.channel_id)


NOT_A_DEAL_CHANNEL = "This channel isn't linked to a deal yet. Start one here with `/deal new NAME`."


def new(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    name = " ".join(inv.rest.split())
    problem = name_problem(name)
    if problem:
        private(respond, problem)
        return
    existing = _channel_deal(services, inv)
    if existing is not None:
        private(respond, f"This channel already follows *{escape(existing.name)}*.")
        return
    info = services.lookup.channel(client, inv.channel_id)
    if info is None or info.is_im:
        private(respond, "Run `/deal new` in the deal's own channel, one that wiift has been added to.")
        return
    with unit_of_work(services.engine) as session:
        if name_taken(session=session, team_id=inv.team_id, name=name):
            private(respond, f"There is already a deal called *{escape(name)}*. Pick another name.")
            return
        deal = create_deal(
            session=session,
            team_id=inv.team_id,
            channel_id=inv.channel_id,
            name=name,
            owner_id=inv.user_id,
            is_private=info.is_private,
            now=services.clock(),
        )
    if deal is None:
        private(respond, "Someone just linked this channel or took that name. Try `/deal show`.")
        return
    private(
        respond,
        f"*{escape(deal.name)}* is set up here, owned by you. Post updates in this channel and I'll ask one "
        "buyer-focused question at a time; answer in the thread and I'll keep it as a note.",
    )


def note(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    deal = _channel_deal(services, inv)
    if deal is None:
        private(respond, NOT_A_DEAL_CHANNEL)
        return
    lens, text = split_tag(inv.rest)
    if not text:
        private(respond, "Add the note itself, e.g. `/deal note #driver Dana wants to retire the old system`.")
        return
    if len(text) > MAX_NOTE:
        private(
            respond,
            f"That note is {len(text)} characters; notes hold at most {MAX_NOTE}. Trim it and send again.",
        )
        return
    lens, stakeholder, _ = keep_note(
        services, deal=deal, author_id=inv.user_id, text=text, lens=lens, stakeholder=None, source="command"
    )
    who = f" for *{escape(stakeholder)}*" if stakeholder else ""
    private(respond, f"Noted on *{escape(deal.name)}* under _{label(lens)}_{who}:\n{quote(text)}")


def show(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    with unit_of_work(services.engine) as session:
        if inv.rest:
            deal = deal_by_name(session=session, team_id=inv.team_id, name=inv.rest)
        else:
            deal = deal_for_channel(session=session, team_id=inv.team_id, channel_id=inv.channel_id)
    if deal is None and not inv.rest:
        private(respond, NOT_A_DEAL_CHANNEL + " Or name one: `/deal show NAME`.")
        return
    if deal is None or not can_see(
        services.lookup, client, deal=deal, user_id=inv.user_id, from_channel=inv.channel_id
    ):
        private(respond, f"No deal called *{escape(inv.rest)}* that you can see. `/deal list` shows yours.")
        return
    assert deal.id is not None
    with unit_of_work(services.engine, read_only=True) as session:
        notes = notes_for_deal(session=session, deal_id=deal.id or 0)
        state = load_state(session=session, deal=deal, notes=notes)
    text, blocks = cards.deal_card(deal, notes=notes, state=state)
    private(respond, text, blocks)


def list_(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    with unit_of_work(services.engine) as session:
        deals = list_deals(session=session, team_id=inv.team_id)
        counts = {d.id or 0: count_notes(session=session, deal_id=d.id or 0) for d in deals}
    visible = [
        d for d in deals if can_see(services.lookup, client, deal=d, user_id=inv.user_id, from_channel=inv.channel_id)
    ]
    visible.sort(key=lambda d: (d.owner_id != inv.user_id, d.stage != "open"))
    text, blocks = cards.deal_list(visible, note_counts=counts)
    private(respond, text, blocks)


def _managed_deal(services: Services, client: WebClient, inv: Invocation, respond: Respond, what: str) -> Deal | None:
    """This channel's deal, if the caller may hand it over, close or forget it; else they are told why not."""
    deal = _channel_deal(services, inv)
    if deal is None:
        private(respond, NOT_A_DEAL_CHANNEL)
        return None
    if not may_manage(services.lookup, client, team_id=inv.team_id, owner_id=deal.owner_id, user_id=inv.user_id):
        private(respond, refusal(deal.owner_id, deal.name, what))
        return None
    return deal


def owner(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    match = _USER_MENTION.match(inv.rest)
    if not match:
        private(respond, "Name the new owner with a mention: `/deal owner @someone`.")
        return
    deal = _managed_deal(services, client, inv, respond, "hand over")
    if deal is None:
        return
    new_owner = match.group(1)
    problem = owner_problem(services, client, team_id=inv.team_id, user_id=new_owner)
    if problem:
        private(respond, problem)
        return
    with unit_of_work(services.engine) as session:
        set_owner(session=session, deal=deal, owner_id=new_owner, now=services.clock())
    log.info("deal handed over: deal=%s", deal.id)
    private(respond, f"<@{new_owner}> now owns *{escape(deal.name)}*: pre-call nudges and the digest go to them.")


def owner_problem(services: Services, client: WebClient, *, team_id: str, user_id: str) -> str | None:
    """Why `user_id` cannot own a deal: nudges and digests carry internal notes, so only a person of the
    organisation can (not someone from the buyer's side of a shared channel, not a bot)."""
    person = services.lookup.person(client, user_id)
    if person is None:
        return f"I couldn't look <@{user_id}> up in Slack just now, so nothing changed. Try again in a moment."
    if person.is_bot or person.deleted:
        return f"<@{user_id}> can't own a deal: deals need a person who is still in the workspace."
    if not is_insider(services.lookup, client, team_id=team_id, user_id=user_id):
        return (
            f"<@{user_id}> is outside your organisation, so they can't own a deal: its nudges and digests carry "
            "your internal notes."
        )
    return None


def close(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    outcome = inv.rest.lower()
    if outcome not in ("won", "lost"):
        private(respond, "Say how it ended: `/deal close won` or `/deal close lost`.")
        return
    deal = _managed_deal(services, client, inv, respond, "close")
    if deal is None:
        return
    assert deal.id is not None
    now = services.clock()
    with unit_of_work(services.engine) as session:
        set_stage(session=session, deal=deal, stage=outcome, now=now)
        question = coach.closing_question(outcome, load_state(session=session, deal=deal))
    headline = "closed won :tada:" if outcome == "won" else "closed lost"
    if is_shared(services.lookup, client, inv.channel_id):
        _close_privately(services, client, inv, deal, question, headline=headline, respond=respond)
        return
    text, blocks = cards.coaching_reply(question)
    blocks.insert(0, cards.section(f"<@{inv.user_id}> marked *{escape(deal.name)}* {headline}."))
    ts = post_message(client, channel=inv.channel_id, text=text, blocks=blocks)
    if ts is None:  # we could not post in the channel: the question still reaches the person who closed it
        private(respond, f"*{escape(deal.name)}* is {headline}. One last question: {escape(question.text)}")
        return
    with unit_of_work(services.engine) as session:
        claim_question(  # its thread's answers become notes, like any question's
            session=session,
            team_id=inv.team_id,
            deal_id=deal.id,
            channel_id=inv.channel_id,
            message_ts=ts,
            reply_ts=ts,
            asked_user_id=inv.user_id,
            lens=question.lens,
            text=question.text,
            now=now,
        )
    private(respond, f"*{escape(deal.name)}* is {headline}. I asked the channel one last question.")


def _close_privately(
    services: Services,
    client: WebClient,
    inv: Invocation,
    deal: Deal,
    question: coach.Question,
    *,
    headline: str,
    respond: Respond,
) -> None:
    """In a channel the buyer reads, the last question goes to the person who closed the deal, by DM, with
    its "Add a note" button (claimed first, so the button has a question to point at)."""
    assert deal.id is not None
    now = services.clock()
    with unit_of_work(services.engine) as session:
        claim_question(
            session=session,
            team_id=inv.team_id,
            deal_id=deal.id,
            channel_id=inv.channel_id,
            message_ts=f"closed-{deal.id}-{int(now.timestamp())}",
            asked_user_id=inv.user_id,
            lens=question.lens,
            text=question.text,
            now=now,
        )
        asked = question_for_message(
            session=session,
            team_id=inv.team_id,
            channel_id=inv.channel_id,
            message_ts=f"closed-{deal.id}-{int(now.timestamp())}",
        )
    assert asked is not None and asked.id is not None
    _, ts = post_privately(services, client, asked, user_id=inv.user_id, channel_id=inv.channel_id, about_ts=None)
    if ts is None:
        private(respond, f"*{escape(deal.name)}* is {headline}. One last question: {escape(question.text)}")
        return
    with unit_of_work(services.engine) as session:
        mark_posted(session=session, question_id=asked.id, reply_ts=ts)
    private(
        respond,
        f"*{escape(deal.name)}* is {headline}. This channel is shared outside your organisation, so I sent you "
        "one last question by DM instead of asking here.",
    )


def forget(services: Services, client: WebClient, inv: Invocation, respond: Respond) -> None:
    deal = _managed_deal(services, client, inv, respond, "delete")
    if deal is None:
        return
    with unit_of_work(services.engine) as session:
        n = count_notes(session=session, deal_id=deal.id or 0)
    name = escape(deal.name)
    blocks = [
        cards.section(f"Delete *{name}* and its {cards.plural(n, 'note')} for good? This can't be undone."),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "deal_forget_confirm",
                    "style": "danger",
                    "text": {"type": "plain_text", "text": "Delete it"},
                    "value": str(deal.id),
                },
                {
                    "type": "button",
                    "action_id": "deal_forget_cancel",
                    "text": {"type": "plain_text", "text": "Keep it"},
                    "value": str(deal.id),
                },
            ],
        },
    ]
    private(respond, f"Delete {name} and its notes?", blocks)


SUBCOMMANDS: dict[str, Handler] = {
    "new": new,
    "note": note,
    "show": show,
    "list": list_,
    "owner": owner,
    "close": close,
    "forget": forget,
    "call": calls.call,
    "calls": calls.list_calls,
    "cancel": calls.cancel,
    "move": calls.move,
}
