"""Settings, read once at start from the environment (and `.env`) into an immutable object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(ValueError):
    """A missing or malformed setting; its message is one line naming the setting."""


@dataclass(frozen=True, slots=True)
class Settings:
    bot_token: str
    signing_secret: str
    app_token: str | None = None
    api_url: str | None = None
    database_url: str = "sqlite:///wiift.db"
    deal_channel_prefix: str = "deal-"
    default_tz: str = "UTC"
    nudge_lead_minutes: int = 60

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

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

        database_url = text("DATABASE_URL") or "sqlite:///wiift.db"
        if "://" not in database_url:
            raise ConfigError("DATABASE_URL must be a URL such as sqlite:///wiift.db")

        prefix = env.get("WIIFT_DEAL_CHANNEL_PREFIX", "deal-").strip().lower()
        if not prefix or any(c.isspace() for c in prefix):
            raise ConfigError("WIIFT_DEAL_CHANNEL_PREFIX must be a non-empty channel-name prefix")

        return cls(
            bot_token=text("SLACK_BOT_TOKEN", required=True, prefix="xoxb-"),  # type: ignore[arg-type]
            signing_secret=text("SLACK_SIGNING_SECRET", required=True),  # type: ignore[arg-type]
            app_token=text("SLACK_APP_TOKEN", prefix="xapp-"),
            api_url=api_url,
            database_url=database_url,
            deal_channel_prefix=prefix,
            default_tz=default_tz,
            nudge_lead_minutes=int(lead_text),
        )
