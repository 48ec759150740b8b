"""The coaching loop: a seller's deal update in, one buyer-focused question (or a nod) out; a reply in
our question's thread becomes a note.

In a channel shared with another organisation (Slack Connect) the question goes to the seller by DM, with a
link to their update, and nothing is posted where the buyer reads; a message from someone outside the
organisation is the buyer's voice: their name joins the deal's stakeholders, and it is never coached,
never a note, and never makes them a deal's owner.

Exactly once: the update and the question are recorded, under the message's unique ts, before anything is
posted, so a redelivered event finds them and posts nothing. A claim left unposted by a crash is finished by
a later delivery, after checking the thread for a reply that did go out.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot import cards, coach
from bot.deal_channels import deal_in_channel
from bot.deal_notes import MAX_STAKEHOLDER
from bot.deal_state import load_state
from bot.escape import from_slack, typed
from bot.insiders import is_insider, is_shared
from bot.people import user_tz
from bot.private_coaching import post_privately
from bot.services import Services
from bot.slack_out import add_reaction, bot_reply_in_thread, post_message
from storage.db import unit_of_work
from storage.deals import add_stakeholders, deal_for_channel, touch_deal
from storage.feedback import muted_lenses
from storage.models import AskedQuestion
from storage.notes import add_note
from storage.questions import claim_question, mark_posted, question_for_message, record_update
from storage.settings import is_quiet

log = logging.getLogger(__name__)

PRAISE_REACTION = "dart"
NOTED_REACTION = "memo"
RECLAIM_AFTER = timedelta(seconds=30)


def read_message(
    services: Services,
    client: WebClient,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    ts: str,
    text: str,
    thread_ts: str | None = None,
    bot_user_id: str | None = None,
    shared: bool = False,
    poster_team: str | None = None,
) -> None:
    """A person's message in a channel: the buyer's voice, a thread answer, or a deal update. `shared` and
    `poster_team` are what the event said about the channel and the poster's workspace."""
    shared = is_shared(services.lookup, client, channel_id, flagged=shared)
    if shared and not is_insider(services.lookup, client, team_id=team_id, user_id=user_id, hint_team=poster_team):
        hear_buyer(services, client, team_id=team_id, channel_id=channel_id, user_id=user_id)
    elif thread_ts and thread_ts != ts:
        if shared:
            return  # a conversation the buyer reads: the seller keeps notes with "Add a note", not here
        read_thread_answer(
            services,
            client,
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            ts=ts,
            thread_ts=thread_ts,
            text=text,
        )
    else:
        read_update(
            services,
            client,
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            ts=ts,
            text=text,
            bot_user_id=bot_user_id,
            shared=shared,
        )


def hear_buyer(services: Services, client: WebClient, *, team_id: str, channel_id: str, user_id: str) -> None:
    """Someone from the buyer's organisation wrote in a deal's channel: they are one of its stakeholders."""
    with unit_of_work(services.engine, read_only=True) as session:
        deal = deal_for_channel(session=session, team_id=team_id, channel_id=channel_id)
    person = services.lookup.person(client, user_id)
    name = " ".join(typed(person.name).split())[:MAX_STAKEHOLDER] if person is not None else ""
    if deal is None or deal.id is None or not name:
        return  # no deal yet (a buyer never starts one), or a name Slack will not tell
    with unit_of_work(services.engine) as session:
        add_stakeholders(session=session, team_id=team_id, deal_id=deal.id, names=[name], now=services.clock())
    log.info("buyer message heard: deal=%s", deal.id)


