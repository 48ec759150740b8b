"""Many workspaces: installed through Bolt's OAuth flow against the stand-in Slack, each answered with its own
token, neither seeing the other's deals; a bad state stores nothing; uninstalling forgets the workspace."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot.core.clock import ManualClock
from bot.ops.sandbox import Sandbox
from bot.standin import FakeSlack
from storage.db import unit_of_work
from storage.models import Deal, Job
from tests.conftest import START

PRESSURE = "Need this signed by Friday, I'm one deal short of quota this quarter."
ONE, TWO = "T0NE", "T0TWO"
CHANNELS = {ONE: "C1DEAL", TWO: "C2DEAL"}
PEOPLE = {ONE: "U1SELLER", TWO: "U2SELLER"}


def _get(url: str, cookie: str | None = None) -> tuple[int, str]:
    return _fetch(url, cookie)[:2]


def _fetch(url: str, cookie: str | None = None) -> tuple[int, str, str | None]:
    """GET as a browser would: (status, page, the cookie the page set)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            set_cookie = response.headers.get("Set-Cookie")
            return response.status, response.read().decode(), set_cookie.split(";")[0] if set_cookie else None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), None


def _start_install(app: Sandbox) -> tuple[str, str | None]:
    """Open the install page: the state in its link to Slack, and the browser cookie bound to it."""
    status, page, cookie = _fetch(_base(app) + "/slack/install")
    assert status == 200, page
    return unquote(re.search(r"state=([^&\"']+)", page).group(1)), cookie  # type: ignore[union-attr]


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    for team in (ONE, TWO):
        fake.add_user(PEOPLE[team], name=f"seller-{team.lower()}", tz="America/New_York", team_id=team)
        fake.add_channel(CHANNELS[team], name=f"deal-{team.lower()}", members=[PEOPLE[team], fake.bot_user_id])
    yield fake
    fake.stop()


def _open(slack: FakeSlack, tmp_path: Path) -> Sandbox:
    return Sandbox(
        slack,
        database_url=f"sqlite:///{tmp_path / 'wiift.db'}",
        clock=ManualClock(START),
        bot_token=None,
        client_id="1111.2222",
        client_secret="client-secret",
    )


@pytest.fixture
def app(slack: FakeSlack, tmp_path: Path) -> Iterator[Sandbox]:
    sandbox = _open(slack, tmp_path)
    yield sandbox
    sandbox.close()


def _base(app: Sandbox) -> str:
    return app.server.url.removesuffix("/slack/events")


def _install(app: Sandbox, team: str) -> tuple[int, str]:
    state, cookie = _start_install(app)
    code = app.slack.add_workspace(team)
    return _get(f"{_base(app)}/slack/oauth_redirect?code={code}&state={state}", cookie)


def _installations(app: Sandbox) -> int:
    with app.services.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM slack_bots").scalar_one())


def _replies(app: Sandbox, team: str, ts: str) -> list:  # type: ignore[type-arg]
    return app.thread_replies(CHANNELS[team], ts)


def _say(app: Sandbox, team: str, text: str = PRESSURE) -> str:
    response, ts = app.driver.message(channel=CHANNELS[team], user=PEOPLE[team], text=text, team_id=team)
    assert response.status == 200
    app.settle()
    return ts


def test_two_workspaces_install_and_each_is_answered_with_its_own_token(app: Sandbox) -> None:
    for team in (ONE, TWO):
        status, page = _install(app, team)
        assert status == 200, page
    assert _installations(app) == 2
    for team in (ONE, TWO):
        ts = _say(app, team)
        assert len(_replies(app, team, ts)) == 1
        [post] = [c for c in app.slack.calls_to("chat.postMessage") if c.params.get("thread_ts") == ts]
        assert post.token == FakeSlack.bot_token_for(team)
    with unit_of_work(app.services.engine) as session:
        teams = {deal.team_id: deal.channel_id for deal in session.exec(select(Deal)).scalars()}
    assert teams == {ONE: CHANNELS[ONE], TWO: CHANNELS[TWO]}


def test_a_forged_or_missing_state_is_refused_and_stores_nothing(app: Sandbox) -> None:
    _state, cookie = _start_install(app)
    code = app.slack.add_workspace(ONE)
    for query in (f"code={code}&state=forged", f"code={code}"):
        status, _page = _get(f"{_base(app)}/slack/oauth_redirect?{query}", cookie)
        assert 400 <= status < 500
    assert _installations(app) == 0
    assert app.slack.calls_to("oauth.v2.access") == []


def test_a_state_is_good_for_one_install_only(app: Sandbox) -> None:
    state, cookie = _start_install(app)
    redirect = f"{_base(app)}/slack/oauth_redirect?state={state}&code="
    assert _get(redirect + app.slack.add_workspace(ONE), cookie)[0] == 200
    assert 400 <= _get(redirect + app.slack.add_workspace(TWO), cookie)[0] < 500
    assert _installations(app) == 1


def test_uninstalling_forgets_the_workspace_and_later_events_are_ignored(app: Sandbox) -> None:
    _install(app, ONE)
    _install(app, TWO)
    _say(app, ONE)
    _say(app, TWO)
    response = app.driver.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id=ONE)
    assert response.status == 200
    app.settle()
    with unit_of_work(app.services.engine) as session:
        assert [d.team_id for d in session.exec(select(Deal)).scalars()] == [TWO]
        assert session.execute(select(func.count()).select_from(Job).where(col(Job.team_id) == ONE)).scalar() == 0
    assert _installations(app) == 1
    posts = len(app.slack.calls_to("chat.postMessage"))
    response, _ts = app.driver.message(channel=CHANNELS[ONE], user=PEOPLE[ONE], text=PRESSURE, team_id=ONE)
    assert response.status == 200  # acknowledged …
    app.settle()
    assert len(app.slack.calls_to("chat.postMessage")) == posts  # … and ignored


def test_a_revoked_bot_token_is_stored_nowhere(app: Sandbox) -> None:
    _install(app, ONE)
    app.slack.revoke(ONE)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UWIIFTBOT"]}, "event_ts": "1.0"}
    assert app.driver.event(event, team_id=ONE).status == 200
    app.settle()
    with app.services.engine.connect() as connection:
        for table in ("slack_bots", "slack_installations"):
            rows = connection.exec_driver_sql(f"SELECT bot_token FROM {table}").all()
            assert FakeSlack.bot_token_for(ONE) not in {row[0] for row in rows}


def test_installations_survive_a_restart(slack: FakeSlack, tmp_path: Path) -> None:
    first = _open(slack, tmp_path)
    _install(first, TWO)
    first.close()
    second = _open(slack, tmp_path)
    try:
        ts = _say(second, TWO)
        assert len(_replies(second, TWO, ts)) == 1
    finally:
        second.close()
