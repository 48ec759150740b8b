"""`wiift run` reads deal updates in a job process beside the one that answers Slack; the job process ends
with its parent however the parent ends, and leaves nothing it held behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from bot.standin import SlackDriver
from tests.bot.test_cli import SECRET, _deal_channel_slack, _free_port, _run_env, _wait_for_port, _wiift
from tests.conftest import DEAL_CHANNEL, SELLER


def _children(pid: int) -> list[int]:
    """Children of every thread of `pid` (a replacement job process is started by a watching thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(each) for each in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


def _job_process(pid: int, timeout: float = 20.0) -> int:
    """The serving process's job process (spawned: `multiprocessing.spawn` on its command line)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in _children(pid):
            try:
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    return child
            except FileNotFoundError:
                continue
        time.sleep(0.05)
    raise AssertionError("no job process was started")


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":  # ended, waiting for its (dead) parent's reaper
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def test_updates_are_read_in_a_job_process_that_stops_with_the_server(tmp_path: Path) -> None:
    port = _free_port()
    with _deal_channel_slack() as slack:
        env = _run_env(tmp_path, slack, WIIFT_JOB_PROCESSES="1")  # on SQLite the default is none
        process = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path)
        try:
            _wait_for_port(port)
            worker = _job_process(process.pid)
            driver = SlackDriver(app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, slack=slack)
            response, ts = driver.message(channel=DEAL_CHANNEL, user=SELLER, text="Need Acme signed by Friday.")
            assert response.status == 200
            [reply] = slack.wait_for("chat.postMessage", timeout=20)
            assert reply.params["thread_ts"] == ts
        finally:
            process.send_signal(signal.SIGTERM)  # the server alone, as `kill PID` does
            _, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert _gone(worker, timeout=5), "the job process outlived the server"


def test_a_job_process_whose_server_was_killed_stops_by_itself(tmp_path: Path) -> None:
    port = _free_port()
    with _deal_channel_slack() as slack:
        env = _run_env(tmp_path, slack, WIIFT_JOB_PROCESSES="1")  # on SQLite the default is none
        process = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path)
        worker: int | None = None
        try:
            _wait_for_port(port)
            worker = _job_process(process.pid)
            process.kill()  # SIGKILL to the server only: nothing of it runs to stop the job process
            process.communicate(timeout=10)
            assert _gone(worker, timeout=10), "the job process was left running without its server"
        finally:
            if process.poll() is None:
                process.kill()
            if worker is not None and not _gone(worker, timeout=0):
                os.kill(worker, signal.SIGKILL)


def test_a_job_process_that_dies_is_replaced_and_the_work_goes_on(tmp_path: Path) -> None:
    port = _free_port()
    with _deal_channel_slack() as slack:
        env = _run_env(tmp_path, slack, WIIFT_JOB_PROCESSES="1")
        process = _wiift("run", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path)
        try:
            _wait_for_port(port)
            first = _job_process(process.pid)
            os.kill(first, signal.SIGKILL)  # out of memory, say
            assert _gone(first, timeout=5)
            deadline = time.monotonic() + 20
            while (second := _job_process(process.pid)) == first:
                assert time.monotonic() < deadline, "the dead job process was not replaced"
                time.sleep(0.1)
            driver = SlackDriver(app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SECRET, slack=slack)
            response, ts = driver.message(channel=DEAL_CHANNEL, user=SELLER, text="Need Acme signed by Friday.")
            assert response.status == 200
            [reply] = slack.wait_for("chat.postMessage", timeout=30)
            assert reply.params["thread_ts"] == ts
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "exited (code -9); starting another" in err
        assert _gone(second, timeout=5)
