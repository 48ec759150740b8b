"""Checks made before `wiift run` starts anything: the database answers and Slack accepts the token.

A failure is one line naming the problem; the caller exits non-zero with nothing left running.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.settings import Settings
from bot.slack.clients import job_client
from storage.db import make_engine


class PreflightError(RuntimeError):
    """Why wiift cannot start, in one line."""


def check_database(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0][:160]
        raise PreflightError(f"the database at DATABASE_URL cannot be reached: {reason}") from None
    finally:
        engine.dispose()


def check_token(settings: Settings) -> None:
    client = job_client(token=settings.bot_token, base_url=settings.api_url)
    client.timeout = 10
    try:
        client.auth_test()
    except SlackApiError as exc:
        error = (exc.response.data or {}).get("error", "unknown") if exc.response is not None else "unknown"
        raise PreflightError(f"Slack refused SLACK_BOT_TOKEN: {error}") from None
    except OSError as exc:
        raise PreflightError(f"Slack's Web API cannot be reached ({type(exc).__name__}): check the network") from None


def preflight(settings: Settings) -> None:
    check_database(settings.database_url)
    check_token(settings)
