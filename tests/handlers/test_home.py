"""The App Home tab over signed HTTP: no deals, a few, and 200; only the person's own; paging."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.work.home import MAX_BLOCKS, PAGE_SIZE
from storage.db import unit_of_work
from storage.deals import create_deal
from tests.conftest import MANAGER, SELLER, START, Wiift

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."
VALUE = "Their CFO Dana says the manual reconciliation costs her team two days a month."


def _open_home(wiift: Wiift, user: str = SELLER) -> dict[str, Any]:
    before = len(wiift.slack.calls_to("views.publish"))
    response = wiift.driver.app_home_opened(user=user)
    assert response.status == 200
    wiift.settle()
    [call] = wiift.slack.calls_to("views.publish")[before:]
    assert call.params["user_id"] == user
    return dict(call.json("view"))


def _text(view: dict[str, Any]) -> str:
    parts = []
    for block in view["blocks"]:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements") or []:
            text = element.get("text")
            parts.append(text["text"] if isinstance(text, dict) else str(text or ""))
    return "\n".join(parts)


def _action_ids(view: dict[str, Any]) -> list[str]:
    return [e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def _deals(wiift: Wiift, count: int, *, owner: str = SELLER, prefix: str = "Deal") -> None:
    with unit_of_work(wiift.services.engine) as session:
        for i in range(count):
            create_deal(
                session=session,
                team_id=wiift.slack.team_id,
                channel_id=f"C{prefix}{i:04d}",
                name=f"{prefix} {i:03d}",
                owner_id=owner,
                is_private=False,
                now=START - timedelta(minutes=i),
            )


def test_a_person_with_no_deals_is_shown_how_to_start(wiift: Wiift) -> None:
    view = _open_home(wiift)
    assert view["type"] == "home"
    text = _text(view)
    assert "Welcome to wiift" in text and "/deal new NAME" in text and "deal-…" in text
    assert "Weekly digest DM: Mondays at 08:00" in text
    assert _action_ids(view) == []


def test_a_few_deals_show_stage_last_update_gaps_next_call_and_focus(wiift: Wiift) -> None:
    wiift.say(PRESSURE)
    wiift.say(VALUE)
    wiift.command("/deal", "call Thu 10:30 — pricing review")
    _deals(wiift, 2, owner=MANAGER, prefix="Hers")
    view = _open_home(wiift)
    text = _text(view)
    assert "*Acme* · open" in text and "Last update today" in text and "2 updates this week" in text
    assert "open questions, first: _" in text
    assert "Next call: <!date^" in text and "^{date_short_pretty} at {time}|Thu 19 Nov, 10:30 EST>" in text
    assert "*Buyer focus this week:* 1 of 2 updates named what the buyer gains" in text
    assert "Hers" not in text  # only the person's own deals
    assert _action_ids(view) == ["home_open_deal", "home_add_note", "home_book_call"]
    wiift.clock.advance(timedelta(days=3))
    assert "Last update 3 days ago" in _text(_open_home(wiift))


def test_two_hundred_deals_are_paged_within_the_block_limit(wiift: Wiift) -> None:
    _deals(wiift, 200)
    view = _open_home(wiift)
    assert len(view["blocks"]) <= MAX_BLOCKS
    text = _text(view)
    assert f"Deals 1–{PAGE_SIZE} of 200" in text and "Deal 000" in text and "Deal 020" not in text
    assert _action_ids(view)[-1] == "home_page_next"
    home = {"id": f"VHOME{SELLER}", "type": "home"}
    for page in (1, 9):
        before = len(wiift.slack.calls_to("views.publish"))
        response = wiift.driver.action(action_id="home_page_next", value=str(page), user=SELLER, view=home)
        assert response.status == 200
        wiift.settle()
        [call] = wiift.slack.calls_to("views.publish")[before:]
        paged = dict(call.json("view"))
        assert len(paged["blocks"]) <= MAX_BLOCKS
        first = page * PAGE_SIZE
        assert f"Deals {first + 1}–{first + PAGE_SIZE} of 200" in _text(paged)
        assert f"Deal {first:03d}" in _text(paged)
    assert _action_ids(paged)[-1] == "home_page_prev"  # the last page has no "Next"


def test_the_messages_tab_publishes_nothing(wiift: Wiift) -> None:
    event = {"type": "app_home_opened", "user": SELLER, "channel": "DUSELLER", "tab": "messages", "event_ts": "1.0"}
    assert wiift.driver.event(event).status == 200
    wiift.settle()
    assert wiift.slack.calls_to("views.publish") == []
