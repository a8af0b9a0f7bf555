"""Settings read from the environment (and `.env`, loaded by the entrypoint, never at import).

Every setting is validated up front so that a bad value stops the start with one line that names
the variable and says how to fix it, instead of a traceback minutes later.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.clock import ClockFileError, read_clock_file

DEFAULT_DATABASE_URL = "sqlite:///tourism.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
_RATE = re.compile(r"^([a-z]+\.[A-Za-z]+(?:\.per_conversation)?)=(\d+(?:\.\d+)?)$")


class SettingsError(Exception):
    """One or more settings are missing or malformed; each problem is one line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    slack_signing_secret: str | None
    slack_app_token: str | None
    port: int
    database_url: str
    slack_api_url: str | None
    announcement_channel: str | None
    admin_user_ids: frozenset[str]
    timezone: ZoneInfo
    log_level: str
    clock_file: Path | None
    tick_seconds: int
    topics_file: Path | None = None
    health_port: int | None = None
    log_format: str = "text"
    inbox_retention_days: int = 30
    # Calls a minute by Slack method, replacing Slack's published limits the bot paces at.
    slack_rates: Mapping[str, float] = field(default_factory=dict)

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admin_user_ids


class _Reader:
    """Collects every problem instead of stopping at the first, so one start shows them all."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def get(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def fail(self, name: str, message: str) -> None:
        self.problems.append(f"{name} {message}")

    def token(self, name: str, prefix: str, where: str, *, required: bool) -> str | None:
        value = self.get(name)
        if value is None:
            if required:
                self.fail(name, f"is missing: set it to the {prefix}… token from {where}.")
            return None
        if not value.startswith(prefix):
            self.fail(name, f"does not look right: it must start with {prefix} (see {where}).")
            return None
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or not low <= int(raw) <= high:
            self.fail(name, f"must be a whole number from {low} to {high}, not {raw!r}.")
            return default
        return int(raw)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Builds Settings from `env` (default: the process environment) or raises SettingsError."""
    reader = _Reader(os.environ if env is None else env)
    app_token = reader.token(
        "SLACK_APP_TOKEN", "xapp-", "Basic Information → App-Level Tokens", required=False
    )
    settings = Settings(
        slack_bot_token=reader.token(
            "SLACK_BOT_TOKEN", "xoxb-", "OAuth & Permissions → Bot User OAuth Token", required=True
        )
        or "",
        slack_signing_secret=_signing_secret(reader, required=app_token is None),
        slack_app_token=app_token,
        port=reader.integer("PORT", 3000, 1, 65535),
        database_url=_database_url(reader),
        slack_api_url=_api_url(reader),
        announcement_channel=_channel(reader),
        admin_user_ids=_admins(reader),
        timezone=_timezone(reader),
        log_level=_log_level(reader),
        clock_file=_clock_file(reader),
        tick_seconds=reader.integer("TOURISM_TICK_SECONDS", 30, 1, 3600),
        topics_file=_topics_file(reader),
        health_port=reader.integer("HEALTH_PORT", 0, 1, 65535) or None,
        log_format=_log_format(reader),
        inbox_retention_days=reader.integer("TOURISM_INBOX_RETENTION_DAYS", 30, 1, 3650),
        slack_rates=_slack_rates(reader),
    )
    if reader.problems:
        raise SettingsError(reader.problems)
    return settings


def load_database_url(env: Mapping[str, str] | None = None) -> str:
    """Just DATABASE_URL: all `tourism migrate` needs, so it runs without Slack credentials."""
    reader = _Reader(os.environ if env is None else env)
    url = _database_url(reader)
    if reader.problems:
        raise SettingsError(reader.problems)
    return url


def _signing_secret(reader: _Reader, *, required: bool) -> str | None:
    value = reader.get("SLACK_SIGNING_SECRET")
    if value is None and required:
        reader.fail(
            "SLACK_SIGNING_SECRET",
            "is missing: HTTP mode needs it (Basic Information → Signing Secret), "
            "or set SLACK_APP_TOKEN to use Socket Mode.",
        )
    elif value is not None and not re.fullmatch(r"[0-9a-zA-Z]{16,}", value):
        reader.fail(
            "SLACK_SIGNING_SECRET",
            "does not look right: copy it again from Basic Information → Signing Secret.",
        )
    return value


