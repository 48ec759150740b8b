"""Acknowledgement latency of deal-update events over HTTP: wiift against a bare Bolt app, same run, p50 and p99.

Both apps are served the same way (waitress behind `SlackWSGI`), receive the same signed events from 16
concurrent senders, and talk to the same stand-in Slack. The senders and the stand-in run in processes of
their own, as Slack does. wiift stores each update's job before it acknowledges (that insert is inside the
measured latency), and its job workers do the real work (engine, database, a threaded reply) in a job
process beside the serving one, as `wiift run` does, so its acks compete with that work for the machine's 2
cores (though not for the serving process's GIL).

Each app gets the events in alternating rounds (bare first, then wiift first, ...), and no round starts until
wiift's worker has finished the replies it owes, so neither app is measured while the other's work runs.

With `--rate N` the senders send N events a second between them, each on its own schedule whether or not
the last answer is back, as Slack does; without, each sends its next as soon as the last is answered, which
saturates the server, so the latency is mostly the queue and the figure is the server's capacity.

    .venv/bin/python bench/ack.py [--events 4000] [--senders 16] [--rounds 4] [--rate N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import gc
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


def load(
    url: str, *, events: int, senders: int, channels: list[str], first: int = 0, rate: float | None = None
) -> tuple[list[float], int, int, float]:
    """Send `events` signed deal updates from `senders` threads: (latencies, refused, non-200, seconds taken).

    With `rate`, the senders together send that many events a second, each on its own schedule whether or not
    the last answer is back (as Slack does: an open loop); without, each sends its next when the last is
    answered, as fast as the server takes them (a closed loop: the latency is mostly the queue)."""
    parts = urlsplit(url)
    interval = senders / rate if rate else 0.0
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    refused = errors = 0
    lock = threading.Lock()
    per_sender = events // senders

    def sender(index: int) -> None:
        nonlocal refused, errors
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        due = time.perf_counter() + index * interval / senders  # the senders' schedules interleave
        for n in range(first, first + per_sender):
            if interval:
                time.sleep(max(0.0, due - time.perf_counter()))
                due += interval
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
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, refused, errors, time.perf_counter() - began


def load_elsewhere(
    url: str, *, events: int, senders: int, channels: list[str], first: int = 0, rate: float | None = None
) -> tuple[list[float], int, int, float]:
    """Run the senders in their own process, as Slack's are: they must not share the server's GIL."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(load, (url,), dict(events=events, senders=senders, channels=channels, first=first, rate=rate))


def wait_until_quiet(standin: StandinProcess, *, settle_s: float = 1.0, limit_s: float = 180.0) -> float:
    """Wait until Slack has heard nothing new from wiift for `settle_s`: its coaching worker has caught up.
    Returns how long that took."""
    started = time.perf_counter()
    seen, since = standin.count(), time.perf_counter()
    while time.perf_counter() - since < settle_s and time.perf_counter() - started < limit_s:
        time.sleep(0.2)
        now_seen = standin.count()
        if now_seen != seen:
            seen, since = now_seen, time.perf_counter()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="events a second from all senders together (default: as fast as answered)",
    )
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument(
        "--job-processes", type=int, default=None, help="default: as `wiift run` (one on PostgreSQL, none on SQLite)"
    )
    args = parser.parse_args()

    channels = [f"CDEAL{i:03d}" for i in range(32)]
    standin = StandinProcess(
        users=["USELLER"], channels=[(c, f"deal-bench-{i}") for i, c in enumerate(channels)], idle=True
    )

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret=SECRET,
            api_url=standin.base_url,
            database_url=args.database_url or f"sqlite:///{tmp}/bench.db",
            job_processes=args.job_processes,
            log_level="WARNING",
        )
        job_processes = settings.job_process_count
        instance = build_instance(settings, job_processes=job_processes).start()  # as `wiift run` does
        servers = {}
        for label, app in (("bare Bolt app", bare_app(settings)), ("wiift", instance.app)):
            front = SlackWSGI(app, signing_secret=SECRET)
            servers[label] = HttpServer(front, host="127.0.0.1", port=0, screen=front.screen).start_background()
            load_elsewhere(servers[label].url, events=args.senders * 10, senders=args.senders, channels=channels)
        wait_until_quiet(standin)
        gc.collect()
        gc.freeze()  # as `wiift run` does once started
        results: dict[str, tuple[list[float], int, int, float]] = {label: ([], 0, 0, 0.0) for label in servers}
        cpu = dict.fromkeys(servers, 0.0)  # this process's CPU time while each app was answering: its cost per ack
        per_round, drained, first = args.events // args.rounds, 0.0, 1000
        for round_ in range(args.rounds):  # alternate who goes first; the machine drifts between runs
            order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
            for label in order:
                began = time.process_time()
                latencies, refused, errors, elapsed = load_elsewhere(
                    servers[label].url,
                    events=per_round,
                    senders=args.senders,
                    channels=channels,
                    first=first,
                    rate=args.rate,
                )
                cpu[label] += time.process_time() - began
                first += per_round
                if label == "wiift":  # the replies wiift owes after its acks, before anyone is measured again
                    drained = max(drained, elapsed + wait_until_quiet(standin))
                before = results[label]
                results[label] = (before[0] + latencies, before[1] + refused, before[2] + errors, before[3] + elapsed)
        for server in servers.values():
            server.stop()
        instance.stop()
    standin.stop()

    print(
        f"ack latency, {args.events} deal-update events per app in {args.rounds} alternating rounds, "
        f"{args.senders} concurrent senders over HTTP, "
        + (
            f"{args.rate:g} events/s between them (open loop)"
            if args.rate
            else "each as fast as answered (closed loop)"
        )
    )
    print(f"{'app':<15} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'refused':>8} {'non-200':>8}")
    for label, (latencies, refused, errors, elapsed) in results.items():
        print(
            f"{label:<15} {percentile(latencies, 0.50) * 1000:8.2f} "
            f"{percentile(latencies, 0.99) * 1000:8.2f} "
            f"{len(latencies) / elapsed:8.0f} {refused:8d} {errors:8d}"
        )
    per_ack = {label: cpu[label] / max(1, len(results[label][0])) * 1000 for label in results}
    apart = "job threads included" if job_processes == 0 else "its job process apart"
    print(
        f"CPU per ack in the serving process (senders and stand-in apart; {apart}): "
        f"bare {per_ack['bare Bolt app']:.2f} ms, wiift {per_ack['wiift']:.2f} ms "
        f"({per_ack['wiift'] / per_ack['bare Bolt app']:.2f}x)"
    )
    ratios = {q: percentile(results["wiift"][0], q) / percentile(results["bare Bolt app"][0], q) for q in (0.50, 0.99)}
    print(f"ratio wiift / bare: p50 {ratios[0.50]:.2f}, p99 {ratios[0.99]:.2f} (target <= 1.5 each)")
    print(f"wiift finished the coaching work behind a round's acks at most {drained:.1f} s after the round began")
    return 0 if max(ratios.values()) <= 1.5 and results["wiift"][1] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
