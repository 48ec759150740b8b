"""`wiift digest preview|send`: print one person's digest as it would be sent, or send digests now.

Settings come from the environment and `.env`, as for `wiift run`. `send` goes through the same path as
the scheduled job, so it never sends anyone a second digest in one week.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from bot.core.clock import Clock, system_clock

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.core.services import Services


def add_parser(sub: Any) -> None:
    """The `digest` subcommand, added to `wiift`'s subparsers."""
    digest = sub.add_parser("digest", help="preview or send the weekly digest DMs")
    actions = digest.add_subparsers(dest="digest_command", required=True)
    preview = actions.add_parser("preview", help="print one person's digest as it would be sent")
    preview.add_argument("--user", required=True, help="the person's Slack user id (U…)")
    preview.add_argument("--team", help="the workspace id (T…); default: the bot token's workspace")
    send = actions.add_parser("send", help="send the digests due now; with --user, that person's (once a week)")
    send.add_argument("--user", help="send this person's digest now, before their slot")
    send.add_argument("--team", help="the workspace id (T…); default: the bot token's workspace")


def run(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None, clock: Clock = system_clock
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    from dotenv import find_dotenv, load_dotenv

    from bot.core.settings import ConfigError, Settings

    load_dotenv(find_dotenv(usecwd=True))
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        print(f"wiift: {exc}", file=err)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from slack_sdk.errors import SlackApiError

    from bot.app import build_client, build_services

    services = build_services(settings, clock=clock)
    client = build_client(settings)
    try:
        try:
            team_id = args.team or str(client.auth_test()["team_id"])
        except (SlackApiError, OSError) as exc:
            print(f"wiift: could not ask Slack which workspace this token is for: {exc}", file=err)
            return 1
        if args.digest_command == "preview":
            return preview(services, client, team_id=team_id, user_id=args.user, out=out)
        return send(services, client, team_id=team_id, user_id=args.user, out=out)
    finally:
        services.engine.dispose()


def preview(services: Services, client: WebClient, *, team_id: str, user_id: str, out: TextIO) -> int:
    from bot.ops.demo import Transcript
    from bot.work.digest import compose_one
    from bot.work.people import user_tz
    from bot.work.weekly import digest_slot
    from storage import digests as store
    from storage.db import unit_of_work

    now = services.clock()
    with unit_of_work(services.engine) as session:
        person = store.candidate(session=session, team_id=team_id, user_id=user_id)
        slot_tz = person.tz if person.tz_known and person.tz else None
    tz = slot_tz or user_tz(services, client, team_id=team_id, user_id=user_id)
    slot = digest_slot(now, tz=tz, weekday=person.weekday, minute=person.minute)
    with unit_of_work(services.engine) as session:
        record = store.digest_record(session=session, team_id=team_id, user_id=user_id, week=slot.week)
    digest = compose_one(services.engine, team_id=team_id, user_id=user_id, tz=tz, week=slot.week, now=now)
    names = SlackNames(client)
    who = names.user_name(user_id) or user_id
    if record is not None:
        status = f"this week's is {record.state}"
    elif not person.enabled:
        status = "digests are off for them"
    else:
        status = "due now" if slot.due(now) else f"due {slot.at:%a %d %b %H:%M} {tz}"
    print(f"Weekly digest for @{who} ({user_id}, {tz}), week {slot.week}: {status}.", file=out)
    if digest is None:
        print("Nothing to say this week: no digest would be sent.", file=out)
        return 0
    show = Transcript(out, names)
    show.shown("wiift", show.message_text({"text": digest.text, "blocks": digest.blocks}), note="would send a DM:")
    return 0


def send(services: Services, client: WebClient, *, team_id: str, user_id: str | None, out: TextIO) -> int:
    from bot.work.digest_run import run_digests

    only = (team_id, user_id) if user_id else None
    report = run_digests(services, client, now=services.clock(), only_user=only, force=only is not None)
    print(f"Weekly digests: {report.summary()}.", file=out)
    return 0


class SlackNames:
    """Names for ids, asked of Slack once each; an id stays as it is when Slack will not say."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._cache: dict[str, str | None] = {}

    def user_name(self, user_id: str) -> str | None:
        return self._ask(user_id, lambda: self.client.users_info(user=user_id)["user"]["name"])

    def channel_name(self, channel_id: str) -> str | None:
        return self._ask(channel_id, lambda: self.client.conversations_info(channel=channel_id)["channel"]["name"])

    def _ask(self, key: str, fetch: Any) -> str | None:
        if key not in self._cache:
            try:
                self._cache[key] = str(fetch())
            except Exception:  # a name is a nicety: any failure leaves the id
                self._cache[key] = None
        return self._cache[key]