def _database_url(reader: _Reader) -> str:
    raw = reader.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    try:
        url = make_url(raw)
    except ArgumentError:
        reader.fail(
            "DATABASE_URL",
            "is not a database URL: use sqlite:///tourism.db or postgresql://user@host/dbname.",
        )
        return DEFAULT_DATABASE_URL
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        reader.fail("DATABASE_URL", f"uses {backend!r}: only sqlite and postgresql are supported.")
        return DEFAULT_DATABASE_URL
    if backend == "postgresql" and url.drivername == "postgresql":
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _api_url(reader: _Reader) -> str | None:
    raw = reader.get("SLACK_API_URL")
    if raw is None:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        reader.fail(
            "SLACK_API_URL", f"must be an http(s) URL such as https://slack.com/api/, not {raw!r}."
        )
        return None
    # WebClient appends the method name to the base URL, so it must end with a slash.
    return raw if raw.endswith("/") else raw + "/"


def _channel(reader: _Reader) -> str | None:
    raw = reader.get("TOURISM_CHANNEL")
    if raw is not None and not _CHANNEL_ID.fullmatch(raw):
        reader.fail(
            "TOURISM_CHANNEL",
            f"must be a channel ID such as C0123ABCD, not {raw!r}: "
            "open the channel's details in Slack and copy the ID shown at the bottom.",
        )
        return None
    return raw


def _admins(reader: _Reader) -> frozenset[str]:
    raw = reader.get("TOURISM_ADMINS") or ""
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    bad = [user_id for user_id in ids if not _USER_ID.fullmatch(user_id)]
    if bad:
        reader.fail(
            "TOURISM_ADMINS",
            f"must list Slack user IDs separated by commas (like U0123ABCD), not {', '.join(bad)}: "
            "in Slack open a profile, ⋮ → Copy member ID.",
        )
    return frozenset(user_id for user_id in ids if user_id not in bad)


def _timezone(reader: _Reader) -> ZoneInfo:
    raw = reader.get("TOURISM_TIMEZONE") or "UTC"
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        reader.fail(
            "TOURISM_TIMEZONE",
            f"is not a time zone: use an IANA name such as Europe/Warsaw, not {raw!r}.",
        )
        return ZoneInfo("UTC")


def _log_level(reader: _Reader) -> str:
    raw = (reader.get("LOG_LEVEL") or "INFO").upper()
    if raw not in LOG_LEVELS:
        reader.fail("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}, not {raw!r}.")
        return "INFO"
    return raw


def _log_format(reader: _Reader) -> str:
    raw = (reader.get("LOG_FORMAT") or "text").lower()
    if raw not in LOG_FORMATS:
        reader.fail("LOG_FORMAT", f"must be text or json, not {raw!r}.")
        return "text"
    return raw


def _existing_file(reader: _Reader, name: str) -> Path | None:
    raw = reader.get(name)
    if raw is None:
        return None
    path = Path(raw).expanduser()
    if not path.is_file():
        reader.fail(name, f"points at {raw!r}, which is not a readable file.")
        return None
    return path


def _clock_file(reader: _Reader) -> Path | None:
    path = _existing_file(reader, "TOURISM_CLOCK_FILE")
    if path is not None:
        try:
            read_clock_file(path)
        except ClockFileError as error:
            reader.fail("TOURISM_CLOCK_FILE", str(error))
            return None
    return path


def _topics_file(reader: _Reader) -> Path | None:
    return _existing_file(reader, "TOURISM_TOPICS_FILE")


def _slack_rates(reader: _Reader) -> dict[str, float]:
    raw = reader.get("SLACK_RATE_LIMITS") or ""
    rates: dict[str, float] = {}
    for part in filter(None, (part.strip() for part in raw.split(","))):
        matched = _RATE.fullmatch(part)
        if matched is None or float(matched[2]) <= 0:
            reader.fail(
                "SLACK_RATE_LIMITS",
                "must list Slack methods with calls a minute separated by commas, like "
                f"chat.postMessage=600,conversations.open=100, not {part!r}.",
            )
            continue
        rates[matched[1]] = float(matched[2])
    return rates
