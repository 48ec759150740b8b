"""What each kind of job does: one function per kind, over the domain, with the services handed in.

A job's work is safe to run again: each domain function records what it did under its own key (the
question claimed for a message, the nudge's state, the week's digest record) and checks what went out before
posting again. A run that cannot finish yet raises `TryAgain` (or `SlackUnavailable`), and the worker
reschedules it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient

from bot.core.services import Services
from bot.work import queue
from bot.work.digest_run import deliver_week
from bot.work.home import publish_home
from bot.work.nudges import deliver_nudge
from bot.work.queue import DealMessage
from bot.work.updates import read_message
from storage.models import Job


class TryAgain(Exception):
    """The work is not done and may be later (the outcome is unknown, or Slack is not answering)."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


Run = Callable[[Services, WebClient, Mapping[str, Any]], None]


def run_message(services: Services, client: WebClient, payload: Mapping[str, Any]) -> None:
    message = DealMessage.from_payload(dict(payload))
    read_message(
        services,
        client,
        team_id=message.team_id,
        channel_id=message.channel_id,
        user_id=message.user_id,
        ts=message.ts,
        text=message.text,
        thread_ts=message.thread_ts,
        bot_user_id=message.bot_user_id,
        shared=bool(message.shared),
        poster_team=message.poster_team,
    )


def run_nudge(services: Services, client: WebClient, payload: Mapping[str, Any]) -> None:
    state = deliver_nudge(services, client, int(payload["nudge_id"]))
    if state == "sending":
        raise TryAgain("the nudge's DM is not confirmed yet")


def run_digest(services: Services, client: WebClient, payload: Mapping[str, Any]) -> None:
    outcome = deliver_week(
        services, client, team_id=str(payload["team_id"]), user_id=str(payload["user_id"]), week=str(payload["week"])
    )
    if outcome in ("limited", "deferred"):
        raise TryAgain(f"digest {outcome}", after=30.0 if outcome == "limited" else None)


def run_home(services: Services, client: WebClient, payload: Mapping[str, Any]) -> None:
    publish_home(services, client, team_id=str(payload["team_id"]), user_id=str(payload["user_id"]))


KINDS: Mapping[str, Run] = {
    queue.UPDATE: run_message,
    queue.ANSWER: run_message,
    queue.NUDGE: run_nudge,
    queue.DIGEST: run_digest,
    queue.HOME: run_home,
}


LOST_ANSWER = (
    "I couldn't keep your reply in that thread as a deal note (Slack or our database was unavailable for too "
    "long, error id `{error}`). Please add it with `/deal note` so it isn't lost."
)
LOST_UPDATE = "Sorry, I couldn't read that update: something went wrong on my side (error id `{error}`)."


def give_up(services: Services, client: WebClient, job: Job) -> None:
    """A job that will not be tried again: tell the person whose message it was, privately, with the error
    id the log carries; never someone from another organisation."""
    if job.kind not in (queue.ANSWER, queue.UPDATE):
        return
    message = DealMessage.from_payload(json.loads(job.payload))
    if message.shared and message.poster_team not in (None, message.team_id):
        return
    error = f"job-{job.id}"  # the log line that gave the job up names it so
    text = (LOST_ANSWER if job.kind == queue.ANSWER else LOST_UPDATE).format(error=error)
    client.chat_postEphemeral(channel=message.channel_id, user=message.user_id, text=text)
