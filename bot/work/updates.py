"""The coaching loop: a seller's deal update in, one buyer-focused question (or a nod) out; a reply in
our question's thread becomes a note.

In a channel shared with another organisation (Slack Connect) the question goes to the seller by DM, with a
link to their update, and nothing is posted where the buyer reads; a message from someone outside the
organisation is the buyer's voice: their name joins the deal's stakeholders, and it is never coached,
never a note, and never makes them a deal's owner.

Exactly once: each message is one job (bot.work.queue), and the update and the question are recorded under
the message's unique ts before anything is posted, so a redelivered event or a retried job finds them. A
claim left unposted by a crash or a Slack failure is finished by the job's next attempt, after checking the
thread for a reply that did go out.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlmodel import Session

from bot import coach
from bot.core.services import Services
from bot.slack import cards
from bot.slack.escape import from_slack, typed
from bot.slack.post import add_reaction, bot_reply_in_thread, post_message
from bot.work.deal_channels import deal_in_channel
from bot.work.deal_notes import MAX_STAKEHOLDER
from bot.work.deal_state import load_state
from bot.work.insiders import is_insider, is_shared
from bot.work.memory import remember
from bot.work.people import user_tz
from bot.work.private_coaching import post_privately
from storage.db import unit_of_work
from storage.deals import add_stakeholders, deal_and_quiet, deal_by_id, deal_for_channel, stakeholders, touch_deal
from storage.feedback import muted_lenses
from storage.models import AskedQuestion, Deal
from storage.notes import add_note
from storage.questions import claim_question, mark_posted_now, question_for_message, record_update
from storage.settings import is_quiet

log = logging.getLogger(__name__)

PRAISE_REACTION = "dart"
NOTED_REACTION = "memo"


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
    tz = user_tz(services, client, team_id=team_id, user_id=user_id)
    now = services.clock()
    analysis = coach.analyze(text, now=now.astimezone(ZoneInfo(tz)), tz=tz)  # read before the write lock
    with unit_of_work(services.engine) as session:  # the usual case: the deal is known, one unit of work
        deal, quiet = deal_and_quiet(session=session, team_id=team_id, channel_id=channel_id)
        kept = _keep_update(session, deal, analysis, user_id=user_id, ts=ts, now=now, quiet=quiet) if deal else None
    if deal is None:  # a new deal channel: made from its name (Slack is asked outside any unit of work)
        deal = deal_in_channel(services, client, team_id=team_id, channel_id=channel_id, user_id=user_id)
        if deal is None:
            return
        with unit_of_work(services.engine) as session:
            kept = _keep_update(session, deal, analysis, user_id=user_id, ts=ts, now=now)
    if kept is None:
        return  # the channel is quiet
    fresh, claimed = kept

    log.info("deal update read: deal=%s reply=%s signals=%s", deal.id, analysis.reply, sorted(analysis.signals))
    if analysis.reply == "praise":
        if not shared:
            add_reaction(client, channel=channel_id, ts=ts, name=PRAISE_REACTION)  # a second one is harmless
    elif claimed is not None and claimed.reply_ts is None:
        # The message's job is the only work on this update (its key is unique), so a claim found unposted
        # was left by an earlier attempt of this job: look in the thread before posting again.
        _post_question(services, client, claimed, bot_user_id=bot_user_id, recovering=not fresh, shared=shared)


def _keep_update(
    session: Session,
    deal: Deal,
    analysis: coach.Analysis,
    *,
    user_id: str,
    ts: str,
    now: datetime,
    quiet: bool | None = None,
) -> tuple[bool, AskedQuestion | None] | None:
    """Record the update (once), claim its question, remember what it says. None when the channel is quiet
    (`quiet`, when the caller knows); else whether this was the first reading, and the question claimed for
    the message (new or earlier)."""
    assert deal.id is not None
    team_id, channel_id = deal.team_id, deal.channel_id
    if quiet is None:
        quiet = is_quiet(session=session, team_id=team_id, channel_id=channel_id)
    if quiet:
        return None
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
    if not fresh:  # a retry: the question (if any) was claimed by the first reading
        return fresh, question_for_message(session=session, team_id=team_id, channel_id=channel_id, message_ts=ts)
    touch_deal(session=session, deal=deal, now=now)
    claimed, people = None, None
    if analysis.reply == "question":  # chosen before this message is remembered: what it says is new
        muted = muted_lenses(session=session, team_id=team_id, user_id=user_id, now=now)
        people = stakeholders(session=session, deal_id=deal.id)
        state = load_state(session=session, deal=deal, muted_lenses=muted, people=people)
        question = coach.choose_question(analysis, state, salt=ts)
        claimed = claim_question(
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
    if "chatter" not in analysis.signals:
        remember(session, deal=deal, facts=analysis.facts, source="update", source_ts=ts, now=now, people=people)
    if claimed is None and analysis.reply == "question":  # claimed already, though the update was new
        claimed = question_for_message(session=session, team_id=team_id, channel_id=channel_id, message_ts=ts)
    return fresh, claimed


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
        mark_posted_now(services.engine, question_id=claimed.id, reply_ts=reply_ts)


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
    """A reply in the thread of one of our questions, from the person who posted the update or the deal's
    owner, becomes a note tagged with that question's lens; what it tells about the buyer goes into the deal
    memory whatever the lens. A teammate's aside in the thread is left alone."""
    text = from_slack(text)  # kept as typed
    if not text.strip():
        return
    now = services.clock()
    facts = coach.analyze(text, now=now, tz="UTC").facts  # read before the write lock is taken
    with unit_of_work(services.engine) as session:
        asked = question_for_message(session=session, team_id=team_id, channel_id=channel_id, message_ts=thread_ts)
        if asked is None:
            return
        deal = deal_by_id(session=session, team_id=team_id, deal_id=asked.deal_id)
        if deal is None or user_id not in (asked.asked_user_id, deal.owner_id):
            log.info("thread reply not noted: deal=%s (not the poster or the owner)", asked.deal_id)
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
            now=now,
        )
        if added:
            about_driver = text.strip() if asked.lens == "personal_driver" and asked.stakeholder else None
            remember(
                session,
                deal=deal,
                facts=facts,
                source="thread",
                source_ts=ts,
                now=now,
                about=asked.stakeholder,
                driver=about_driver,
            )
    log.info("thread answer noted: deal=%s lens=%s new=%s", asked.deal_id, asked.lens, added)
    add_reaction(client, channel=channel_id, ts=ts, name=NOTED_REACTION)
