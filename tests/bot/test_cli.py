"""`wiift run` as an operator starts it: settings from the environment, HTTP served, SIGTERM honoured."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.standin import ApiCall, FakeSlack, SlackDriver
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
    assert err.strip() == "wiift: SLACK_BOT_TOKEN is not set (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)"


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


def _deal_channel_slack() -> FakeSlack:
    slack = FakeSlack()  # started by the `with` that uses it
    slack.add_user(SELLER, name="sam", tz="America/New_York")
    slack.add_channel(DEAL_CHANNEL, name="deal-acme", members=[SELLER, slack.bot_user_id])
    return slack


def _run_env(tmp_path: Path, slack: FakeSlack, **extra: str) -> dict[str, str]:
    return _env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-cli",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}",
        **extra,
    )


def test_run_serves_http_answers_a_deal_update_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    with _deal_channel_slack() as slack:
        env = _run_env(tmp_path, slack)
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


def test_a_nudge_booked_before_a_restart_arrives_exactly_once(tmp_path: Path) -> None:
    port = _free_port()
    with _deal_channel_slack() as slack:
        env = _run_env(tmp_path, slack, WIIFT_NUDGE_LEAD_MINUTES="1")
        driver = SlackDriver(app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, slack=slack)

        dm = slack.dm_channel_id(SELLER)

        def nudges() -> list[ApiCall]:
            return [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == dm and not c.failed]

        def run_until(done: Callable[[], bool]) -> str:
            process = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path)
            try:
                _wait_for_port(port)
                deadline = time.monotonic() + 30
                while not done() and time.monotonic() < deadline:
                    time.sleep(0.1)
            finally:
                process.send_signal(signal.SIGTERM)
                _, err = process.communicate(timeout=15)
            assert process.returncode == 0, err
            return err

        first = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path)
        try:
            _wait_for_port(port)
            driver.command("/deal", "new Acme", user=SELLER, channel=DEAL_CHANNEL)
            slack.wait_for("response_url", timeout=10)
            starts = (datetime.now(UTC) + timedelta(seconds=70)).astimezone(ZoneInfo("America/New_York"))
            driver.command("/deal", f"call {starts:%Y-%m-%d %H:%M:%S}", user=SELLER, channel=DEAL_CHANNEL)
            [_, booked] = slack.wait_for("response_url", 2, timeout=10)
            assert "Booked call" in str(booked.params["text"])
        finally:
            first.send_signal(signal.SIGTERM)  # stopped before the nudge is due (in about 10 s, room for a slow stop)
            _, err = first.communicate(timeout=15)
        assert first.returncode == 0, err

        assert nudges() == []
        time.sleep(max(0.0, (starts - timedelta(seconds=60) - datetime.now(UTC)).total_seconds()) + 0.5)
        run_until(lambda: bool(nudges()))  # started again after the nudge fell due: it is sent, within its grace
        again = time.monotonic()
        run_until(lambda: time.monotonic() - again > 6)  # and once more, past start-up and a sweep: nothing new
        [nudge] = nudges()
        assert "Call with Acme" in str(nudge.params.get("text")) or "Acme" in json.dumps(nudge.params)


def test_an_idle_instance_leaves_the_cpu_alone(tmp_path: Path) -> None:
    """`wiift run` with nothing to do: the server, its scheduler and its job process together use well under
    a few percent of one core (`bench/instance.py` measures 10 s against a 1 % target; a busy loop is 100 %)."""
    port = _free_port()
    with _deal_channel_slack() as slack:
        process = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=_run_env(tmp_path, slack), cwd=tmp_path)
        try:
            _wait_for_port(port)
            _settle(process.pid)  # start-up (migrations, the job process's imports and model) is not idling
            before, started = _cpu_seconds(process.pid), time.monotonic()
            time.sleep(3)
            share = (_cpu_seconds(process.pid) - before) / (time.monotonic() - started)
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=15)
    assert share < 0.05, f"an idle instance used {share:.1%} of a core"


def _settle(pid: int, within: float = 30.0) -> None:
    """Until the processes use under 5 % of a core over half a second (or `within` has passed: a busy loop
    never settles, and is then measured as it is)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        before = _cpu_seconds(pid)
        time.sleep(0.5)
        if _cpu_seconds(pid) - before < 0.025:
            return


def _cpu_seconds(pid: int) -> float:
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
