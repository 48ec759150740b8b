"""Small checks of a deployment, each giving one finding: `wiift doctor` lists them, `/readyz` sums some up.

Each check takes what it looks at (an engine, a Web API client, a time) and never changes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.core.settings import Settings
from bot.slack.plural import plural
from storage.db import database_now
from storage.health import PendingWork, missing_sqlite_file, pending_work, ping, schema_state
from storage.models import SchedulerLease

Status = Literal["ok", "warn", "fail", "skip"]
PROBE_TIMEOUT_S = 5
OVERDUE_AFTER = timedelta(minutes=2)  # a prep DM this late means no process is sending them
RELEASED_YEAR = 1970  # a lease released on a clean stop expires at the epoch

# What Slack's refusals of a token mean to the person who set it.
TOKEN_ERRORS = {
    "invalid_auth": "copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions",
    "not_authed": "SLACK_BOT_TOKEN was not sent; is it set?",
    "token_revoked": "the token was revoked or the app uninstalled: reinstall the app and copy the new token",
    "account_inactive": "the bot user or the workspace was deactivated",
    "token_expired": "the token expired: wiift needs a bot token without rotation",
}


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    status: Status
    detail: str
    unreachable: bool = False  # the check could not reach what it checks (as opposed to a clear "no")

    def line(self) -> str:
        return f"{self.status.upper():<4}  {self.name}: {self.detail}"


def shown_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is reported by the check that uses it
        return "(malformed URL)"


def probe_client(settings: Settings) -> WebClient:
    """A Web API client for checks: a short timeout and no retries, so a check answers quickly."""
    return WebClient(token=settings.bot_token, base_url=settings.api_url or WebClient.BASE_URL, timeout=PROBE_TIMEOUT_S)


def settings_summary(settings: Settings, env: Mapping[str, str]) -> Finding:
    mode = "Socket Mode" if settings.socket_mode else f"HTTP on port {env.get('PORT') or '3000'}"
    return Finding(
        "settings",
        "ok",
        f"{mode}; database {shown_url(settings.database_url)}; default zone {settings.default_tz}; "
        f"prep DM {settings.nudge_lead_minutes} min before a call; logs {settings.log_level} as {settings.log_format}",
    )


def database(engine: Engine, *, url: str | None = None) -> Finding:
    """`url`: the database as the operator gave it (the probe engine's own URL differs for SQLite)."""
    where = shown_url(url or engine.url.render_as_string(hide_password=False))
    missing = missing_sqlite_file(url) if url else None
    if missing is not None:
        detail = f"no database file at {missing} (`wiift db upgrade` creates it)"
        return Finding("database", "fail", detail, unreachable=True)
    try:
        with engine.connect() as connection:
            ping(connection)
            version = ".".join(str(part) for part in (connection.dialect.server_version_info or ())[:2])
            server = f"{connection.dialect.name} {version}".strip()
    except SQLAlchemyError as exc:
        return Finding("database", "fail", f"cannot reach {where}: {_first_line(exc)}", unreachable=True)
    return Finding("database", "ok", f"{server} answers at {where}")


def migrations(engine: Engine) -> Finding:
    try:
        with engine.connect() as connection:
            state = schema_state(connection)
    except SQLAlchemyError as exc:
        return Finding("migrations", "fail", f"could not read the schema's revision: {_first_line(exc)}")
    at = ", ".join(state.current) or "no revision (an empty database)"
    newest = ", ".join(state.heads)
    if state.up_to_date:
        return Finding("migrations", "ok", f"at {at}, the newest")
    if state.unknown:
        return Finding(
            "migrations",
            "fail",
            f"at {at}, which this wiift does not know (newest {newest}): a newer wiift migrated it",
        )
    return Finding("migrations", "fail", f"at {at}, newest {newest}: run `wiift db upgrade` (or start wiift)")


def token(client: WebClient) -> tuple[Finding, SlackResponse | None]:
    """auth.test with the bot token; its answer also carries the scopes granted (see `scopes`)."""
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        error = str((exc.response.data or {}).get("error") if isinstance(exc.response.data, dict) else exc)
        if exc.response.status_code == 429 or exc.response.status_code >= 500:  # Slack's trouble, not the token's
            detail = f"Slack answered {exc.response.status_code} ({error}); try again shortly"
            return Finding("token", "fail", detail, unreachable=True), None
        advice = TOKEN_ERRORS.get(error, "see https://api.slack.com/methods/auth.test#errors")
        return Finding("token", "fail", f"Slack refused SLACK_BOT_TOKEN ({error}): {advice}"), None
    except OSError as exc:
        return Finding("token", "fail", f"could not reach Slack at {client.base_url}: {exc}", unreachable=True), None
    who = f"@{answer.get('user')} ({answer.get('user_id')}) in {answer.get('team')} ({answer.get('team_id')})"
    return Finding("token", "ok", f"valid: {who}"), answer


def granted_scopes(answer: SlackResponse) -> set[str] | None:
    """The scopes Slack says the token has (its `x-oauth-scopes` header), or None if it did not say."""
    for name, value in (answer.headers or {}).items():
        if name.lower() == "x-oauth-scopes":
            return {scope.strip() for scope in str(value).split(",") if scope.strip()}
    return None


def scopes(granted: set[str] | None, wanted: Iterable[str]) -> Finding:
    wanted = set(wanted)
    if granted is None:
        return Finding("scopes", "warn", "Slack did not say which scopes the token has (no x-oauth-scopes header)")
    missing = sorted(wanted - granted)
    if missing:
        return Finding(
            "scopes",
            "fail",
            f"missing {', '.join(missing)}: update the app from manifest.json and reinstall it (Install App)",
        )
    extra = sorted(granted - wanted)
    also = f"; also granted, not needed: {', '.join(extra)}" if extra else ""
    return Finding("scopes", "ok", f"all {len(wanted)} the manifest asks for are granted{also}")


def scheduler_lease(engine: Engine, *, name: str, term: timedelta) -> Finding:
    """Who leads the scheduler, judged on the database's clock (the one the lease itself runs on)."""
    with Session(engine) as session:
        lease = session.get(SchedulerLease, name)
        now = database_now(session)
    if lease is None:
        return Finding("scheduler", "warn", "no instance has led the scheduler yet: start `wiift run`")
    if lease.expires_at > now:
        renewed = max(0, round((now - (lease.expires_at - term)).total_seconds()))
        return Finding("scheduler", "ok", f"led by {lease.holder}, lease renewed {renewed} s ago")
    if lease.expires_at.year == RELEASED_YEAR:
        return Finding("scheduler", "warn", f"no instance leads the scheduler: {lease.holder} stopped cleanly")
    lapsed = _ago(now - lease.expires_at)
    return Finding(
        "scheduler",
        "fail",
        f"no instance leads the scheduler: the lease of {lease.holder} lapsed {lapsed} ago without a clean stop "
        "(digests and the nudge sweep wait until a `wiift run` starts)",
    )


def queue_depth(engine: Engine, *, now: datetime) -> Finding:
    """The job table: what is due, overdue, running, failed and stored for later (every deal update, note,
    nudge, digest and Home publish goes through it)."""
    with Session(engine) as session:
        work = pending_work(session=session, now=now, overdue_before=now - OVERDUE_AFTER)
    status: Status = "warn" if work.jobs_overdue or work.jobs_failed else "ok"
    return Finding("queue", status, _describe(work))


def _describe(work: PendingWork) -> str:
    overdue = f"{work.jobs_overdue} overdue (are any workers running?)" if work.jobs_overdue else "none overdue"
    digests = f"{plural(work.digests_sending, 'digest')} being sent" if work.digests_sending else "no digest being sent"
    return (
        f"{plural(work.jobs_due, 'job')} due ({overdue}), {work.jobs_running} running, "
        f"{work.jobs_failed} failed, {work.jobs_later} for later; {digests}"
    )


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return plural(seconds, "second")
    if seconds < 2 * 3600:
        return plural(seconds // 60, "minute")
    if seconds < 2 * 86400:
        return plural(seconds // 3600, "hour")
    return plural(seconds // 86400, "day")


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = " ".join(str(cause).split("\n")[0].split())
    return text or type(cause).__name__
