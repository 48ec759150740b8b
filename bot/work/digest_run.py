"""Sending the weekly digests: exactly once per person per week, paced under Slack's rate limits.

Each run finds who is due (they own an open deal or posted a deal update this week, digests are on, and
their local time is past their weekday-and-time slot), composes digests a batch at a time, and for each
person claims the week's record, sends the DM and records the outcome. The claim is the exactly-once
guard: a second run, a restart or a second process finds it and sends nothing. A claim left unfinished
(a crash, or Slack still rate-limiting after the client's retries) is taken over by a later run once it is
`RECLAIM_AFTER` old, which first looks in the DM for a digest already carrying this week's block id.

Pacing: DMs are spaced `Pacer.interval` apart. The client waits out each 429 as Retry-After asks (up to
three times); a send still rate-limited after that stays claimed for a later run, and the pace halves.
Scheduled digests go through the job table instead: the leader's tick stores one job per person who is due
(`enqueue_due_digests`), and each job sends one digest (`deliver_week`), retried with backoff.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.core.services import Services
from bot.slack.post import find_marked_message, open_dm, try_post
from bot.work.digest import BATCH, Digest, compose_many, digest_block_id
from bot.work.insiders import is_insider
from bot.work.people import user_tz
from bot.work.queue import enqueue_digest
from bot.work.weekly import WEEK, digest_slot, weeks_around
from storage import digests as store
from storage.db import unit_of_work

log = logging.getLogger(__name__)

RECLAIM_AFTER = timedelta(minutes=10)
STOP_AFTER_LIMITED = 3  # consecutive rate-limited sends before a run gives the rest to the next run
# Slack refusals that will not change by trying again this week.
PERMANENT = frozenset({"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot", "messages_tab_disabled"})


class Pacer:
    """Spaces sends at least `interval` seconds apart; `slow_down` doubles the spacing (up to a cap) and a
    run of successes brings it back towards where it started."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        max_interval: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base = self.interval = interval
        self.max_interval = max_interval
        self.sleep = sleep
        self.monotonic = monotonic
        self._last: float | None = None
        self._streak = 0

    def wait(self) -> None:
        if self._last is not None:
            left = self._last + self.interval - self.monotonic()
            if left > 0:
                self.sleep(left)
        self._last = self.monotonic()

    def slow_down(self) -> None:
        self.interval = min(self.max_interval, max(self.interval * 2, 1.0))
        self._streak = 0

    def went_through(self) -> None:
        self._streak += 1
        if self._streak >= 20 and self.interval > self.base:
            self.interval = max(self.base, self.interval / 2)
            self._streak = 0


@dataclass
class DigestReport:
    sent: int = 0
    empty: int = 0
    failed: int = 0
    deferred: int = 0  # claimed but not delivered: a later run finishes them
    already: int = 0  # this week's record exists (done, or another run holds it)
    not_due: int = 0
    off: int = 0
    stopped: bool = False  # out of time or rate-limited: the next run carries on
    sent_to: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.sent} sent",
            f"{self.empty} with nothing to say",
            f"{self.already} already done this week",
            f"{self.not_due} not due yet",
            f"{self.off} turned off",
        ]
        if self.deferred:
            parts.append(f"{self.deferred} left for the next run")
        if self.failed:
            parts.append(f"{self.failed} refused by Slack")
        return ", ".join(parts) + (" (stopped early; the next run carries on)" if self.stopped else "")


def run_digests(
    services: Services,
    client: WebClient,
    *,
    now: datetime,
    only_user: tuple[str, str] | None = None,
    force: bool = False,
    pacer: Pacer | None = None,
    budget_s: float | None = None,
) -> DigestReport:
    """Send the digests due at `now`. `only_user` (team, user) limits the run to one person; `force`
    sends before their slot, but never a second digest in one week."""
    pacer = pacer or Pacer()
    started = time.monotonic()

    def out_of_time() -> bool:
        return budget_s is not None and time.monotonic() - started > budget_s

    report = DigestReport()
    due = due_people(services, lambda _team: client, now=now, report=report, only_user=only_user, force=force)
    limited = 0
    for team_id, people in due.items():
        for start in range(0, len(people), BATCH):
            batch = people[start : start + BATCH]
            if report.stopped or out_of_time():
                report.stopped = True
                return report
            digests = compose_many(services.engine, team_id=team_id, people=batch, now=now)
            for user_id, _tz, week in batch:
                if out_of_time():
                    report.stopped = True
                    return report
                outcome = deliver(
                    services,
                    client,
                    team_id=team_id,
                    user_id=user_id,
                    week=week,
                    digest=digests[user_id],
                    now=now,
                    pacer=pacer,
                )
                if outcome == "limited":
                    report.deferred += 1
                    limited += 1
                    if limited >= STOP_AFTER_LIMITED:
                        report.stopped = True
                        return report
                    continue
                limited = 0
                if outcome == "sent":
                    report.sent += 1
                    report.sent_to.append(user_id)
                elif outcome == "empty":
                    report.empty += 1
                elif outcome == "failed":
                    report.failed += 1
                elif outcome == "deferred":
                    report.deferred += 1
                else:
                    report.already += 1
    return report


