from __future__ import annotations

import pytest

from bot.core.settings import ConfigError, Settings

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


def test_defaults() -> None:
    settings = Settings.from_env(BASE)
    assert settings.database_url == "sqlite:///wiift.db"
    assert settings.deal_channel_prefix == "deal-"
    assert settings.default_tz == "UTC"
    assert settings.nudge_lead_minutes == 60
    assert not settings.socket_mode
    assert (settings.log_level, settings.log_format) == ("INFO", "text")


def test_everything_set() -> None:
    settings = Settings.from_env(
        BASE
        | {
            "SLACK_APP_TOKEN": "xapp-1",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "DATABASE_URL": "postgresql://localhost/test",
            "WIIFT_DEAL_CHANNEL_PREFIX": "Opp-",
            "WIIFT_DEFAULT_TZ": "Europe/Berlin",
            "WIIFT_NUDGE_LEAD_MINUTES": "30",
            "WIIFT_LOG_LEVEL": "debug",
            "WIIFT_LOG_FORMAT": "JSON",
        }
    )
    assert settings.socket_mode
    assert settings.api_url == "http://127.0.0.1:9/api/"
    assert settings.deal_channel_prefix == "opp-"
    assert settings.nudge_lead_minutes == 30
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")


@pytest.mark.parametrize(
    ("env", "processes"),
    [
        (BASE, 0),  # SQLite: one writer, so the job threads stay in the serving process
        (BASE | {"DATABASE_URL": "postgresql://localhost/test"}, 1),
        (BASE | {"DATABASE_URL": "postgresql://localhost/test", "WIIFT_JOB_PROCESSES": "0"}, 0),
        (BASE | {"WIIFT_JOB_PROCESSES": "2"}, 2),  # asked for, on SQLite too
        (BASE | {"DATABASE_URL": "sqlite://", "WIIFT_JOB_PROCESSES": "2"}, 0),  # in memory: this process's alone
    ],
)
def test_job_processes_by_database(env: dict[str, str], processes: int) -> None:
    assert Settings.from_env(env).job_process_count == processes


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (BASE | {"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN"),
        (BASE | {"SLACK_APP_TOKEN": "nope"}, "SLACK_APP_TOKEN"),
        (BASE | {"SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
        (BASE | {"DATABASE_URL": "wiift.db"}, "DATABASE_URL"),
        (BASE | {"WIIFT_DEFAULT_TZ": "Mars/Olympus"}, "WIIFT_DEFAULT_TZ"),
        (BASE | {"WIIFT_NUDGE_LEAD_MINUTES": "-5"}, "WIIFT_NUDGE_LEAD_MINUTES"),
        (BASE | {"WIIFT_NUDGE_LEAD_MINUTES": "soon"}, "WIIFT_NUDGE_LEAD_MINUTES"),
        (BASE | {"WIIFT_DEAL_CHANNEL_PREFIX": " "}, "WIIFT_DEAL_CHANNEL_PREFIX"),
        (BASE | {"WIIFT_LOG_LEVEL": "chatty"}, "WIIFT_LOG_LEVEL"),
        (BASE | {"WIIFT_LOG_FORMAT": "xml"}, "WIIFT_LOG_FORMAT"),
        (BASE | {"WIIFT_JOB_PROCESSES": "many"}, "WIIFT_JOB_PROCESSES"),
        (BASE | {"WIIFT_JOB_PROCESSES": "33"}, "WIIFT_JOB_PROCESSES"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(env)
    assert named in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_example_values_from_env_example_are_refused_by_name() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-your-bot-token", "SLACK_SIGNING_SECRET": "real-secret"}
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN still holds the example value from \.env\.example"):
        Settings.from_env(env)
    env = {"SLACK_BOT_TOKEN": "xoxb-123-456", "SLACK_SIGNING_SECRET": "your-signing-secret"}
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET still holds the example value"):
        Settings.from_env(env)
