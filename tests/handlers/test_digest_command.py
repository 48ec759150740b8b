"""`/coach digest`: on, off, and when, per person; bad input explains itself and changes nothing."""

from __future__ import annotations

from storage.db import unit_of_work
from storage.settings import user_profile
from tests.conftest import SELLER, Wiift, answer_text


def _setting(wiift: Wiift) -> tuple[bool, int, int] | None:
    with unit_of_work(wiift.services.engine) as session:
        profile = user_profile(session=session, team_id=wiift.slack.team_id, user_id=SELLER)
        return (profile.digest_enabled, profile.digest_weekday, profile.digest_minute) if profile else None


def test_digest_alone_says_when_it_comes(wiift: Wiift) -> None:
    answer = wiift.command("/coach", "digest")
    assert answer.params["response_type"] == "ephemeral"
    assert "Mondays at 08:00, your time (America/New_York)" in answer_text(answer)


def test_off_and_on(wiift: Wiift) -> None:
    assert "is off" in answer_text(wiift.command("/coach", "digest off"))
    assert _setting(wiift) == (False, 0, 480)
    assert "comes Mondays at 08:00" in answer_text(wiift.command("/coach", "digest ON"))
    assert _setting(wiift) == (True, 0, 480)


def test_day_and_time(wiift: Wiift) -> None:
    assert "comes Fridays at 16:30" in answer_text(wiift.command("/coach", "digest Friday 16:30"))
    assert _setting(wiift) == (True, 4, 990)
    wiift.command("/coach", "digest off")
    assert "comes Tuesdays at 07:05" in answer_text(wiift.command("/coach", "digest tue 7:05am"))
    assert _setting(wiift) == (True, 1, 425)  # choosing a time turns it back on


def test_bad_input_is_explained_and_changes_nothing(wiift: Wiift) -> None:
    wiift.command("/coach", "digest wed 09:15")
    for text, problem in [
        ("digest someday 08:00", "I don't know the day"),
        ("digest mon 24:30", "not a time of day"),
        ("digest mon", "Give a day and a time"),
        ("digest mon breakfast", "couldn't read the time"),
    ]:
        assert problem in answer_text(wiift.command("/coach", text))
    assert _setting(wiift) == (True, 2, 555)


def test_usage_lists_the_digest_settings(wiift: Wiift) -> None:
    assert "/coach digest DAY HH:MM" in answer_text(wiift.command("/coach", "help"))