def due_people(
    services: Services,
    clients: Callable[[str], WebClient | None],
    *,
    now: datetime,
    report: DigestReport,
    only_user: tuple[str, str] | None = None,
    force: bool = False,
    reclaim_after: timedelta = RECLAIM_AFTER,
) -> dict[str, list[tuple[str, str, str]]]:
    """Who is owed a digest at `now`, by team: (user, zone, week). Counts the others in `report`."""
    with unit_of_work(services.engine, read_only=True) as session:
        if only_user is not None:
            candidates = [store.candidate(session=session, team_id=only_user[0], user_id=only_user[1])]
        else:
            candidates = store.digest_candidates(session=session, since=now - WEEK)
        records = store.records_for_weeks(session=session, weeks=weeks_around(now))
    due: dict[str, list[tuple[str, str, str]]] = {}
    for person in candidates:
        if not person.enabled:
            report.off += 1
            continue
        tz = person.tz if person.tz_known and person.tz else None
        if tz is None:  # never looked up: ask Slack once (then cached)
            client = clients(person.team_id)
            if client is None:
                continue
            tz = user_tz(services, client, team_id=person.team_id, user_id=person.user_id)
        slot = digest_slot(now, tz=tz, weekday=person.weekday, minute=person.minute)
        if not force and not slot.due(now):
            report.not_due += 1
            continue
        existing = records.get((person.team_id, person.user_id, slot.week))
        if existing is not None and (existing[0] in store.DONE or existing[1] >= now - reclaim_after):
            report.already += 1
            continue
        due.setdefault(person.team_id, []).append((person.user_id, tz, slot.week))
    return due


def enqueue_due_digests(services: Services, clients: Callable[[str], WebClient | None], *, now: datetime) -> int:
    """The scheduler's digest tick: store one job per person whose digest is due. Returns how many are new."""
    due = due_people(services, clients, now=now, report=DigestReport())
    stored = 0
    with unit_of_work(services.engine) as session:
        for team_id, people in due.items():
            for user_id, _tz, week in people:
                stored += enqueue_digest(session=session, team_id=team_id, user_id=user_id, week=week, now=now)
    return stored


def deliver_week(services: Services, client: WebClient, *, team_id: str, user_id: str, week: str) -> str:
    """A digest job: compose and send one person's digest for `week`, or finish what an earlier attempt of
    this job began. The job's key makes it the only one working on this record, so its claim is resumed
    at once rather than after `RECLAIM_AFTER`."""
    now = services.clock()
    tz = user_tz(services, client, team_id=team_id, user_id=user_id)
    digest = compose_many(services.engine, team_id=team_id, people=[(user_id, tz, week)], now=now)[user_id]
    return deliver(
        services,
        client,
        team_id=team_id,
        user_id=user_id,
        week=week,
        digest=digest,
        now=now,
        pacer=Pacer(0.0),
        reclaim_after=timedelta(0),
    )


def deliver(
    services: Services,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    week: str,
    digest: Digest | None,
    now: datetime,
    pacer: Pacer,
    reclaim_after: timedelta = RECLAIM_AFTER,
) -> str:
    """Claim, send and record one person's digest for `week`. Returns what happened: sent, empty,
    failed, deferred or limited (left claimed for a later run), or already (done or held elsewhere)."""
    with unit_of_work(services.engine) as session:
        resuming = not store.claim_digest(session=session, team_id=team_id, user_id=user_id, week=week, now=now)
        record = store.digest_record(session=session, team_id=team_id, user_id=user_id, week=week)
        if record is None or record.id is None:
            return "already"  # pragma: no cover - the claim above guarantees a row
        if resuming and (
            record.state in store.DONE
            or not store.reclaim_digest(session=session, record_id=record.id, stale_before=now - reclaim_after, now=now)
        ):
            return "already"
        dm = record.dm_channel or store.known_dm_channel(session=session, team_id=team_id, user_id=user_id)
    record_id = record.id

    if digest is None and not resuming:
        _finish(services, record_id, store.EMPTY)
        return "empty"
    if services.lookup.person(client, user_id) is None:
        return "deferred"  # Slack cannot say who they are just now: left claimed for a later run
    if not is_insider(services.lookup, client, team_id=team_id, user_id=user_id):
        log.warning("digest not sent: the recipient is outside the organisation")  # deals are internal
        _finish(services, record_id, store.FAILED)
        return "failed"
    if dm is None:
        dm, error = open_dm(client, user_id)
        if dm is None:
            return _refused(services, record_id, error, pacer)
    ts = None
    if resuming:  # the crash may have come after the post: look before sending again
        readable, ts = find_marked_message(client, channel=dm, block_id=digest_block_id(week))
        if not readable:
            return "deferred"  # better a late digest than two
    if ts is None and digest is None:
        _finish(services, record_id, store.EMPTY, dm_channel=dm)
        return "empty"
    if ts is None and digest is not None:
        pacer.wait()
        ts, error = try_post(
            client, channel=dm, text=digest.text, blocks=digest.blocks, unfurl_links=False, unfurl_media=False
        )
        if ts is None:
            return _refused(services, record_id, error, pacer, dm_channel=dm)
        pacer.went_through()
    _finish(services, record_id, store.SENT, dm_channel=dm, dm_ts=ts)
    log.info("digest sent: week=%s", week)
    return "sent"


def _refused(
    services: Services, record_id: int, error: str | None, pacer: Pacer, *, dm_channel: str | None = None
) -> str:
    log.warning("digest DM failed: %s", error)
    if error == "ratelimited":
        pacer.slow_down()
        return "limited"
    if error in PERMANENT:
        _finish(services, record_id, store.FAILED, dm_channel=dm_channel)
        return "failed"
    return "deferred"


def _finish(
    services: Services,
    record_id: int,
    state: str,
    *,
    dm_channel: str | None = None,
    dm_ts: str | None = None,
) -> None:
    with unit_of_work(services.engine) as session:
        store.finish_digest(
            session=session,
            record_id=record_id,
            state=state,
            now=services.clock(),
            dm_channel=dm_channel,
            dm_ts=dm_ts,
        )
