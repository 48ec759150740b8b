"""Meeting-time rules from COACHING.md, read through analyze() as the bot reads them."""

from __future__ import annotations

from datetime import datetime

import pytest


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


# 2026-03-04 is a Wednesday.
@pytest.mark.parametrize(
    ("text", "now", "tz", "expected"),
    [
        ("Call with Dana tomorrow at 10am.", "2026-03-04T10:00", "America/New_York", "2026-03-05T10:00-05:00"),
        ("Demo with Dana today 4:30pm.", "2026-03-04T10:00", "America/New_York", "2026-03-04T16:30-05:00"),
        ("Call with Dana Friday 2pm.", "2026-03-04T10:00", "America/New_York", "2026-03-06T14:00-05:00"),
        ("Call with Dana this Friday 2pm.", "2026-03-04T10:00", "America/New_York", "2026-03-06T14:00-05:00"),
        ("Call with Dana next Friday 2pm.", "2026-03-04T10:00", "America/New_York", "2026-03-06T14:00-05:00"),
        # a weekday named on that same weekday means next week's
        ("Call with Dana Wednesday at 11.", "2026-03-04T09:00", "America/New_York", "2026-03-11T11:00-04:00"),
        # "at 3" is 15:00; 8 to 11 stay morning
        ("Call with Dana Friday at 3.", "2026-03-04T10:00", "America/New_York", "2026-03-06T15:00-05:00"),
        ("Call with Dana Friday at 9.", "2026-03-04T10:00", "America/New_York", "2026-03-06T09:00-05:00"),
        ("Call with Dana Friday at noon.", "2026-03-04T10:00", "America/New_York", "2026-03-06T12:00-05:00"),
        # bare time: today if still ahead, else tomorrow
        ("Dana can do a call at 4.", "2026-03-04T10:00", "America/New_York", "2026-03-04T16:00-05:00"),
        ("Dana confirmed the call at 11.", "2026-03-04T18:00", "America/New_York", "2026-03-05T11:00-05:00"),
        # half 2 and 3ish
        ("Call with Dana tomorrow half 2.", "2026-03-04T10:00", "Europe/London", "2026-03-05T14:30+00:00"),
        ("Call with Dana tomorrow 3ish.", "2026-03-04T10:00", "Europe/London", "2026-03-05T15:00+00:00"),
        # a zone named in the text wins
        ("Call with Dana Thursday 2pm ET.", "2026-03-04T10:00", "Europe/London", "2026-03-05T19:00+00:00"),
        ("Call with Dana Thursday 10am GMT.", "2026-03-04T10:00", "America/New_York", "2026-03-05T05:00-05:00"),
        ("Call with Dana tomorrow at 1pm CT.", "2026-03-04T10:00", "America/Los_Angeles", "2026-03-05T11:00-08:00"),
        ("Call with Dana Thursday 9am PT.", "2026-03-04T10:00", "America/New_York", "2026-03-05T12:00-05:00"),
        ("Call with Dana Thursday 9am CET.", "2026-03-04T10:00", "UTC", "2026-03-05T08:00+00:00"),
        # dates and relative times
        ("Site visit on March 12 at 10am.", "2026-03-04T10:00", "America/Chicago", "2026-03-12T10:00-05:00"),
        ("Demo with Dana in 2 hours.", "2026-03-04T10:00", "America/New_York", "2026-03-04T12:00-05:00"),
        ("Jumping on with Dana in 45 minutes.", "2026-03-04T10:00", "America/New_York", "2026-03-04T10:45-05:00"),
        ("In an hour I'm on with Dana.", "2026-03-04T10:00", "America/New_York", "2026-03-04T11:00-05:00"),
    ],
)
def test_meeting_time_rules(read, text: str, now: str, tz: str, expected: str) -> None:
    analysis = read(text, now, tz)
    assert "meeting" in analysis.signals
    assert analysis.meeting_at == at(expected)
    assert str(analysis.meeting_at.tzinfo) == tz  # expressed in the poster's zone


@pytest.mark.parametrize(
    ("tz", "now", "expected"),
    [
        # Friday before the US spring-forward (Sun 8 March 2026) and fall-back (Sun 1 November 2026)
        ("America/New_York", "2026-03-06T16:00", "2026-03-09T09:00-04:00"),
        ("America/Los_Angeles", "2026-10-30T16:00", "2026-11-02T09:00-08:00"),
        # Friday before the UK changes (Sun 29 March and Sun 25 October 2026)
        ("Europe/London", "2026-03-27T16:00", "2026-03-30T09:00+01:00"),
        ("Europe/London", "2026-10-23T16:00", "2026-10-26T09:00+00:00"),
        ("Europe/Berlin", "2026-03-27T16:00", "2026-03-30T09:00+02:00"),
    ],
)
def test_monday_9am_across_dst(read, tz: str, now: str, expected: str) -> None:
    assert read("Call with Dana Monday 9am.", now, tz).meeting_at == at(expected)


def test_in_two_hours_is_elapsed_time_across_dst(read) -> None:
    # 01:30 EST + 2h elapsed = 04:30 EDT (the clock skips 02:00-03:00)
    analysis = read("Demo with Dana in 2 hours.", "2026-03-08T01:30", "America/New_York")
    assert analysis.meeting_at == at("2026-03-08T04:30-04:00")


def test_aware_now_is_accepted(read) -> None:
    analysis = read("Call with Dana tomorrow at 10am.", "2026-03-04T15:00+00:00", "America/New_York")
    assert analysis.meeting_at == at("2026-03-05T10:00-05:00")


@pytest.mark.parametrize(
    "text",
    [
        "Had the call yesterday at 2. Walked them through pricing.",
        "We met Tuesday with Dana and her team.",
        "Dana cancelled Thursday's call. No new date.",
        "Reminder: forecast review moved to 3pm today.",
        "Deal desk sync tomorrow at 10 on the Acme discount.",
    ],
)
def test_past_cancelled_and_internal_meetings_are_not_meetings(read, text: str) -> None:
    analysis = read(text)
    assert "meeting" not in analysis.signals
    assert analysis.meeting_at is None


def test_meeting_without_time_has_no_meeting_at(read) -> None:
    analysis = read("Call with Acme Friday. No time yet.")
    assert "meeting" in analysis.signals
    assert analysis.meeting_at is None


def test_first_time_in_the_sentence_wins(read) -> None:
    text = "Dana wants a session Tuesday 10am. She said it might end the 2am texts she gets."
    assert read(text).meeting_at == at("2026-03-10T10:00-04:00")
