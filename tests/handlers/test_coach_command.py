"""`/coach` end to end."""

from __future__ import annotations

from tests.conftest import DEAL_CHANNEL, GENERAL, Wiift, answer_text

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."


def test_coach_alone_answers_the_most_valuable_open_question_privately(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    answer = wiift.command("/coach")
    assert answer.params["response_type"] == "ephemeral"
    assert "?" in answer_text(answer)
    assert "/deal show" in answer_text(answer)  # more gaps remain


def test_coach_outside_a_deal_channel_says_where_it_works(wiift: Wiift) -> None:
    assert "deal's channel" in answer_text(wiift.command("/coach", channel=GENERAL))


def test_quiet_silences_automatic_replies_until_on(wiift: Wiift) -> None:
    wiift.command("/deal", "new Acme")
    assert "quiet" in answer_text(wiift.command("/coach", "quiet"))
    ts = wiift.say(PRESSURE)
    assert wiift.thread_replies(DEAL_CHANNEL, ts) == []
    wiift.command("/coach", "on")
    ts = wiift.say(PRESSURE + " Really.")
    assert len(wiift.thread_replies(DEAL_CHANNEL, ts)) == 1


def test_help_and_unknown_get_usage(wiift: Wiift) -> None:
    assert "/coach quiet" in answer_text(wiift.command("/coach", "help"))
    unknown = answer_text(wiift.command("/coach", "dance"))
    assert "I don't know `/coach dance`" in unknown and "/coach quiet" in unknown
