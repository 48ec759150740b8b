"""`wiift`: run the bot, try the coaching engine, or play the offline demo."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from importlib.metadata import version

from dotenv import find_dotenv, load_dotenv

from bot.core.settings import ConfigError, Settings
from bot.logs import configure_logging
from bot.ops import digest as digest_cli


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "coach":
        from bot.ops.coach import main as coach_main

        return coach_main(argv[1:])
    from bot.ops import db_cli, doctor, export_cli

    operator_commands = {"db": db_cli, "export": export_cli, "doctor": doctor}
    parser = argparse.ArgumentParser(prog="wiift", description="wiift: What's In It For Them, a Slack sales coach.")
    parser.add_argument("--version", action="version", version=f"wiift {version('wiift')}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("coach", help="analyse a deal update and print the question wiift would ask")
    run = sub.add_parser("run", help="serve the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP)")
    run.add_argument("--host", default="0.0.0.0")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    sub.add_parser("demo", help="play a scripted deal channel offline against the built-in stand-in for Slack")
    digest_cli.add_parser(sub)
    for command in operator_commands.values():
        command.add_parser(sub)
    args = parser.parse_args(argv)

    if args.command == "digest":
        return digest_cli.run(args)
    if args.command in operator_commands:
        load_dotenv(find_dotenv(usecwd=True))
        configure_logging("WARNING")
        return operator_commands[args.command].run(args, env=os.environ, out=sys.stdout, err=sys.stderr)

    if args.command == "demo":
        from bot.ops.demo import run_demo

        return run_demo(sys.stdout)
    return _run(args.host, args.port)


def _run(host: str, port: int) -> int:
    load_dotenv(find_dotenv(usecwd=True))  # the .env beside where wiift is started
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        print(f"wiift: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)

    from bot.app import build_instance
    from bot.http import SlackWSGI
    from bot.ops.readiness import readiness_for
    from bot.preflight import PreflightError, preflight
    from bot.server import HttpServer, serve_socket_mode

    try:
        preflight(settings)
    except PreflightError as exc:
        print(f"wiift: {exc}", file=sys.stderr)
        return 2
    instance = build_instance(settings, job_processes=settings.job_process_count).start()
    app = instance.app
    leading = instance.leader is not None and instance.leader.leading
    readiness = readiness_for(settings)
    gc.collect()
    gc.freeze()  # start-up's objects out of the collector's reach: a full collection no longer pauses requests
    try:
        if settings.app_token:
            _started("connecting to Slack in Socket Mode", settings, leading=leading)
            serve_socket_mode(app, app_token=settings.app_token)
        else:
            wsgi = SlackWSGI(app, signing_secret=settings.signing_secret, readiness=readiness)
            server = HttpServer(wsgi, host=host, port=port, screen=wsgi.screen)
            where = f"http://{host}:{server.port}"
            _started(
                f"serving Slack at {where}/slack/events (health: /healthz, /readyz)",
                settings,
                leading=leading,
            )
            server.serve_forever()
    finally:
        readiness.close()
        instance.stop()  # finish the jobs in hand; hand back the rest to other instances
    return 0


def _started(how: str, settings: Settings, *, leading: bool) -> None:
    """The one line a start logs: how wiift runs, where, on which database, and whether it runs the jobs."""
    from bot.ops.checks import shown_url

    jobs = "leads the scheduler" if leading else "stands by for the scheduler (another instance leads it)"
    logging.getLogger("wiift").info(
        "wiift %s started: %s; database %s; %s", version("wiift"), how, shown_url(settings.database_url), jobs
    )


if __name__ == "__main__":
    sys.exit(main())
