"""`wiift run` as an operator starts it: settings from the environment, HTTP served, SIGTERM honoured."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot.standin import FakeSlack, SlackDriver
from tests.conftest import DEAL_CHANNEL, SELLER

SECRET = "cli-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WIIFT_", "DATABASE_URL"))}
    env.update(extra)
    return env


def _wiift(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_missing_setting_stops_start_up_with_one_line_naming_it(tmp_path: Path) -> None:
    process = _wiift("run", env=_env(tmp_path, SLACK_SIGNING_SECRET="s"), cwd=tmp_path)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert err.strip() == "wiift: SLACK_BOT_TOKEN is not set"


def test_a_malformed_setting_is_named(tmp_path: Path) -> None:
    env = _env(tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", WIIFT_NUDGE_LEAD_MINUTES="soon")
    process = _wiift("run", env=env, cwd=tmp_path)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2 and "WIIFT_NUDGE_LEAD_MINUTES" in err and err.count("\n") == 1


def test_settings_come_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\nWIIFT_DEFAULT_TZ=Nowhere/Land\n")
    process = _wiift("run", env=_env(tmp_path), cwd=tmp_path)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2 and "WIIFT_DEFAULT_TZ" in err


def test_run_serves_http_answers_a_deal_update_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    with FakeSlack() as slack:
        slack.add_user(SELLER, name="sam", tz="America/New_York")
        slack.add_channel(DEAL_CHANNEL, name="deal-acme", members=[SELLER, slack.bot_user_id])
        env = _env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-cli",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.base_url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}",
        )
        process = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path)
        try:
            _wait_for_port(port)
            driver = SlackDriver(app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, slack=slack)
            response, ts = driver.message(
                channel=DEAL_CHANNEL, user=SELLER, text="Need Acme signed by Friday for my quota."
            )
            assert response.status == 200
            [reply] = slack.wait_for("chat.postMessage", timeout=10)
            assert reply.params["thread_ts"] == ts
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert "Need Acme signed" not in err  # no message text in the logs


def _wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listened on port {port}")
