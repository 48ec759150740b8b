from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.coach import decide_reply


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Need this one signed by the 31st, I'm short on quota.", "seller_pressure"),
        ("Offered them 15% off if they sign this week.", "seller_pressure"),
        ("Trying to pull the renewal forward into Q2 for my number.", "seller_pressure"),
        ("Walked them through every module and the new dashboards.", "self_pitch"),
        ("Sent the deck and a product tour video.", "self_pitch"),
        ("Their ops team loses ~$30k a month to manual re-keying.", "customer_value"),
        ("His goal is to cut onboarding from 3 weeks to 4 days.", "customer_value"),
        ("Their CFO asked for the payback numbers.", "stakeholder"),
        ("Radio silence for two weeks now.", "stall"),
        ("They put the whole project on hold pending a reorg.", "stall"),
        ("They said we're too expensive compared to the incumbent.", "objection"),
        ("Budget got cut, so not a priority this year.", "objection"),
        ("Call with them Thursday at 2pm about the rollout.", "meeting"),
        ("Signed! Order form countersigned this morning.", "won"),
        ("Renewed for two more years.", "won"),
        ("Closed-lost. They went with the incumbent.", "lost"),
        ("We lost it to a cheaper vendor.", "lost"),
        ("Lunch? Thinking tacos.", "chatter"),
    ],
)
def test_each_signal(read, text: str, signal: str) -> None:
    assert signal in read(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "Not going to squeeze them for quarter end, their timeline is what matters.",
        "No rush on our side, they pick the date.",
        "Their fiscal quarter ends in June, worth knowing.",
    ],
)
def test_calm_timing_is_not_pressure(read, text: str) -> None:
    assert "seller_pressure" not in read(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "Their CFO Dana says the manual reconciliation costs her team two days every month-end close.",
        "Their year-end close drags on for three weeks and the controller is fed up.",
        "Close rate on their web leads is 4%; the CMO blames slow follow-up.",
        "Their quota system for reps is a shared spreadsheet nobody trusts.",
    ],
)
def test_buyer_side_closes_and_quotas_are_not_pressure(read, text: str) -> None:
    assert "seller_pressure" not in read(text).signals


def test_the_month_end_close_false_friend(read) -> None:
    text = "Their CFO Dana says the manual reconciliation costs her team two days every month-end close."
    assert read(text).signals == {"customer_value", "stakeholder"}


def test_a_moved_meeting_is_read_at_its_new_time(read) -> None:
    analysis = read("They moved Tuesday's call to Thursday 11am, again.", "2026-03-02T09:00")  # a Monday
    assert {"meeting", "stall"} <= analysis.signals
    assert analysis.meeting_at == datetime(2026, 3, 5, 11, 0, tzinfo=ZoneInfo("America/New_York"))


def test_a_morning_already_over_is_a_report(read) -> None:
    assert "meeting" not in read("Good call with them this morning, they want pricing.", "2026-03-04T15:00").signals


def test_a_signed_nda_is_not_a_win(read) -> None:
    assert "won" not in read("Uploaded the signed NDA to the opportunity.").signals


def test_conventions_from_coaching_md(read) -> None:
    assert {"objection"} <= read("Their procurement lead asked for 10% off.").signals
    assert {"lost", "objection"} <= read("Lost it to a competitor. Price, mostly.").signals
    assert {"objection", "stall"} <= read("They say there's no budget this year.").signals
    assert {"meeting", "stall"} <= read("They rescheduled again, now Monday 9am.").signals
    assert "self_pitch" not in read("Sat in on their demo of their own portal.").signals


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Contract's been sitting with their GC for 3 weeks.", ("GC",)),
        ("Friday at 3 with Tom and their head of IT.", ("Tom", "head of IT")),
        ("The plant mgr wants the downtime numbers.", ("plant mgr",)),
        ("Their IT team is buried in a migration.", ()),
        ("Raj from our solutions team will take the technical questions.", ()),
        ("Any exec here who can call their CEO?", ("CEO",)),
        ("Priya and her VP Finance want a phased rollout.", ("Priya", "VP Finance")),
        ("Their head of distribution wants the returns fixed.", ("head of distribution",)),
        # a name with its role is one stakeholder (COACHING.md's conventions)
        ("Spoke to Mr. Okafor, the principal, about the timetable.", ("Mr. Okafor, the principal",)),
        ("Their CFO Dana Whitfield signed off on the business case.", ("CFO Dana Whitfield",)),
        ("Their CEO and my manager met.", ("CEO",)),
        ("Jess (our SE) is building the sandbox.", ()),
    ],
)
def test_stakeholders(read, text: str, people: tuple[str, ...]) -> None:
    assert read(text).stakeholders == people


@pytest.mark.parametrize(
    "text",
    [
        "thanks <@U123> for covering :pray:",
        ":coffee: :coffee:",
        "haha yes, exactly",
        "Happy Friday all",
        "OOO tomorrow",
    ],
)
def test_chatter_stands_alone_and_gets_no_reply(read, text: str) -> None:
    analysis = read(text)
    assert analysis.signals == {"chatter"}
    assert analysis.reply == "none"


def test_won_beats_the_thanks(read) -> None:
    analysis = read("SIGNED :tada: they're on the 3-year. Thanks everyone!")
    assert analysis.signals == {"won"}


def test_routine_update_with_no_signal_gets_a_question(read) -> None:
    analysis = read("Vendor registration on their procurement portal is done.")
    assert analysis.signals == frozenset()
    assert analysis.reply == "question"


@pytest.mark.parametrize(
    ("signals", "reply"),
    [
        ({"chatter"}, "none"),
        ({"customer_value"}, "praise"),
        ({"customer_value", "meeting", "stakeholder"}, "praise"),
        ({"customer_value", "won"}, "question"),
        ({"customer_value", "seller_pressure"}, "question"),
        ({"customer_value", "self_pitch"}, "question"),
        ({"customer_value", "stall"}, "question"),
        ({"customer_value", "objection"}, "question"),
        ({"customer_value", "lost"}, "question"),
        ({"meeting"}, "question"),
        (set(), "question"),
    ],
)
def test_reply_rule(signals: set[str], reply: str) -> None:
    assert decide_reply(signals) == reply
