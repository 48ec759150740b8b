"""Who may hand over, close or forget a deal: its owner or a workspace admin. Everyone else in the channel is
told so plainly, by every command and button, and nothing changes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.db import unit_of_work
from storage.models import Deal
from tests.conftest import DEAL_CHANNEL, MANAGER, OUTSIDER, SELLER, Wiift, answer_text

ADMIN = "UADMIN"


@pytest.fixture
def deal(wiift: Wiift) -> Wiift:
    wiift.slack.add_user(ADMIN, name="ada", is_admin=True)
    wiift.command("/deal", "new Acme", user=SELLER)
    return wiift


def _deal(wiift: Wiift) -> Deal | None:
    with unit_of_work(wiift.services.engine) as session:
        return session.exec(select(Deal)).first()


@pytest.mark.parametrize(
    ("text", "verb"),
    [(f"owner <@{MANAGER}|mia>", "hand over"), ("close won", "close"), ("forget", "delete")],
)
def test_someone_else_in_the_channel_is_refused_and_nothing_changes(deal: Wiift, text: str, verb: str) -> None:
    answer = answer_text(deal.command("/deal", text, user=MANAGER))
    assert f"Only the deal's owner, <@{SELLER}>, or a workspace admin can {verb} *Acme*." in answer
    found = _deal(deal)
    assert found is not None and (found.owner_id, found.stage) == (SELLER, "open")
    assert deal.slack.calls_to("chat.postMessage") == []  # no closing question, no confirmation buttons


def test_taking_the_deal_over_first_no_longer_opens_the_way_to_forget_it(deal: Wiift) -> None:
    deal.command("/deal", f"owner <@{OUTSIDER}|oli>", user=OUTSIDER)
    assert "Only the deal's owner" in answer_text(deal.command("/deal", "forget", user=OUTSIDER))
    response = deal.driver.action(action_id="deal_forget_confirm", value="1", user=OUTSIDER, channel=DEAL_CHANNEL)
    assert response.status == 200
    deal.settle()
    assert "Only the deal's owner" in str(deal.slack.calls_to("response_url")[-1].params["text"])
    assert _deal(deal) is not None and _deal(deal).owner_id == SELLER  # type: ignore[union-attr]


def test_the_owner_hands_over_and_then_may_no_longer_close(deal: Wiift) -> None:
    assert "now owns" in answer_text(deal.command("/deal", f"owner <@{MANAGER}|mia>", user=SELLER))
    assert _deal(deal).owner_id == MANAGER  # type: ignore[union-attr]
    assert "Only the deal's owner, <@UMANAGER>" in answer_text(deal.command("/deal", "close lost", user=SELLER))
    assert "closed lost" in answer_text(deal.command("/deal", "close lost", user=MANAGER))


def test_a_workspace_admin_may_hand_over_close_and_forget(deal: Wiift) -> None:
    assert "now owns" in answer_text(deal.command("/deal", f"owner <@{MANAGER}|mia>", user=ADMIN))
    assert "closed won" in answer_text(deal.command("/deal", "close won", user=ADMIN))
    confirm = deal.command("/deal", "forget", user=ADMIN)
    assert "Delete it" in answer_text(confirm)
    deal.driver.action(action_id="deal_forget_confirm", value="1", user=ADMIN, channel=DEAL_CHANNEL)
    deal.settle()
    assert _deal(deal) is None


def test_a_forged_forget_button_from_someone_else_deletes_nothing(deal: Wiift) -> None:
    response = deal.driver.action(action_id="deal_forget_confirm", value="1", user=MANAGER, channel=DEAL_CHANNEL)
    assert response.status == 200
    deal.settle()
    assert _deal(deal) is not None
