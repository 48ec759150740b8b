"""A `wiift run` instance as an operator starts it (its own process: HTTP, SQLite, job workers, scheduler), with
the stand-in Slack in another process:

1. Idle: the CPU the instance and its job process use over 10 s with nothing to do. Baseline, same run: a
   process that only sleeps (what the measurement itself costs).
2. Pinned: the instance confined to one CPU (`taskset -c 0`); 300 signed deal updates arrive from 16
   senders at once; how long until all 300 questions have reached Slack? Baseline, same run: the time
   the senders need to have all 300 acknowledged.

    .venv/bin/python bench/instance.py [--idle-seconds 10] [--updates 300] [--cpu 0]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk.signature import SignatureVerifier

from bench.standin_process import StandinProcess

SECRET = "bench-secret"
SELLER = "USELLER"
UPDATE = "Need {deal} signed by Friday, I'm one deal short of quota this quarter."


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children, from /proc."""
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_instance(*, base_url: str, database: Path, port: int, cpu: int | None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WIIFT_", "DATABASE_URL"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": base_url,
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        **({"WIIFT_JOB_PROCESSES": os.environ["WIIFT_JOB_PROCESSES"]} if "WIIFT_JOB_PROCESSES" in os.environ else {}),
    }
    command = [sys.executable, "-m", "bot.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
    if cpu is not None:
        command = [shutil.which("taskset") or "taskset", "-c", str(cpu), *command]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("wiift run did not start listening")


def stop_instance(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def settle(process: subprocess.Popen[bytes], *, below: float = 0.05, within: float = 60.0) -> float:
    """Wait out start-up (migrations, the job processes' imports and the analyzer's model): until the
    instance's processes use under `below` of a core over a second. Returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        before = cpu_seconds(process.pid)
        time.sleep(1.0)
        if cpu_seconds(process.pid) - before < below:
            break
    return time.monotonic() - started


def idle_cpu(process: subprocess.Popen[bytes], seconds: float) -> float:
    settle(process)  # start-up work is not idling
    before, started = cpu_seconds(process.pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(process.pid) - before) / (time.monotonic() - started)


def sleeper_cpu(seconds: float) -> float:
    process = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds + 5})"])
    try:
        time.sleep(1)
        before, started = cpu_seconds(process.pid), time.monotonic()
        time.sleep(seconds)
        return (cpu_seconds(process.pid) - before) / (time.monotonic() - started)
    finally:
        process.kill()
        process.wait()


def send_updates(port: int, *, updates: int, channels: list[str], senders: int = 16) -> float:
    """Post `updates` signed deal updates from `senders` threads; returns when all are acknowledged."""
    verifier = SignatureVerifier(SECRET)
    failures: list[int] = []

    def sender(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for n in range(index, updates, senders):
            channel = channels[n % len(channels)]
            event = {
                "type": "event_callback",
                "team_id": "T0WIIFT",
                "api_app_id": "AWIIFT",
                "event_id": f"EvPin{n:06d}",
                "event_time": int(time.time()),
                "is_ext_shared_channel": False,
                "event": {
                    "type": "message",
                    "channel": channel,
                    "channel_type": "channel",
                    "user": SELLER,
                    "team": "T0WIIFT",
                    "text": UPDATE.format(deal=f"Co{n % len(channels)}"),
                    "ts": f"{1_800_000_000 + n}.000100",
                },
            }
            body = json.dumps(event)
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body) or "",
            }
            connection.request("POST", "/slack/events", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
        connection.close()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} updates were not acknowledged: {failures[:5]}")
    return time.monotonic()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--cpu", type=int, default=0, help="the CPU the instance is pinned to in part 2")
    args = parser.parse_args()

    channels = [f"CDEAL{i:03d}" for i in range(30)]
    answered = 0.0
    standin = StandinProcess(users=[SELLER], channels=[(c, f"deal-pin-{i}") for i, c in enumerate(channels)])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            instance = start_instance(base_url=standin.base_url, database=Path(tmp) / "idle.db", port=port, cpu=None)
            try:
                idle = idle_cpu(instance, args.idle_seconds)
            finally:
                stop_instance(instance)
            baseline_idle = sleeper_cpu(args.idle_seconds)

            port = free_port()
            instance = start_instance(
                base_url=standin.base_url, database=Path(tmp) / "pinned.db", port=port, cpu=args.cpu
            )
            try:
                warm = settle(instance)
                started = time.monotonic()
                acked = send_updates(port, updates=args.updates, channels=channels)
                try:
                    answered = max(standin.arrivals("chat.postMessage", args.updates)) - started
                except (EOFError, OSError):  # the stand-in gave up waiting (five minutes)
                    answered = float("inf")
            finally:
                stop_instance(instance)
    finally:
        if answered != float("inf"):
            standin.stop()

    print(f"1. idle `wiift run` (server, job workers, scheduler), {args.idle_seconds:.0f} s")
    print(f"   a sleeping process: {baseline_idle * 100:.2f} % of a core")
    print(f"   wiift:              {idle * 100:.2f} % of a core (target < 1 %)")
    print(f"2. {args.updates} deal updates, instance pinned to CPU {args.cpu} (taskset), 16 senders")
    print(f"   (start-up, until the instance's processes were quiet: {warm:.1f} s)")
    print(f"   all acknowledged after {acked - started:.2f} s")
    print(f"   all {args.updates} questions posted after {answered:.2f} s (target < 10 s)")
    return 0 if idle < 0.01 and answered < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
