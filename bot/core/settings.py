"""Settings, read once at start from the environment (and `.env`) into an immutable object.

The wiring reads them (`Settings.from_env` in `bot.cli`); everything below is handed the object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(ValueError):
    """A missing or malformed setting; its message is one line naming the setting."""


DEFAULT_SCOPES = (  # the bot scopes manifest.json declares
    "channels:history,channels:join,channels:read,chat:write,commands,groups:history,groups:read,im:history,"
    "im:write,reactions:write,users:read"
)


# How the example values in .env.example begin: a copied file that was never filled in.
PLACEHOLDERS = ("xoxb-your-", "xapp-your-", "your-")


@dataclass(frozen=True, slots=True)
class Settings:
    bot_token: str | None
    signing_secret: str
    app_token: str | None = None
    api_url: str | None = None
    database_url: str = "sqlite:///wiift.db"
    deal_channel_prefix: str = "deal-"
    default_tz: str = "UTC"
    nudge_lead_minutes: int = 60
    client_id: str | None = None  # with client_secret: many workspaces, installed through OAuth
    client_secret: str | None = None
    scopes: tuple[str, ...] = tuple(DEFAULT_SCOPES.split(","))
    job_threads: int = 4
    job_processes: int | None = None  # `wiift run`'s job processes (see job_process_count); 0: threads
    job_lease_s: int = 30
    scheduler_lease_s: int = 30
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one JSON object a line

    @property
    def job_process_count(self) -> int:
        """`WIIFT_JOB_PROCESSES`, else one job process beside the server on PostgreSQL and none on SQLite: it has
        one writer, and a low-priority writer in another process makes acknowledgements wait behind its lock
        (`bench/ack.py`: p99 x5). An in-memory database is this process's alone."""
        if self.database_url.rstrip("/") == "sqlite:" or ":memory:" in self.database_url:
            return 0
        if self.job_processes is not None:
            return self.job_processes
        return 1 if self.database_url.startswith("postgresql") else 0

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def oauth(self) -> bool:
        """Many workspaces: installations come from OAuth, not one fixed bot token."""
        return self.bot_token is None and self.client_id is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def text(name: str, *, required: bool = False, prefix: str | None = None) -> str | None:
            value = (env.get(name) or "").strip()
            if not value:
                if required:
                    raise ConfigError(f"{name} is not set")
                return None
            if prefix and not value.startswith(prefix):
                raise ConfigError(f"{name} must start with {prefix!r}")
            if value.lower().startswith(PLACEHOLDERS):
                raise ConfigError(f"{name} still holds the example value from .env.example: set the real one")
            return value

        api_url = text("SLACK_API_URL")
        if api_url is not None:
            if not api_url.startswith(("http://", "https://")):
                raise ConfigError("SLACK_API_URL must be an http(s) URL")
            api_url = api_url.rstrip("/") + "/"

        default_tz = text("WIIFT_DEFAULT_TZ") or "UTC"
        try:
            ZoneInfo(default_tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"WIIFT_DEFAULT_TZ is not a known IANA time zone: {default_tz!r}") from None

        lead_text = text("WIIFT_NUDGE_LEAD_MINUTES") or "60"
        if not (lead_text.isdecimal() and len(lead_text) <= 4) or not 0 <= int(lead_text) <= 24 * 60:
            raise ConfigError("WIIFT_NUDGE_LEAD_MINUTES must be a whole number of minutes from 0 to 1440")

        database_url = database_url_from(env)
        log_level, log_format = log_options_from(env)

        prefix = env.get("WIIFT_DEAL_CHANNEL_PREFIX", "deal-").strip().lower()
        if not prefix or any(c.isspace() for c in prefix):
            raise ConfigError("WIIFT_DEAL_CHANNEL_PREFIX must be a non-empty channel-name prefix")

        def number(name: str, default: int, low: int, high: int) -> int:
            raw = text(name) or str(default)
            if not raw.isdigit() or not low <= int(raw) <= high:
                raise ConfigError(f"{name} must be a whole number from {low} to {high}")
            return int(raw)

        client_id, client_secret = text("SLACK_CLIENT_ID"), text("SLACK_CLIENT_SECRET")
        bot_token = text("SLACK_BOT_TOKEN", prefix="xoxb-")
        if bot_token is None and not (client_id and client_secret):
            raise ConfigError("SLACK_BOT_TOKEN is not set (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)")
        if bool(client_id) != bool(client_secret):
            raise ConfigError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together")
        scopes = tuple(s.strip() for s in (text("SLACK_SCOPES") or DEFAULT_SCOPES).split(",") if s.strip())

        return cls(
            bot_token=bot_token,
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            job_threads=number("WIIFT_JOB_THREADS", 4, 1, 64),
            job_processes=number("WIIFT_JOB_PROCESSES", 0, 0, 32) if text("WIIFT_JOB_PROCESSES") else None,
            job_lease_s=number("WIIFT_JOB_LEASE_SECONDS", 30, 2, 3600),
            scheduler_lease_s=number("WIIFT_SCHEDULER_LEASE_SECONDS", 30, 6, 3600),
            signing_secret=text("SLACK_SIGNING_SECRET", required=True),  # type: ignore[arg-type]
            app_token=text("SLACK_APP_TOKEN", prefix="xapp-"),
            api_url=api_url,
            database_url=database_url,
            deal_channel_prefix=prefix,
            default_tz=default_tz,
            nudge_lead_minutes=int(lead_text),
            log_level=log_level,
            log_format=log_format,
        )


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")


def database_url_from(env: Mapping[str, str]) -> str:
    """`DATABASE_URL` alone, for commands that need only the database (`wiift db`, `wiift export`)."""
    database_url = (env.get("DATABASE_URL") or "").strip() or "sqlite:///wiift.db"
    if "://" not in database_url:
        raise ConfigError("DATABASE_URL must be a URL such as sqlite:///wiift.db")
    return database_url


def log_options_from(env: Mapping[str, str]) -> tuple[str, str]:
    """(`WIIFT_LOG_LEVEL`, `WIIFT_LOG_FORMAT`), checked."""
    level = (env.get("WIIFT_LOG_LEVEL") or "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"WIIFT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    fmt = (env.get("WIIFT_LOG_FORMAT") or "").strip().lower() or "text"
    if fmt not in LOG_FORMATS:
        raise ConfigError("WIIFT_LOG_FORMAT must be text or json")
    return level, fmt
