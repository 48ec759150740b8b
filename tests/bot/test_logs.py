"""What `wiift run` writes to its log: one line at start, the level and format an operator chose, and never
the text of a message."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from bot.logs import JsonFormatter
from bot.standin import SlackDriver
from tests.bot.test_cli import SECRET, _deal_channel_slack, _free_port, _run_env, _wait_for_port, _wiift
from tests.conftest import DEAL_CHANNEL, SELLER

UPDATE = "Need Acme signed by Friday for my quota, their CFO Dana is stalling."

VERSION = version("wiift")


def _run_and_stop(tmp_path: Path, *, post: bool = False, **settings: str) -> tuple[int, list[str], int]:
    """Start `wiift run`, optionally post one deal update and wait for its reply, stop it; (exit code, stderr
    lines, port)."""
    port = _free_port()
    with _deal_channel_slack() as slack:
        env = _run_env(tmp_path, slack, **settings)
        process = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path)
        try:
            _wait_for_port(port)
            if post:
                driver = SlackDriver(
                    app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, slack=slack
                )
                driver.message(channel=DEAL_CHANNEL, user=SELLER, text=UPDATE)
                slack.wait_for("chat.postMessage", timeout=30)  # the worker process starts under load too
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                _, err = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise
    return process.returncode, err.splitlines(), port


def test_a_start_says_in_one_line_how_and_where_it_runs(tmp_path: Path) -> None:
    code, lines, port = _run_and_stop(tmp_path)
    assert code == 0
    [start, stop] = lines
    assert start.endswith(
        f"INFO wiift: wiift {VERSION} started: serving Slack at http://127.0.0.1:{port}/slack/events "
        f"(health: /healthz, /readyz); database sqlite:///{tmp_path / 'run.db'}; leads the scheduler"
    )
    assert stop.endswith("INFO bot.server: signal 15: shutting down")


def test_json_logs_are_one_object_a_line_with_ids_and_event_names_and_no_message_text(tmp_path: Path) -> None:
    code, lines, _ = _run_and_stop(tmp_path, post=True, WIIFT_LOG_FORMAT="json")
    assert code == 0
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "event", "message"} <= set(r) for r in records)
    assert records[0]["event"] == f"wiift {VERSION} started"
    [read] = [r for r in records if r["event"] == "deal update read"]  # logged by a job worker
    assert read["logger"] == "bot.work.updates" and isinstance(read["deal"], int) and read["reply"] == "question"
    assert "seller_pressure" in read["signals"]  # signal names are logged, never the words
    text = "\n".join(lines)
    assert "Acme signed" not in text and "Dana" not in text and "quota" not in text


def test_a_higher_level_keeps_a_healthy_run_silent(tmp_path: Path) -> None:
    code, lines, _ = _run_and_stop(tmp_path, post=True, WIIFT_LOG_LEVEL="warning")
    assert (code, lines) == (0, [])


def test_a_logged_exception_keeps_its_type_and_traceback() -> None:
    try:
        raise LookupError("no such deal")
    except LookupError:
        record = logging.LogRecord("bot.x", logging.ERROR, __file__, 1, "reading failed: deal=%s", (7,), None)
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["event"], entry["deal"], entry["error"]) == ("reading failed", 7, "LookupError")
    assert entry["traceback"].startswith("Traceback") and "\n" not in JsonFormatter().format(record)
