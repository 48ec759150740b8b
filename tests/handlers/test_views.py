"""Modals over signed HTTP: the Home buttons that open them, and their submissions, valid and not."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select

from storage.db import unit_of_work
from storage.models import Call, Note, Stakeholder
from tests.conftest import DEAL_CHANNEL, OUTSIDER, PRIVATE_DEAL, SELLER, Wiift

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."
HOME = {"id": f"VHOME{SELLER}", "type": "home"}


def _text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def _note_values(text: str | None, *, lens: str = "auto", who: str | None = None) -> dict[str, Any]:
    return {
        "note": {"text": _text(text)},
        "lens": {"lens": {"type": "static_select", "selected_option": {"value": lens}}},
        "who": {"who": _text(who)},
    }


def _submit(
    wiift: Wiift, callback_id: str, values: dict[str, Any], *, deal: int = 1, origin: str = "home", user: str = SELLER
) -> dict[str, Any] | None:
    response = wiift.driver.view_submission(
        callback_id=callback_id,
        values=values,
        user=user,
        private_metadata=json.dumps({"deal": deal, "origin": origin}),
        view_id="VNOTE1",
    )
    assert response.status == 200
    wiift.settle()
    return response.json() if response.body else None


def _notes(wiift: Wiift) -> list[Note]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Note)))


def _click_home(wiift: Wiift, action_id: str, value: str = "1", *, user: str = SELLER) -> None:
    assert wiift.driver.action(action_id=action_id, value=value, user=user, view=HOME).status == 200
    wiift.settle()


def test_home_buttons_open_the_deal_card_the_note_and_the_call_modals(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.command("/deal", "note #cost they pay two contractors to reconcile by hand")
    for action_id in ("home_open_deal", "home_add_note", "home_book_call"):
        _click_home(wiift, action_id)
    card, note, call = [c.json("view") for c in wiift.slack.calls_to("views.open")]
    assert card["title"]["text"] == "Deal card" and "Deal: Acme" in str(card["blocks"])
    assert "two contractors" in str(card["blocks"]) and "submit" not in card
    assert note["callback_id"] == "deal_note" and len(note["blocks"]) <= 100
    assert call["callback_id"] == "deal_call" and {b.get("block_id") for b in call["blocks"]} >= {"when", "topic"}


def test_a_stale_home_button_says_so_and_refreshes_home(wiift: Wiift) -> None:
    _click_home(wiift, "home_open_deal", "999")
    [opened] = wiift.slack.calls_to("views.open")
    assert "That deal is gone" in str(opened.json("view")["blocks"])
    assert len(wiift.slack.calls_to("views.publish")) == 1


def test_someone_elses_private_deal_cannot_be_opened_from_a_forged_button(wiift: Wiift) -> None:
    wiift.command("/deal", "new Secret Co", channel=PRIVATE_DEAL)
    _click_home(wiift, "home_open_deal", "1", user=OUTSIDER)
    assert "Secret Co" not in str(wiift.slack.calls_to("views.open")[0].json("view"))


def test_a_valid_note_closes_the_modal_and_is_kept_like_deal_note(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    answer = _submit(
        wiift, "deal_note", _note_values("  Dana wants fewer late nights at quarter close  ", lens="personal_driver")
    )
    assert answer is None  # an empty ack closes the modal
    [note] = _notes(wiift)
    assert (note.text, note.lens, note.stakeholder, note.source) == (
        "Dana wants fewer late nights at quarter close",
        "personal_driver",
        "Dana",
        "modal",
    )
    with unit_of_work(wiift.services.engine) as session:
        assert [s.name for s in session.exec(select(Stakeholder))] == ["Dana"]
    assert len(wiift.slack.calls_to("views.publish")) == 1  # the Home tab it came from is refreshed
    _submit(wiift, "deal_note", _note_values("Dana wants fewer late nights at quarter close", lens="personal_driver"))
    assert len(_notes(wiift)) == 1  # the same modal submitted twice keeps one note


def test_an_untagged_note_is_tagged_and_a_thread_note_is_confirmed_privately(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    _submit(
        wiift, "deal_note", _note_values("every late shipment costs them a penalty", who="ops lead"), origin="thread"
    )
    [note] = _notes(wiift)
    assert note.lens == "cost_of_inaction" and note.stakeholder == "ops lead"
    [told] = wiift.slack.calls_to("chat.postEphemeral")
    assert told.params["channel"] == DEAL_CHANNEL and told.params["user"] == SELLER
    assert "Noted on *Acme*" in told.params["text"]


def test_invalid_notes_are_answered_in_the_modal_and_keep_nothing(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    cases = [
        (_note_values(None), "note", "Write the note itself"),
        (_note_values("   "), "note", "Write the note itself"),
        (_note_values("é" * 501), "note", "501 characters"),
        (_note_values("fine", lens="astrology"), "lens", "Pick one of the listed lenses"),
        (_note_values("fine", who="x" * 81), "who", "at most 80"),
        (_note_values("fine", who="<@U123>"), "who", "can't contain"),
    ]
    for values, block, message in cases:
        answer = _submit(wiift, "deal_note", values)
        assert answer is not None and answer["response_action"] == "errors"
        assert message in answer["errors"][block]
    gone = _submit(wiift, "deal_note", _note_values("fine"), deal=999)
    assert gone is not None and "no longer exists" in gone["errors"]["note"]
    assert _notes(wiift) == []


def test_a_note_on_a_private_deal_needs_its_membership(wiift: Wiift) -> None:
    wiift.command("/deal", "new Secret Co", channel=PRIVATE_DEAL)
    answer = _submit(wiift, "deal_note", _note_values("sneaky"), user=OUTSIDER)
    assert answer is not None and "no longer exists, or you can't see it" in answer["errors"]["note"]
    assert _notes(wiift) == []


def _call_values(when: str | None, topic: str | None = None) -> dict[str, Any]:
    return {"when": {"when": _text(when)}, "topic": {"topic": _text(topic)}}


def test_a_valid_call_is_booked_and_confirmed_in_the_modal(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    answer = _submit(wiift, "deal_call", _call_values("Thu 10:30", "pricing review"))
    assert answer is not None and answer["response_action"] == "update"
    assert "Booked call" in str(answer["view"]["blocks"]) and "Thu 19 Nov, 10:30" in str(answer["view"]["blocks"])
    with unit_of_work(wiift.services.engine) as session:
        [call] = list(session.exec(select(Call)))
    assert (call.topic, call.slot, call.booked_by) == ("pricing review", "booked", SELLER)


def test_invalid_calls_are_answered_in_the_modal(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    cases = [
        (_call_values(None), "when", "Say when the call is"),
        (_call_values("whenever suits"), "when", "couldn't read a time"),
        (_call_values("Thu 10:30", "t" * 201), "topic", "at most 200"),
    ]
    for values, block, message in cases:
        answer = _submit(wiift, "deal_call", values)
        assert answer is not None and answer["response_action"] == "errors", values
        assert message in answer["errors"][block]
        assert "*" not in answer["errors"][block]  # plain text, no mrkdwn
    _submit(wiift, "deal_call", _call_values("Thu 10:30"))
    twice = _submit(wiift, "deal_call", _call_values("Thu 10:30"))
    assert twice is not None and "already booked" in twice["errors"]["when"]
    assert "Thu 19 Nov, 10:30 EST" in twice["errors"]["when"] and "<!date" not in twice["errors"]["when"]  # plain text
    gone = _submit(wiift, "deal_call", _call_values("Thu 10:30"), deal=999)
    assert gone is not None and "no longer exists" in gone["errors"]["when"]
    with unit_of_work(wiift.services.engine) as session:
        assert len(list(session.exec(select(Call)))) == 1
