"""Every request gets an answer the person can read, on SQLite and PostgreSQL alike: numbers and dates out of
range get a specific message, text is stored as typed, and a failure anywhere becomes a short apology with
an error id (never Slack's silent timeout)."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import pytest
from sqlmodel import select

import handlers.actions.home
import handlers.commands.deal
import handlers.views
from storage.db import unit_of_work
from storage.models import Call, Deal, Note
from tests.conftest import DEAL_CHANNEL, SELLER, Wiift, answer_text

HOME = {"id": f"VHOME{SELLER}", "type": "home"}
ERROR_ID = re.compile(r"error id `([0-9a-f]{8})`")


@pytest.fixture
def database_url(any_database_url: str) -> str:
    return any_database_url


@pytest.fixture
def deal(wiift: Wiift) -> Wiift:
    wiift.command("/deal", "new Acme")
    return wiift


def _calls(wiift: Wiift) -> list[Call]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Call)))


def _notes(wiift: Wiift) -> list[Note]:
    with unit_of_work(wiift.services.engine) as session:
        return list(session.exec(select(Note)))


def _answer_in_time(wiift: Wiift, text: str) -> str:
    started = time.monotonic()
    response = wiift.driver.command("/deal", text, user=SELLER, channel=DEAL_CHANNEL)
    assert response.status == 200 and time.monotonic() - started < 1.0, text
    wiift.settle()
    return answer_text(wiift.slack.calls_to("response_url")[-1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cancel 99999999999999999999", "There is no call #99999999999999999999"),
        ("move 99999999999999999999 tomorrow 3pm", "There is no call #99999999999999999999"),
        ("cancel 0", "There is no call #0"),
        ("call 9999-12-31 23:59", "“9999-12-31 23:59” is too far ahead: calls can be booked up to a year ahead"),
        ("call 9999-12-31 23:59 PT", "is too far ahead"),
        ("call in 1000000000 hours", "“in 1000000000 hours” is further ahead than I can book"),
        ("call 2027-11-20 10:00", "is too far ahead"),
        ("call 0001-01-01 00:00", "was long ago"),
    ],
)
def test_numbers_and_dates_out_of_range_get_a_specific_answer_and_book_nothing(
    deal: Wiift, text: str, expected: str
) -> None:
    assert expected in _answer_in_time(deal, text)
    assert _calls(deal) == []


def test_a_call_within_a_year_is_still_booked(deal: Wiift) -> None:
    assert "Booked call" in _answer_in_time(deal, "call 2027-11-10 10:00")
    assert len(_calls(deal)) == 1


def test_slacks_entities_are_decoded_once_on_the_way_in_and_encoded_once_on_the_way_out(wiift: Wiift) -> None:
    # The person typed "P&L <draft>"; Slack sends it as "P&amp;L &lt;draft&gt;".
    created = answer_text(wiift.command("/deal", "new R&amp;D Co"))
    assert "*R&amp;D Co*" in created
    noted = answer_text(wiift.command("/deal", "note #cost P&amp;L &lt;draft&gt; shows 2 FTEs lost to rework"))
    assert "P&amp;L &lt;draft&gt; shows" in noted and "&amp;amp;" not in noted
    with unit_of_work(wiift.services.engine) as session:
        assert session.exec(select(Deal)).one().name == "R&D Co"
    [note] = _notes(wiift)
    assert note.text == "P&L <draft> shows 2 FTEs lost to rework"
    card = answer_text(wiift.command("/deal", "show"))
    assert "P&amp;L &lt;draft&gt;" in card and "R&amp;D Co" in card and "&amp;amp;" not in card
    # A literal "&amp;" typed by the person arrives as "&amp;amp;" and is kept as they typed it.
    wiift.command("/deal", "note the entity is written &amp;amp; in HTML")
    assert "the entity is written &amp; in HTML" in [n.text for n in _notes(wiift)]


def test_a_thread_answer_is_kept_as_typed(wiift: Wiift) -> None:
    ts = wiift.say("Need Acme signed by Friday, I'm short on quota this quarter.")
    wiift.say("Their P&amp;L owner signs &lt;anything&gt; over 50k", thread_ts=ts)
    assert [n.text for n in _notes(wiift)] == ["Their P&L owner signs <anything> over 50k"]


def test_a_nul_byte_in_a_note_is_dropped_not_a_failure(deal: Wiift) -> None:
    answer = answer_text(deal.command("/deal", "note their CFO\x00 signs off on it"))
    assert "Noted" in answer
    assert [n.text for n in _notes(deal)] == ["their CFO signs off on it"]


def _failing(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("the database went away")


def test_a_command_that_fails_after_its_ack_apologises_with_an_error_id(
    deal: Wiift, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(handlers.commands.deal, "list_deals", _failing)
    with caplog.at_level(logging.ERROR):
        answer = _answer_in_time(deal, "list")
    assert "Sorry, something went wrong on my side" in answer
    error_id = ERROR_ID.search(answer)
    assert error_id is not None
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and error_id.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_a_home_button_that_fails_apologises_by_dm(
    deal: Wiift, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(handlers.actions.home, "notes_for_deal", _failing)
    with caplog.at_level(logging.ERROR):
        response = deal.driver.action(
            action_id="home_open_deal", value="1", user=SELLER, view={"id": "VH", "type": "home"}
        )
        assert response.status == 200
        deal.settle()
    [dm] = deal.slack.calls_to("chat.postMessage")
    assert dm.params["channel"] == SELLER and ERROR_ID.search(str(dm.params["text"]))


def test_a_modal_that_fails_before_its_ack_shows_the_apology_in_the_modal(
    deal: Wiift, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(handlers.views, "keep_note", _failing)
    with caplog.at_level(logging.ERROR):
        response = deal.driver.view_submission(
            callback_id="deal_note",
            values={"note": {"text": {"type": "plain_text_input", "value": "they need it before the audit"}}},
            user=SELLER,
            private_metadata=json.dumps({"deal": 1, "origin": "home"}),
        )
    assert response.status == 200
    answer = response.json()
    assert answer["response_action"] == "update" and ERROR_ID.search(json.dumps(answer["view"]))


def test_the_call_modal_is_answered_in_time_when_slack_is_slow_and_finished_when_it_answers(deal: Wiift) -> None:
    opened = deal.driver.action(action_id="home_book_call", value="1", user=SELLER, view=HOME)
    assert opened.status == 200
    deal.settle()
    [view_id] = [key for key, view in deal.slack.views().items() if view.get("callback_id") == "deal_call"]
    deal.slack.slow_next("users.info", seconds=4)  # the booker's time zone takes longer than Slack waits
    started = time.monotonic()
    response = deal.driver.view_submission(
        callback_id="deal_call",
        values={"when": {"when": {"type": "plain_text_input", "value": "Thu 10:30"}}, "topic": {}},
        user=SELLER,
        private_metadata=json.dumps({"deal": 1, "origin": "home"}),
        view_id=view_id,
    )
    assert response.status == 200 and time.monotonic() - started < 2.8
    assert "Working on it" in json.dumps(response.json()["view"])
    [update] = deal.slack.wait_for("views.update", timeout=10)
    assert update.params["view_id"] == view_id and "Booked call" in json.dumps(update.json("view"))
    assert len(_calls(deal)) == 1
