"""An org-wide install (Enterprise Grid): Slack's events name no team in `authorizations[0]`, so the workspace
comes from the event itself. The Home tab, updates and commands work as in a single workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.standin import FakeSlack
from storage.db import unit_of_work
from storage.models import Deal
from tests.conftest import DEAL_CHANNEL, SELLER, Wiift, answer_text


@pytest.fixture
def org_wide(tmp_path: Path) -> Iterator[Wiift]:
    slack = FakeSlack(enterprise_id="E0ACME", org_wide=True).start()
    slack.add_user(SELLER, name="sam")
    slack.add_channel(DEAL_CHANNEL, name="deal-acme", members=[SELLER, slack.bot_user_id])
    wiift = Wiift(slack, database_url=f"sqlite:///{tmp_path / 'org.db'}")
    yield wiift
    wiift.close()
    slack.stop()


def test_the_home_tab_is_published(org_wide: Wiift) -> None:
    assert org_wide.driver.app_home_opened(user=SELLER).status == 200
    org_wide.settle()
    [published] = org_wide.slack.calls_to("views.publish")
    assert published.params["user_id"] == SELLER
    assert "Welcome to wiift" in str(published.json("view"))


def test_updates_and_commands_are_kept_under_the_workspace_they_came_from(org_wide: Wiift) -> None:
    ts = org_wide.say("Need Acme signed by Friday, I'm short on quota this quarter.")
    assert len(org_wide.thread_replies(DEAL_CHANNEL, ts)) == 1
    with unit_of_work(org_wide.services.engine) as session:
        [deal] = list(session.exec(select(Deal)))
    assert (deal.team_id, deal.owner_id) == (org_wide.slack.team_id, SELLER)
    assert "Acme" in answer_text(org_wide.command("/deal", "show"))
    org_wide.driver.app_home_opened(user=SELLER)
    org_wide.settle()
    assert "Acme" in str(org_wide.slack.calls_to("views.publish")[-1].json("view"))
