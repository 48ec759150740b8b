"""`wiift`: run the bot, try the coaching engine, or play the offline demo."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys

from dotenv import find_dotenv, load_dotenv

from bot import digest_cli
from bot.config import ConfigError, Settings


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "coach":
        from bot.coach_cli import main as coach_main

        return coach_main(argv[1:])

    parser = argparse.ArgumentParser(prog="wiift", description="wiift: What's In It For Them, a Slack sales coach.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("coach", help="analyse a deal update and print the question wiift would ask")
    run = sub.add_parser("run", help="serve the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP)")
    run.add_argument("--host", default="0.0.0.0")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    sub.add_parser("demo", help="play a scripted deal channel offline against the built-in stand-in for Slack")
    digest_cli.add_parser(sub)
    args = parser.parse_args(argv)

    if args.command == "digest":
        return digest_cli.run(args)

    if args.command == "demo":
        from bot.demo import run_demo

        return run_demo(sys.stdout)
    return _run(args.host, args.port)


def _run(host: str, port: int) -> int:
    load_dotenv(find_dotenv(usecwd=True))  # the .env beside where wiift is started
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        print(f"wiift: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from bot.app import build_app, build_services
    from bot.coaching import ProcessCoaching
    from bot.http import SlackWSGI
    from bot.runtime import Runtime
    from bot.server import HttpServer, serve_socket_mode

    services = build_services(settings, coaching=ProcessCoaching(settings))
    app = build_app(services)
    services.jobs.start(Runtime(services=services, client=app.client), lead=True)
    gc.collect()
    gc.freeze()  # start-up's objects out of the collector's reach: a full collection no longer pauses requests
    try:
        if settings.app_token:
            logging.getLogger("wiift").info("starting in Socket Mode")
            serve_socket_mode(app, app_token=settings.app_token)
        else:
            front = SlackWSGI(app, signing_secret=settings.signing_secret)
            server = HttpServer(front, host=host, port=port, screen=front.screen)
            logging.getLogger("wiift").info("listening on http://%s:%s/slack/events", host, server.port)
            server.serve_forever()
    finally:
        services.coaching.shutdown(wait=True)  # finish the deal updates already acknowledged
        services.jobs.shutdown()
        services.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
