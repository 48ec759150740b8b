"""`/healthz` and `/readyz` over HTTP, as a load balancer or an orchestrator asks them."""

from __future__ import annotations

import http.client
import logging
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.core.clock import ManualClock
from bot.ops.readiness import TTL
from bot.ops.sandbox import Sandbox
from bot.standin import FakeSlack
from tests.conftest import START, Wiift
from tests.relay import postgres_behind_relay
from tests.storage.conftest import POSTGRES_URL, postgres_problem


def _get(wiift: Sandbox, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", wiift.server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    (tmp_path / "data").mkdir()
    return f"sqlite:///{tmp_path / 'data' / 'wiift.db'}"


def test_ready_when_the_database_answers_its_schema_is_current_and_the_token_is_valid(wiift: Wiift) -> None:
    assert _get(wiift, "/readyz") == (200, "ready")
    assert _get(wiift, "/healthz") == (200, "ok")
    assert _get(wiift, "/readyz/") == (404, "not found")


def test_unready_when_the_database_goes_away_and_the_answer_is_kept_briefly(
    wiift: Wiift, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert _get(wiift, "/readyz") == (200, "ready")
    shutil.rmtree(tmp_path / "data")  # the volume is gone
    assert _get(wiift, "/readyz") == (200, "ready")  # the last verdict, for a few seconds
    wiift.clock.advance(TTL)
    with caplog.at_level(logging.WARNING, logger="bot.ops.readiness"):
        assert _get(wiift, "/readyz") == (503, "not ready: database")
    assert any("not ready: database: no database file at" in r.getMessage() for r in caplog.records)
    assert _get(wiift, "/healthz") == (200, "ok")  # alive all the same
    assert not (tmp_path / "data").exists()  # asking never creates a database


def test_unready_when_the_schema_is_not_the_one_this_code_knows(wiift: Wiift) -> None:
    with wiift.services.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    wiift.clock.advance(TTL)
    assert _get(wiift, "/readyz") == (503, "not ready: migrations")


def test_unready_when_slack_refuses_the_token(wiift: Wiift) -> None:
    assert _get(wiift, "/readyz") == (200, "ready")
    wiift.slack.accept_only("xoxb-the-new-token")  # the app was reinstalled; this token is revoked
    wiift.clock.advance(TTL)
    asked = len(wiift.slack.calls_to("auth.test"))
    assert _get(wiift, "/readyz") == (503, "not ready: token")
    assert _get(wiift, "/readyz") == (503, "not ready: token")
    assert len(wiift.slack.calls_to("auth.test")) == asked + 1  # one check per period, however often asked


def test_a_slack_outage_keeps_the_tokens_last_verdict(wiift: Wiift) -> None:
    assert _get(wiift, "/readyz") == (200, "ready")
    wiift.slack.fail_next("auth.test", status=503)
    wiift.clock.advance(TTL)
    assert _get(wiift, "/readyz") == (200, "ready")
    wiift.slack.stop()
    wiift.clock.advance(TTL)
    assert _get(wiift, "/readyz") == (200, "ready")
    assert wiift.slack.calls_to("auth.test")[-1].failed


def test_a_token_never_confirmed_is_not_ready_while_slack_cannot_be_reached(
    slack: FakeSlack, database_url: str
) -> None:
    sandbox = Sandbox(slack, database_url=database_url, clock=ManualClock(START))
    try:
        slack.fail_next("auth.test", status=503)
        assert _get(sandbox, "/readyz") == (503, "not ready: token")
    finally:
        sandbox.close()


def test_unready_when_the_postgresql_server_goes_away(slack: FakeSlack, clock: ManualClock) -> None:
    if postgres_problem():
        pytest.skip(postgres_problem())
    with postgres_behind_relay(POSTGRES_URL) as (url, relay):
        sandbox = Sandbox(slack, database_url=url, clock=clock)
        try:
            assert _get(sandbox, "/readyz") == (200, "ready")
            relay.close()
            clock.advance(TTL)
            assert _get(sandbox, "/readyz") == (503, "not ready: database")
        finally:
            sandbox.close()
