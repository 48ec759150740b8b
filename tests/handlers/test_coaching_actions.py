""" "Add a note" and "Not helpful" on a coaching reply, clicked over signed HTTP."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.db import unit_of_work
from storage.models import AskedQuestion, Feedback
from storage.questions import claim_question
from tests.conftest import DEAL_CHANNEL, MANAGER, SELLER, START, Wiift

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."


def _question(wiift: Wiift, ts: str) -> AskedQuestion:
    with unit_of_work(wiift.services.engine) as session:
        return session.exec(select(AskedQuestion).where(AskedQuestion.message_ts == ts)).one()


def _click(wiift: Wiift, action_id: str, asked: AskedQuestion, *, user: str = SELLER) -> None:
    response = wiift.driver.action(
        action_id=action_id, value=str(asked.id), user=user, channel=DEAL_CHANNEL, message_ts=asked.reply_ts
    )
    assert response.status == 200
    wiift.settle()


def _last_answer(wiift: Wiift) -> dict[str, Any]:
    return dict(wiift.slack.calls_to("response_url")[-1].params)


def test_add_a_note_opens_a_modal_prefilled_with_the_question(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    with unit_of_work(wiift.services.engine) as session:
        claim_question(
            session=session,
            team_id=wiift.slack.team_id,
            deal_id=1,
            channel_id=DEAL_CHANNEL,
            message_ts="99.1",
            asked_user_id=SELLER,
            lens="personal_driver",
            text="What's in this for Dana?",
            stakeholder="Dana",
            now=START,
        )
    _click(wiift, "coach_add_note", _question(wiift, "99.1"))
    [opened] = wiift.slack.calls_to("views.open")
    view = opened.json("view")
    assert view["callback_id"] == "deal_note" and view["type"] == "modal"
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["lens"]["element"]["initial_option"]["value"] == "personal_driver"
    assert blocks["who"]["element"]["initial_value"] == "Dana"
    assert "What's in this for Dana?" in str(view["blocks"])
    assert '"deal": 1' in view["private_metadata"]


def test_add_a_note_on_the_real_reply_takes_its_lens(wiift: Wiift) -> None:
    ts = wiift.say(PRESSURE)
    asked = _question(wiift, ts)
    _click(wiift, "coach_add_note", asked)
    view = wiift.slack.calls_to("views.open")[0].json("view")
    lens = next(b for b in view["blocks"] if b.get("block_id") == "lens")
    assert lens["element"]["initial_option"]["value"] == asked.lens == "alignment"


def test_not_helpful_is_recorded_once_and_answered_privately(wiift: Wiift) -> None:
    asked = _question(wiift, wiift.say(PRESSURE))
    _click(wiift, "coach_not_helpful", asked)
    answer = _last_answer(wiift)
    assert answer["response_type"] == "ephemeral" and "Thanks, noted" in answer["text"]
    assert answer.get("replace_original") in (False, "false", None)
    _click(wiift, "coach_not_helpful", asked)
    assert "already marked" in _last_answer(wiift)["text"]
    _click(wiift, "coach_not_helpful", asked, user=MANAGER)  # each person's mark is their own
    with unit_of_work(wiift.services.engine) as session:
        marks = list(session.exec(select(Feedback)))
    assert sorted((m.user_id, m.lens) for m in marks) == [(MANAGER, "alignment"), (SELLER, "alignment")]
    assert len(wiift.thread_replies(DEAL_CHANNEL, asked.message_ts)) == 1  # the reply itself is untouched


def test_a_lens_marked_unhelpful_twice_is_asked_less(wiift: Wiift) -> None:
    pitch = "Demoed our new analytics dashboard and the AI forecasting module to Acme."
    for update in (PRESSURE, "Pushing Acme to sign before quarter end, need the number."):
        asked = _question(wiift, wiift.say(update))
        assert asked.lens == "alignment"  # pressure, after another lens: alignment
        _click(wiift, "coach_not_helpful", asked)
        assert _question(wiift, wiift.say(pitch)).lens != "alignment"
    asked = _question(wiift, wiift.say("Told Acme we need the PO by Friday for my quota."))
    assert asked.lens != "alignment"  # muted for Sam now


def test_buttons_on_a_deleted_deals_question_say_so(wiift: Wiift) -> None:
    asked = _question(wiift, wiift.say(PRESSURE))
    wiift.command("/deal", "forget")
    wiift.driver.action(action_id="deal_forget_confirm", value="1", user=SELLER, channel=DEAL_CHANNEL)
    wiift.settle()
    _click(wiift, "coach_not_helpful", asked)
    assert "is gone" in _last_answer(wiift)["text"]
    _click(wiift, "coach_add_note", asked)
    assert "is gone" in _last_answer(wiift)["text"]
    assert wiift.slack.calls_to("views.open") == []
