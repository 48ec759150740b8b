"""Issue 8's cases through analyze(): who is doing what, silence only for chatter, people without a name list,
and times as sellers write them. (The corpus-wide figures are in test_voices.py.)"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.coach import Person


@pytest.mark.parametrize(
    "text",
    [
        "Competitor offered them 20% off if they sign by the 30th.",
        "They countered at 15% below our quote and want net-90.",
    ],
)
def test_someone_elses_pressure_is_an_objection_not_ours(read, text: str) -> None:
    signals = read(text).signals
    assert "objection" in signals and "seller_pressure" not in signals


def test_the_buyers_own_deadline_is_not_pressure(read) -> None:
    assert "seller_pressure" not in read("Their board meets on the 14th and wants a decision before go-live.").signals


def test_our_own_pressure_said_sideways(read) -> None:
    assert "seller_pressure" in read("if I'm honest the rush is mine, I need it this month").signals


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("ink's dry on the Kestrel renewal", "won"),
        ("Borealis chose to stay put with their current vendor", "lost"),
        ("Procurement freeze rolled into end of Jan", "stall"),
    ],
)
def test_updates_the_rules_missed_get_a_question(read, text: str, signal: str) -> None:
    analysis = read(text)
    assert signal in analysis.signals and analysis.reply == "question"


def test_a_name_with_its_role_is_one_person(read) -> None:
    analysis = read("Their CFO Dana Whitfield wants the payback model before the board pack goes out.")
    assert analysis.stakeholders == ("CFO Dana Whitfield",)
    (person,) = analysis.people
    assert person == Person(text="CFO Dana Whitfield", name="Dana Whitfield", role="CFO", start=6, end=24)


@pytest.mark.parametrize(
    "text",
    [
        "Procurement freeze rolled into end of Jan.",
        "Their Sydney office wants the pilot extended to Melbourne.",
        "Raj from our solutions team will take the security questions.",
    ],
)
def test_no_person_from_months_places_or_colleagues(read, text: str) -> None:
    assert read(text).stakeholders == ()


# 2026-03-04 is a Wednesday.
@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("Demo with their ops lead wed @ 3.", "America/New_York", "2026-03-11T15:00-04:00"),
        ("Call with the plant mgr fri 8a.", "America/Chicago", "2026-03-06T08:00-06:00"),
        ("Call w/ their CFO tmrw 11:15a.", "America/New_York", "2026-03-05T11:15-05:00"),
        ("Call with the mine GM Thurs 10am Perth time.", "Australia/Sydney", "2026-03-05T13:00+11:00"),
        ("Their COO can only do sat 9:30 for the site walk.", "Europe/London", "2026-03-07T09:30+00:00"),
        ("They moved the demo: ~Thu 2pm~ Fri 10am.", "America/New_York", "2026-03-06T10:00-05:00"),
        ("Prep with <@U0SE> at 1, then the call with their CIO at 3.", "America/New_York", "2026-03-04T15:00-05:00"),
    ],
)
def test_times_as_sellers_write_them(read, text: str, tz: str, expected: str) -> None:
    analysis = read(text, "2026-03-04T10:00", tz)
    assert "meeting" in analysis.signals
    assert analysis.meeting_at == datetime.fromisoformat(expected)


def test_a_day_without_a_time_is_a_meeting_without_a_time(read) -> None:
    analysis = read("Site visit with their facility manager Fri arvo.", "2026-03-04T10:00", "Australia/Brisbane")
    assert "meeting" in analysis.signals and analysis.meeting_at is None


def test_a_time_already_past_is_not_the_meetings(read) -> None:
    analysis = read("Good call with their CFO at 9 this morning, she wants the ROI model.", "2026-03-04T15:00")
    assert analysis.meeting_at is None
