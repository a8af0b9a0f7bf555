from pathlib import Path

import pytest
from dotenv import dotenv_values

from infra.settings import (
    DEFAULT_DATABASE_URL,
    SettingsError,
    WebServerSettings,
    load_database_url,
    load_settings,
)

GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-abc",
    "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
}


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as raised:
        load_settings(env)
    return raised.value.problems


def test_defaults_for_a_minimal_http_setup():
    settings = load_settings(GOOD)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.port == 3000
    assert not settings.socket_mode
    assert settings.tick_seconds == 30
    assert settings.timezone.key == "UTC"
    assert settings.log_level == "INFO"
    assert settings.admin_user_ids == frozenset()


def test_socket_mode_needs_no_signing_secret():
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-A-1-x", "SOCKET_MODE": "true"}
    )
    assert settings.socket_mode


def test_an_app_token_alone_does_not_choose_socket_mode():
    settings = load_settings({**GOOD, "SLACK_APP_TOKEN": "xapp-1-A-1-x"})
    assert not settings.socket_mode


def test_socket_mode_chosen_on_the_command_line_needs_the_app_token():
    assert load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-A-1-x"}, socket_mode=True
    ).socket_mode
    [problem] = problems({"SLACK_BOT_TOKEN": "xoxb-1", "SOCKET_MODE": "yes"})
    assert problem.startswith("SLACK_APP_TOKEN is missing")


def test_the_placeholders_of_env_example_are_refused_as_placeholders():
    example = dotenv_values(Path(__file__).resolve().parents[2] / ".env.example")
    env = {name: value or "" for name, value in example.items()}
    env |= {"SOCKET_MODE": "true", "SLACK_APP_TOKEN": "xapp-your-app-level-token"}
    reported = problems(env)
    assert {problem.split()[0] for problem in reported} == {
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
    }
    assert all("placeholder from .env.example" in problem for problem in reported)


def test_web_server_limits_default_and_can_be_set():
    assert load_settings(GOOD).web == WebServerSettings(8, 1000, 10, 4)
    settings = load_settings(
        {
            **GOOD,
            "WEB_THREADS": "4",
            "WEB_MAX_CONNECTIONS": "50",
            "WEB_REQUEST_TIMEOUT": "5",
            "WEB_WORK_SLOTS": "2",
            "WEB_WORK_PROCESSES": "3",
            "SHUTDOWN_SECONDS": "9",
        }
    )
    assert settings.web == WebServerSettings(
        threads=4, max_connections=50, request_timeout=5, work_slots=2, work_processes=3
    )
    assert settings.shutdown_seconds == 9


@pytest.mark.parametrize(
    ("env", "name", "hint"),
    [
        ({}, "SLACK_BOT_TOKEN", "is missing"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN", "xoxb-"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "not a secret!"}, "SLACK_SIGNING_SECRET", "copy it again"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN", "xapp-"),
        ({"SOCKET_MODE": "maybe"}, "SOCKET_MODE", "true or false"),
        ({"WEB_THREADS": "0"}, "WEB_THREADS", "from 1 to 256"),
        ({"WEB_MAX_CONNECTIONS": "many"}, "WEB_MAX_CONNECTIONS", "whole number"),
        ({"WEB_REQUEST_TIMEOUT": "0"}, "WEB_REQUEST_TIMEOUT", "from 1 to 600"),
        ({"WEB_WORK_PROCESSES": "-1"}, "WEB_WORK_PROCESSES", "whole number from 0 to 64"),
        ({"SHUTDOWN_SECONDS": "-1"}, "SHUTDOWN_SECONDS", "whole number"),
        ({"PORT": "http"}, "PORT", "whole number from 1 to 65535"),
        ({"PORT": "70000"}, "PORT", "whole number"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL", "sqlite:///"),
        (
            {"DATABASE_URL": "mysql://root@localhost/db"},
            "DATABASE_URL",
            "only sqlite and postgresql",
        ),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL", "http(s) URL"),
        ({"TOURISM_CHANNEL": "#tourism"}, "TOURISM_CHANNEL", "channel ID"),
        ({"TOURISM_ADMINS": "U012ABC,@alice"}, "TOURISM_ADMINS", "@alice"),
        ({"TOURISM_TIMEZONE": "Mars/Olympus"}, "TOURISM_TIMEZONE", "Europe/Warsaw"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL", "DEBUG, INFO"),
        ({"TOURISM_CLOCK_FILE": "/nonexistent/now.txt"}, "TOURISM_CLOCK_FILE", "not a readable"),
        ({"TOURISM_TICK_SECONDS": "0"}, "TOURISM_TICK_SECONDS", "from 1 to 3600"),
        ({"TOURISM_TOPICS_FILE": "/nonexistent.yml"}, "TOURISM_TOPICS_FILE", "not a readable"),
        ({"SLACK_RATE_LIMITS": "chat.postMessage:600"}, "SLACK_RATE_LIMITS", "calls a minute"),
        ({"SLACK_RATE_LIMITS": "chat.postMessage=0"}, "SLACK_RATE_LIMITS", "=600"),
    ],
)
def test_each_bad_setting_is_named_with_a_fix(env, name, hint):
    env = {**GOOD, **env} if env else {}
    found = [problem for problem in problems(env) if problem.startswith(name)]
    assert len(found) == 1
    assert hint in found[0]
    assert "\n" not in found[0]


def test_every_problem_is_reported_at_once():
    reported = problems({"PORT": "x", "LOG_LEVEL": "loud"})
    assert [problem.split()[0] for problem in reported] == [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "PORT",
        "LOG_LEVEL",
    ]


def test_clock_file_with_garbage_is_refused(tmp_path: Path):
    clock_file = tmp_path / "now.txt"
    clock_file.write_text("next tuesday")
    [problem] = problems({**GOOD, "TOURISM_CLOCK_FILE": str(clock_file)})
    assert "ISO 8601" in problem


def test_values_are_parsed():
    settings = load_settings(
        {
            **GOOD,
            "PORT": "8080",
            "TOURISM_ADMINS": " U0ABC , W0DEF ",
            "TOURISM_CHANNEL": "C0TOURISM",
            "TOURISM_TIMEZONE": "Europe/Warsaw",
            "LOG_LEVEL": "debug",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "TOURISM_TICK_SECONDS": "5",
        }
    )
    assert settings.port == 8080
    assert settings.admin_user_ids == {"U0ABC", "W0DEF"}
    assert settings.is_admin("W0DEF") and not settings.is_admin("U0OTHER")
    assert settings.announcement_channel == "C0TOURISM"
    assert settings.timezone.key == "Europe/Warsaw"
    assert settings.log_level == "DEBUG"
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.tick_seconds == 5


def test_plain_postgresql_urls_use_psycopg_3():
    url = load_database_url({"DATABASE_URL": "postgresql://u:p%40ss@db:5432/tourism"})
    assert url == "postgresql+psycopg://u:p%40ss@db:5432/tourism"


def test_slack_rates_are_calls_a_minute_by_method():
    settings = load_settings(
        {
            **GOOD,
            "SLACK_RATE_LIMITS": "chat.postMessage=600, chat.postMessage.per_conversation=90",
        }
    )
    assert settings.slack_rates == {
        "chat.postMessage": 600,
        "chat.postMessage.per_conversation": 90,
    }
    assert load_settings(GOOD).slack_rates == {}