def read_update(
    services: Services,
    client: WebClient,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    ts: str,
    text: str,
    bot_user_id: str | None,
    shared: bool = False,
) -> None:
    """A seller's update. `shared`: the channel is shared with another organisation, so the question goes to
    the seller by DM and no reaction shows where the buyer reads."""
    deal = deal_in_channel(services, client, team_id=team_id, channel_id=channel_id, user_id=user_id)
    if deal is None:
        return
    assert deal.id is not None
    tz = user_tz(services, client, team_id=team_id, user_id=user_id)
    now = services.clock()
    analysis = coach.analyze(text, now=now.astimezone(ZoneInfo(tz)), tz=tz)
    question: coach.Question | None = None
    with unit_of_work(services.engine) as session:
        if is_quiet(session=session, team_id=team_id, channel_id=channel_id):
            return
        fresh = record_update(
            session=session,
            team_id=team_id,
            deal_id=deal.id,
            channel_id=channel_id,
            message_ts=ts,
            user_id=user_id,
            signals=analysis.signals,
            reply=analysis.reply,
            now=now,
        )
        if fresh:
            add_stakeholders(session=session, team_id=team_id, deal_id=deal.id, names=analysis.stakeholders, now=now)
            touch_deal(session=session, deal=deal, now=now)
            if analysis.reply == "question":
                muted = muted_lenses(session=session, team_id=team_id, user_id=user_id, now=now)
                state = load_state(session=session, deal=deal, muted_lenses=muted)
                question = coach.choose_question(analysis, state, salt=ts)
                claim_question(
                    session=session,
                    team_id=team_id,
                    deal_id=deal.id,
                    channel_id=channel_id,
                    message_ts=ts,
                    asked_user_id=user_id,
                    lens=question.lens,
                    text=question.text,
                    stakeholder=question.stakeholder,
                    meeting_at=analysis.meeting_at,
                    now=now,
                )
        claimed = question_for_message(session=session, team_id=team_id, channel_id=channel_id, message_ts=ts)

    log.info("deal update read: deal=%s reply=%s signals=%s", deal.id, analysis.reply, sorted(analysis.signals))
    if analysis.reply == "praise" and fresh:
        if not shared:
            add_reaction(client, channel=channel_id, ts=ts, name=PRAISE_REACTION)
    elif claimed is not None and claimed.reply_ts is None:
        if not fresh and now - claimed.created_at < RECLAIM_AFTER:
            return  # another worker is posting it right now
        _post_question(services, client, claimed, bot_user_id=bot_user_id, recovering=not fresh, shared=shared)


def _post_question(
    services: Services,
    client: WebClient,
    claimed: AskedQuestion,
    *,
    bot_user_id: str | None,
    recovering: bool,
    shared: bool,
) -> None:
    assert claimed.id is not None
    reply_ts = None
    if shared:
        _, reply_ts = post_privately(
            services,
            client,
            claimed,
            user_id=claimed.asked_user_id,
            channel_id=claimed.channel_id,
            about_ts=claimed.message_ts,
            recovering=recovering,
            question_id=claimed.id,
        )
    elif recovering:
        reply_ts = bot_reply_in_thread(
            client, channel=claimed.channel_id, thread_ts=claimed.message_ts, bot_user_id=bot_user_id
        )
    if reply_ts is None and not shared:
        text, blocks = cards.coaching_reply(claimed)
        reply_ts = post_message(
            client, channel=claimed.channel_id, thread_ts=claimed.message_ts, text=text, blocks=blocks
        )
    if reply_ts is not None:
        with unit_of_work(services.engine) as session:
            mark_posted(session=session, question_id=claimed.id, reply_ts=reply_ts)


def read_thread_answer(
    services: Services,
    client: WebClient,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    ts: str,
    thread_ts: str,
    text: str,
) -> None:
    """A reply in the thread of one of our questions becomes a note tagged with that question's lens."""
    text = from_slack(text)  # kept as typed
    if not text.strip():
        return
    with unit_of_work(services.engine) as session:
        asked = question_for_message(session=session, team_id=team_id, channel_id=channel_id, message_ts=thread_ts)
        if asked is None:
            return
        added = add_note(
            session=session,
            team_id=team_id,
            deal_id=asked.deal_id,
            author_id=user_id,
            lens=asked.lens,
            stakeholder=asked.stakeholder,
            text=text.strip(),
            source="thread",
            source_ts=ts,
            now=services.clock(),
        )
    log.info("thread answer noted: deal=%s lens=%s new=%s", asked.deal_id, asked.lens, added)
    add_reaction(client, channel=channel_id, ts=ts, name=NOTED_REACTION)
