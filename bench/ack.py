"""Acknowledgement latency of deal-update events over HTTP: wiift against a bare Bolt app, same run.

Both apps are served the same way (waitress behind `SlackWSGI`), receive the same signed events from 16
concurrent senders, and talk to the same stand-in Slack. The senders and the stand-in run in processes of
their own, as Slack does. wiift stores each update's job before it acknowledges (that insert is inside the
measured latency) and its job workers do the real work meanwhile (engine, database, a threaded reply), as
`wiift run` does, so its acks compete with that work for the machine's 2 cores.

    .venv/bin/python bench/ack.py [--events 4000] [--senders 16] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt import App
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine, text

from bench.standin_process import StandinProcess
from bot.app import build_client, build_instance
from bot.core.settings import Settings
from bot.http import SlackWSGI
from bot.server import HttpServer

SECRET = "bench-secret"
UPDATES = [
    "Need {deal} signed by Friday, I'm short on quota this quarter.",
    "Showed {deal} the new dashboard module, they loved the UI.",
    "{deal} went quiet after the pricing call, CFO hasn't replied in two weeks.",
    "Their ops lead says the manual routing costs {deal} two planners a day.",
    "Call with the {deal} COO tomorrow at 3 to walk through the rollout.",
]


def bare_app(settings: Settings) -> App:
    app = App(client=build_client(settings), signing_secret=SECRET, process_before_response=False)

    @app.event("message")
    def on_message() -> None:
        return None

    return app


def load(url: str, *, events: int, senders: int, channels: list[str]) -> tuple[list[float], int, int]:
    parts = urlsplit(url)
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    refused = errors = 0
    lock = threading.Lock()
    per_sender = events // senders

    def sender(index: int) -> None:
        nonlocal refused, errors
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        for n in range(per_sender):
            channel = channels[(index + n) % len(channels)]
            event = {
                "type": "event_callback",
                "team_id": "T0WIIFT",
                "api_app_id": "AWIIFT",
                "event_id": f"Ev{index:02d}{n:06d}",
                "event_time": int(time.time()),
                "event": {
                    "type": "message",
                    "channel": channel,
                    "channel_type": "channel",
                    "user": "USELLER",
                    "text": UPDATES[n % len(UPDATES)].format(deal=f"Co{index}"),
                    "ts": f"{1_800_000_000 + index}.{n:06d}",
                },
            }
            body = json.dumps(event)
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": verifier.generate_signature(timestamp=timestamp, body=body) or "",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", parts.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        errors += 1
            except ConnectionRefusedError:
                with lock:
                    refused += 1
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, refused, errors


def load_elsewhere(url: str, *, events: int, senders: int, channels: list[str]) -> tuple[list[float], int, int]:
    """Run the senders in their own process, as Slack's are: they must not share the server's GIL."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(load, (url,), dict(events=events, senders=senders, channels=channels))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--no-workers", action="store_true", help="acks alone: store the jobs, run none of them")
    args = parser.parse_args()

    channels = [f"CDEAL{i:03d}" for i in range(32)]
    standin = StandinProcess(users=["USELLER"], channels=[(c, f"deal-bench-{i}") for i, c in enumerate(channels)])

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret=SECRET,
            api_url=standin.base_url,
            database_url=args.database_url or f"sqlite:///{tmp}/bench.db",
        )
        instance = build_instance(settings)  # as `wiift run` does: job workers and the scheduler
        if not args.no_workers:
            instance.start()
        results = {}
        drained = 0.0
        apps = (("bare Bolt app", bare_app(settings)), ("wiift", instance.app))
        for label, app in apps:
            front = SlackWSGI(app, signing_secret=SECRET)
            server = HttpServer(front, host="127.0.0.1", port=0, screen=front.screen).start_background()
            load_elsewhere(server.url, events=args.senders * 10, senders=args.senders, channels=channels)  # warm-up
            started = time.perf_counter()
            latencies, refused, errors = load_elsewhere(
                server.url, events=args.events, senders=args.senders, channels=channels
            )
            elapsed = time.perf_counter() - started
            if label == "wiift":
                if not args.no_workers:
                    wait_for_jobs(instance.services.engine)  # the replies wiift owes after its acks
                drained = time.perf_counter() - started
            server.stop()
            results[label] = (latencies, refused, errors, elapsed)
        instance.stop()
    standin.stop()

    print(f"ack latency, {args.events} deal-update events, {args.senders} concurrent senders over HTTP")
    print(f"{'app':<15} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'refused':>8} {'non-200':>8}")
    for label, (latencies, refused, errors, elapsed) in results.items():
        print(
            f"{label:<15} {percentile(latencies, 0.50) * 1000:8.2f} "
            f"{percentile(latencies, 0.99) * 1000:8.2f} "
            f"{len(latencies) / elapsed:8.0f} {refused:8d} {errors:8d}"
        )
    ratios = {}
    for q in (0.50, 0.99):
        ratios[q] = percentile(results["wiift"][0], q) / percentile(results["bare Bolt app"][0], q)
        print(f"p{int(q * 100)} ratio wiift / bare: {ratios[q]:.2f} (target <= 1.5)")
    print(f"wiift finished the coaching work behind those acks {drained:.1f} s after the load began")
    return 0 if max(ratios.values()) <= 1.5 and results["wiift"][1] == 0 else 1


def wait_for_jobs(engine: Engine, timeout: float = 600.0) -> None:
    """Until no job is ready or running: every acknowledged update has been read and answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            left = connection.execute(text("SELECT count(*) FROM job WHERE state IN ('ready', 'running')")).scalar()
        if not left:
            return
        time.sleep(0.05)
    raise TimeoutError("jobs still pending")


if __name__ == "__main__":
    sys.exit(main())
