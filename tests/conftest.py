"""The harness: the real app served over HTTP by waitress, driven by signed requests, talking to the stand-in
Slack. Tests assert on what the stand-in recorded: what a person in Slack would see."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bot.core.clock import ManualClock
from bot.ops.sandbox import Sandbox
from bot.standin import ApiCall, FakeSlack
from storage.db import make_engine

SELLER = "USELLER"
MANAGER = "UMANAGER"
OUTSIDER = "UOUTSIDER"
DEAL_CHANNEL = "CDEALACME"
PRIVATE_DEAL = "GDEALSECRET"
GENERAL = "CGENERAL"
START = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York


class Wiift(Sandbox):
    """The sandbox with this suite's cast as defaults: Sam posts in #deal-acme."""

    def say(self, text: str, *, channel: str = DEAL_CHANNEL, user: str = SELLER, **kwargs: Any) -> str:
        return self.post(text, channel=channel, user=user, **kwargs)

    def command(self, command: str, text: str = "", *, user: str = SELLER, channel: str = DEAL_CHANNEL) -> ApiCall:
        return self.run_command(command, text, channel=channel, user=user)


def answer_text(call: ApiCall) -> str:
    """Everything a person reads in a response: the text and every block's text."""
    parts = [str(call.params.get("text") or "")]
    for block in call.json("blocks") or []:
        parts.extend(_block_texts(block))
    return "\n".join(parts)


def _block_texts(block: dict[str, Any]) -> list[str]:
    texts: list[str] = []
    if isinstance(block.get("text"), dict):
        texts.append(block["text"].get("text", ""))
    for element in block.get("elements") or []:
        if isinstance(element, dict):
            if isinstance(element.get("text"), dict):
                texts.append(element["text"].get("text", ""))
            elif isinstance(element.get("text"), str):
                texts.append(element["text"])
    for field in block.get("fields") or []:
        texts.append(field.get("text", ""))
    return texts


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    fake.add_user(SELLER, name="sam", tz="America/New_York")
    fake.add_user(MANAGER, name="mia", tz="Europe/London")
    fake.add_user(OUTSIDER, name="oli", tz=None)
    fake.add_channel(DEAL_CHANNEL, name="deal-acme", members=[SELLER, MANAGER, OUTSIDER, fake.bot_user_id])
    fake.add_channel(PRIVATE_DEAL, name="deal-secret", is_private=True, members=[SELLER, fake.bot_user_id])
    fake.add_channel(GENERAL, name="general", members=[SELLER, MANAGER, OUTSIDER, fake.bot_user_id])
    yield fake
    fake.stop()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wiift.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite, then PostgreSQL in a schema of its own (skipped where no server answers)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wiift.db'}"
        return
    from tests.storage.conftest import POSTGRES_URL, postgres_problem

    if problem := postgres_problem():
        pytest.skip(problem)
    schema = f"wiift_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL, poolclass=NullPool)  # a connection per statement, closed at once
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def wiift(slack: FakeSlack, clock: ManualClock, database_url: str) -> Iterator[Wiift]:
    sandbox = Wiift(slack, database_url=database_url, clock=clock)
    yield sandbox
    sandbox.close()
