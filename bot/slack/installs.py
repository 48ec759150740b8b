"""Jobs' Web API clients in many-workspace mode: each workspace's own bot token, from its installation.

With token rotation on, a token close to expiry is refreshed before use, one refresh at a time per
installation: a lock in this process and, on PostgreSQL, an advisory lock across instances, after which the
installation is read again (another instance may have refreshed it already).
"""

from __future__ import annotations

import logging
import threading
import zlib
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, text

from bot.slack.clients import job_client

log = logging.getLogger(__name__)

REFRESH_BEFORE = timedelta(minutes=10)


class InstalledWorkspaces:
    def __init__(
        self,
        store: InstallationStore,
        *,
        engine: Engine,
        client_id: str,
        client_secret: str,
        base_url: str | None,
    ) -> None:
        self.store = store
        self.engine = engine
        self.base_url = base_url
        self.rotator = TokenRotator(
            client_id=client_id,
            client_secret=client_secret,
            client=WebClient(base_url=base_url or WebClient.BASE_URL),
        )
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def __call__(self, team_id: str) -> WebClient | None:
        bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        if _expiring(bot):
            bot = self._refresh(team_id) or bot
        return job_client(token=bot.bot_token, base_url=self.base_url)

    def _refresh(self, team_id: str) -> Bot | None:
        with self._guard:
            lock = self._locks.setdefault(team_id, threading.Lock())
        with lock, self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                key = zlib.crc32(f"wiift-rotate:{team_id}".encode()) - 2**31
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
            if bot is None or not _expiring(bot):
                return bot
            try:
                fresh = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=int(REFRESH_BEFORE.total_seconds() // 60)
                )
            except SlackApiError as exc:
                log.warning("token refresh failed for team=%s: %s", team_id, (exc.response.data or {}).get("error"))
                return None
            if fresh is not None:
                self.store.save_bot(fresh)
                log.info("bot token refreshed: team=%s", team_id)
            return fresh or bot


def _expiring(bot: Bot) -> bool:
    if not bot.bot_refresh_token or bot.bot_token_expires_at is None:
        return False
    expires = datetime.fromtimestamp(int(bot.bot_token_expires_at), UTC)
    return expires - datetime.now(UTC) < REFRESH_BEFORE
