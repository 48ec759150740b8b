"""`wiift digest preview|send`, with settings from the environment like `wiift run`."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.ops import digest as digest_cli
from bot.standin import FakeSlack
from tests.conftest import DEAL_CHANNEL, SELLER, Wiift

PRESSURE = "Need Acme signed by Friday, I'm short on quota this quarter."


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, slack: FakeSlack, database_url: str) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-stand-in",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": slack.base_url,
        "DATABASE_URL": database_url,
    }.items():
        monkeypatch.setenv(name, value)


def _run(wiift: Wiift, *argv: str) -> str:
    parser = argparse.ArgumentParser()
    digest_cli.add_parser(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    assert digest_cli.run(parser.parse_args(["digest", *argv]), out=out, clock=wiift.clock) == 0
    return out.getvalue()


def test_preview_prints_the_digest_as_it_would_be_sent_and_sends_nothing(wiift: Wiift, env: None) -> None:
    wiift.say(PRESSURE)
    out = _run(wiift, "preview", "--user", SELLER)
    assert f"Weekly digest for @sam ({SELLER}, America/New_York), week 2026-W47: due now." in out
    assert "would send a DM:" in out
    assert "Acme · #deal-acme · open" in out  # readable: no mrkdwn, names for ids
    assert "Buyer focus this week: 0 of 1 update named what the buyer gains" in out
    assert wiift.slack.calls_to("chat.postMessage")[-1].params.get("channel") == DEAL_CHANNEL  # only the reply


def test_preview_of_someone_with_nothing_to_say(wiift: Wiift, env: None) -> None:
    out = _run(wiift, "preview", "--user", SELLER, "--team", wiift.slack.team_id)
    assert "Nothing to say this week" in out


def test_send_sends_due_digests_once(wiift: Wiift, env: None) -> None:
    wiift.say(PRESSURE)
    assert "1 sent" in _run(wiift, "send")
    assert "0 sent" in _run(wiift, "send") and "1 already done this week" in _run(wiift, "send")
    dms = wiift.slack.messages(wiift.slack.dm_channel_id(SELLER))
    assert len(dms) == 1


def test_send_for_one_person_goes_before_their_slot_but_once(wiift: Wiift, env: None) -> None:
    wiift.say(PRESSURE)
    wiift.command("/coach", "digest sun 18:00")
    assert "0 sent" in _run(wiift, "send") and "1 not due yet" in _run(wiift, "send")
    assert "1 sent" in _run(wiift, "send", "--user", SELLER)
    assert "0 sent" in _run(wiift, "send", "--user", SELLER)


def test_the_wiift_command_dispatches_digest(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "preview", "--user", SELLER]) == 0
    assert "Nothing to say this week" in capsys.readouterr().out


def test_a_missing_setting_is_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    process = subprocess.run(
        [sys.executable, "-m", "bot.cli", "digest", "send"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert process.returncode == 2
    assert (
        process.stderr.strip()
        == "wiift: SLACK_BOT_TOKEN is not set (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)"
    )
