"""A deal channel shared with the buyer's organisation (Slack Connect), end to end over signed HTTP.

The buyer reads everything posted there, so wiift never coaches there: the seller is coached by DM; the
buyer never starts, owns or hears about a deal (no notes, nudges or digests); the buyer's messages are
their voice: their name is a stakeholder, and the seller can keep their words as a note."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.standin import FakeSlack
from bot.work.digest_run import run_digests
from storage.db import unit_of_work
from storage.models import AskedQuestion, Deal, Note, Nudge, Stakeholder
from tests.conftest import MANAGER, SELLER, Wiift, answer_text

SHARED = "CDEALGLOBEX"
BUYER = "UBUYERDANA"
BUYER_ADMIN = "UBUYERBOSS"
PRESSURE = "Need Globex signed by Friday, I'm one deal short of quota this quarter."
PRAISE = "Their CFO says the manual reconciliation costs her team two days every month-end."
FLOOR = "our floor price is 38k, we can go to 15 % off"


@pytest.fixture
def shared(wiift: Wiift) -> Wiift:
    slack = wiift.slack
    slack.add_external_user(BUYER, name="dana", real_name="Dana Lee", tz="Europe/Berlin")
    slack.add_external_user(BUYER_ADMIN, name="boss", real_name="Bo Boss", is_admin=True)
    members = [SELLER, MANAGER, BUYER, BUYER_ADMIN, slack.bot_user_id]
    slack.add_channel(SHARED, name="deal-globex", members=members, shared=True)
    return wiift


def _bot_posts_in(wiift: Wiift, channel: str) -> list[dict]:  # type: ignore[type-arg]
    return [m for m in wiift.slack.messages(channel) if m["user"] == wiift.slack.bot_user_id]


def _dms_to(wiift: Wiift, user: str) -> list[dict]:  # type: ignore[type-arg]
    return _bot_posts_in(wiift, wiift.slack.dm_channel_id(user))


def _deals(wiift: Wiift) -> list[Deal]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Deal)))


def _nothing_where_the_buyer_reads(wiift: Wiift) -> None:
    assert _bot_posts_in(wiift, SHARED) == []
    assert [c for c in wiift.slack.calls_to("reactions.add") if c.params["channel"] == SHARED] == []
    assert [c for c in wiift.slack.calls_to("chat.postEphemeral") if c.params["user"] in (BUYER, BUYER_ADMIN)] == []
    assert _dms_to(wiift, BUYER) == [] and _dms_to(wiift, BUYER_ADMIN) == []


def test_the_buyer_posting_first_neither_starts_nor_owns_the_deal(shared: Wiift) -> None:
    shared.say("Need sign-off from our CFO by Friday, can you send the order form?", channel=SHARED, user=BUYER)
    assert _deals(shared) == []
    shared.say(PRESSURE, channel=SHARED, user=SELLER)
    [deal] = _deals(shared)
    assert (deal.name, deal.owner_id) == ("Globex", SELLER)
    _nothing_where_the_buyer_reads(shared)


def test_a_sellers_update_is_coached_by_dm_with_a_link_to_it_never_in_the_channel(shared: Wiift) -> None:
    ts = shared.say(PRESSURE, channel=SHARED, user=SELLER)
    [dm] = _dms_to(shared, SELLER)
    text = json.dumps(dm["blocks"])
    assert "?" in dm["text"] and "Whose timeline, whose fit" in text
    assert f"/archives/{SHARED}/p{ts.replace('.', '')}" in text  # the link back to their update
    assert "shared with people outside your organisation" in text
    buttons = {e["action_id"] for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert {"coach_add_note", "coach_not_helpful"} <= buttons
    with unit_of_work(shared.services.engine) as session:
        asked = session.exec(select(AskedQuestion)).one()
    assert (asked.message_ts, asked.reply_ts) == (ts, dm["ts"])
    shared.say(PRAISE, channel=SHARED, user=SELLER)  # praise would be a reaction the buyer sees: none
    _nothing_where_the_buyer_reads(shared)


def test_a_redelivered_update_in_a_shared_channel_is_coached_once(shared: Wiift) -> None:
    _, ts = shared.driver.message(channel=SHARED, user=SELLER, text=PRESSURE, event_id="EvS")
    shared.settle()
    shared.driver.message(channel=SHARED, user=SELLER, text=PRESSURE, ts=ts, event_id="EvS", retry_num=1)
    shared.settle()
    assert len(_dms_to(shared, SELLER)) == 1


def test_the_buyers_messages_are_the_buyers_voice(shared: Wiift) -> None:
    ts = shared.say(PRESSURE, channel=SHARED, user=SELLER)
    shared.say("We need this live before our March audit.", channel=SHARED, user=BUYER)
    shared.say("Our board decides on the 12th.", channel=SHARED, user=BUYER, thread_ts=ts)
    shared.say("Sure, I'll look into pricing for you all.", channel=SHARED, user=SELLER, thread_ts=ts)
    with unit_of_work(shared.services.engine) as session:
        assert [s.name for s in session.exec(select(Stakeholder))] == ["Dana Lee"]
        assert list(session.exec(select(Note))) == []  # nothing said where the buyer reads is kept by itself
    assert len(_dms_to(shared, SELLER)) == 1  # the one question on the seller's update
    _nothing_where_the_buyer_reads(shared)


def test_the_seller_keeps_the_buyers_words_as_a_note(shared: Wiift) -> None:
    shared.say(PRESSURE, channel=SHARED, user=SELLER)
    buyer_ts = shared.say("Honestly the P&amp;L hit from month-end is what keeps me up.", channel=SHARED, user=BUYER)
    response = shared.driver.message_shortcut(
        callback_id="deal_keep_note", user=SELLER, channel=SHARED, message_ts=buyer_ts
    )
    assert response.status == 200
    shared.settle()
    [opened] = shared.slack.calls_to("views.open")
    view = opened.json("view")
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["note"]["element"]["initial_value"] == "Honestly the P&L hit from month-end is what keeps me up."
    assert blocks["who"]["element"]["initial_value"] == "Dana Lee"
    answer = shared.driver.view_submission(
        callback_id="deal_note",
        values={
            "note": {"text": {"type": "plain_text_input", "value": blocks["note"]["element"]["initial_value"]}},
            "lens": {"lens": {"type": "static_select", "selected_option": {"value": "auto"}}},
            "who": {"who": {"type": "plain_text_input", "value": "Dana Lee"}},
        },
        user=SELLER,
        private_metadata=view["private_metadata"],
    )
    assert answer.status == 200 and not answer.body
    shared.settle()
    with unit_of_work(shared.services.engine) as session:
        [note] = list(session.exec(select(Note)))
    assert (note.author_id, note.stakeholder) == (SELLER, "Dana Lee")
    assert note.text == "Honestly the P&L hit from month-end is what keeps me up."
    [told] = shared.slack.calls_to("chat.postEphemeral")
    assert told.params["user"] == SELLER
    _nothing_where_the_buyer_reads(shared)


def test_nobody_from_the_buyers_side_can_be_made_owner(shared: Wiift) -> None:
    shared.say(PRESSURE, channel=SHARED, user=SELLER)
    answer = answer_text(shared.command("/deal", f"owner <@{BUYER}|dana>", channel=SHARED, user=SELLER))
    assert "outside your organisation" in answer
    assert _deals(shared)[0].owner_id == SELLER
    answer = answer_text(shared.command("/deal", f"owner <@{shared.slack.bot_user_id}>", channel=SHARED))
    assert "can't own a deal" in answer and _deals(shared)[0].owner_id == SELLER


def _nudge_states(wiift: Wiift) -> list[str]:
    """Let the workers run every job due by the app's clock; the nudges' states afterwards."""
    wiift.settle()
    with unit_of_work(wiift.services.engine) as session:
        return [n.state for n in session.exec(select(Nudge))]


def test_the_call_prep_dm_reaches_the_seller_and_never_the_buyer(shared: Wiift) -> None:
    shared.say("Can we do a call tomorrow at 3 to walk through pricing?", channel=SHARED, user=BUYER)
    shared.say(PRESSURE, channel=SHARED, user=SELLER)
    shared.command("/deal", f"note #prep {FLOOR}", channel=SHARED, user=SELLER)
    booked = answer_text(shared.command("/deal", "call tomorrow 3pm — pricing", channel=SHARED, user=SELLER))
    assert f"<@{SELLER}> gets a prep DM" in booked
    shared.clock.advance(timedelta(hours=28))
    assert _nudge_states(shared) == ["sent"]
    [_prep] = [m for m in _dms_to(shared, SELLER) if "Prep for your call with Globex" in (m["text"] or "")]
    report = run_digests(shared.services, shared.app.client, now=shared.clock(), force=True)
    assert BUYER not in report.sent_to and SELLER in report.sent_to
    _nothing_where_the_buyer_reads(shared)


def test_closing_in_a_shared_channel_asks_its_last_question_privately(shared: Wiift) -> None:
    shared.say(PRESSURE, channel=SHARED, user=SELLER)
    answer = answer_text(shared.command("/deal", "close won", channel=SHARED, user=SELLER))
    assert "sent you one last question by DM" in answer
    assert _deals(shared)[0].stage == "won"
    last = _dms_to(shared, SELLER)[-1]
    assert "?" in last["text"] and "coach_add_note" in json.dumps(last["blocks"])
    _nothing_where_the_buyer_reads(shared)


def test_a_deal_left_owned_by_the_buyer_sends_them_no_nudge_and_no_digest(shared: Wiift) -> None:
    shared.say(PRESSURE, channel=SHARED, user=SELLER)
    shared.command("/deal", "call tomorrow 3pm", channel=SHARED, user=SELLER)
    with unit_of_work(shared.services.engine) as session:  # as an older wiift could have left it
        deal = session.exec(select(Deal)).one()
        deal.owner_id = BUYER
        session.add(deal)
    shared.clock.advance(timedelta(hours=28))
    assert _nudge_states(shared) == ["cancelled"]
    with unit_of_work(shared.services.engine) as session:
        assert session.exec(select(Nudge)).one().state == "cancelled"
    report = run_digests(shared.services, shared.app.client, now=shared.clock(), force=True)
    assert BUYER not in report.sent_to
    _nothing_where_the_buyer_reads(shared)


def test_an_admin_of_the_buyers_workspace_cannot_manage_our_deal(shared: Wiift) -> None:
    shared.say(PRESSURE, channel=SHARED, user=SELLER)
    response = shared.driver.action(action_id="deal_forget_confirm", value="1", user=BUYER_ADMIN, channel=SHARED)
    assert response.status == 200
    shared.settle()
    assert len(_deals(shared)) == 1
    [told] = shared.slack.calls_to("response_url")
    assert "Only the deal's owner" in str(told.params["text"])


def test_a_channel_whose_invitation_is_pending_is_treated_as_shared(wiift: Wiift) -> None:
    wiift.slack.add_channel(
        "CDEALPENDING", name="deal-initech", members=[SELLER, wiift.slack.bot_user_id], pending_share=True
    )
    ts = wiift.say(PRESSURE, channel="CDEALPENDING")  # the event itself does not say so yet
    assert wiift.thread_replies("CDEALPENDING", ts) == []
    assert len(_dms_to(wiift, SELLER)) == 1


def test_a_colleague_from_a_sibling_workspace_of_the_organisation_is_one_of_ours(database_url: str) -> None:
    slack = FakeSlack(enterprise_id="E0ACME").start()
    try:
        slack.add_user(SELLER, name="sam")
        slack.add_user("UCOLLEAGUE", name="kim", team_id="T0SIBLING", enterprise_id="E0ACME")
        slack.add_external_user(BUYER, name="dana", real_name="Dana Lee")
        slack.add_channel(
            SHARED, name="deal-globex", members=[SELLER, "UCOLLEAGUE", BUYER, slack.bot_user_id], shared=True
        )
        wiift = Wiift(slack, database_url=database_url)
        try:
            wiift.say(PRESSURE, channel=SHARED, user="UCOLLEAGUE")
            [deal] = _deals(wiift)
            assert deal.owner_id == "UCOLLEAGUE"
            assert len(_dms_to(wiift, "UCOLLEAGUE")) == 1
            answer = answer_text(wiift.command("/deal", f"owner <@{SELLER}>", channel=SHARED, user="UCOLLEAGUE"))
            assert "now owns" in answer
        finally:
            wiift.close()
    finally:
        slack.stop()
