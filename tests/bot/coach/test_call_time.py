from __future__ import annotations

from datetime import datetime

import pytest

from bot.coach import parse_when

NOW = datetime(2026, 4, 16, 13, 0)  # a Thursday, 13:00 in New York


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("tomorrow 3pm", "2026-04-17T15:00-04:00"),
        ("Thu 10:30", "2026-04-23T10:30-04:00"),
        ("next Tuesday 9am PT", "2026-04-21T12:00-04:00"),
        ("in 2 hours", "2026-04-16T15:00-04:00"),
        ("2026-12-03 14:00", "2026-12-03T14:00-05:00"),
        ("Dec 3 2pm", "2026-12-03T14:00-05:00"),
        ("at 3", "2026-04-16T15:00-04:00"),
        ("3rd of December at 2pm", "2026-12-03T14:00-05:00"),
    ],
)
def test_parse_when(phrase: str, expected: str) -> None:
    found = parse_when(phrase, now=NOW, tz="America/New_York")
    assert found == datetime.fromisoformat(expected)
    assert str(found.tzinfo) == "America/New_York"


def test_explicit_past_date_is_returned_for_the_caller_to_reject() -> None:
    found = parse_when("2026-01-05 10:00", now=NOW, tz="America/New_York")
    assert found is not None and found < NOW.replace(tzinfo=found.tzinfo)


@pytest.mark.parametrize("phrase", ["", "whenever", "Friday", "soon-ish maybe", "tomorrow at 3 with snacks"])
def test_unparseable_is_none(phrase: str) -> None:
    assert parse_when(phrase, now=NOW, tz="America/New_York") is None
