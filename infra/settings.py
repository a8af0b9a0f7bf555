"""Settings read from the environment (and `.env`, loaded by the entrypoint, never at import).

Every setting is validated up front so that a bad value stops the start with one line that names
the variable and says how to fix it, instead of a traceback minutes later.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.core.clock import ClockFileError, read_clock_file
from bot.workspaces.service import InstalledWorkspace

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///tourism.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
# The values .env.example ships with ("xoxb-your-bot-token", "your-signing-secret", …): copying
# the example without filling it in must stop the start, not fail later at Slack.
_PLACEHOLDER = re.compile(r"(^|[-_])your[-_]", re.IGNORECASE)
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_RATE = re.compile(r"^([a-z]+\.[A-Za-z]+(?:\.per_conversation)?)=(\d+(?:\.\d+)?)$")


class SettingsError(Exception):
    """One or more settings are missing or malformed; each problem is one line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class WebServerSettings:
    """Limits of the HTTP server (`tourism web`, `tourism serve` in HTTP mode)."""

    threads: int = 8  # requests handled at once; more wait in the queue
    max_connections: int = 1000  # open client connections, idle and slow ones included
    request_timeout: int = 10  # seconds a client may stay silent before it is disconnected
    # listeners working after their ack at once: each more adds to what an ack competes with for
    # the one core a Python process uses, each fewer overlaps fewer waits on Slack
    work_slots: int = 4
    # processes answering what listeners declared acknowledged-first (Home tabs, lists, matches)
    # once the ack is sent; 0 answers them in the work slots, competing with acks for the GIL
    work_processes: int = 0


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
    # Forgetting people and workspaces (README "Forgetting people and workspaces").
    forget_grace_days: int = 30
    uninstall_retention_days: int = 30
    tombstone_salt: str = ""
    socket_mode: bool = False
    web: WebServerSettings = field(default_factory=WebServerSettings)
    shutdown_seconds: int = 20
    # Many workspaces (Slack's OAuth install flow): all three set, or none.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_state_secret: str | None = None
    # Calls a minute by Slack method, replacing Slack's published limits the bot paces at.
    slack_rates: Mapping[str, float] = field(default_factory=dict)

    @property
    def oauth(self) -> bool:
        """Installed through /slack/install in any number of workspaces, not with one token."""
        return self.slack_client_id is not None

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

    def is_placeholder(self, name: str, value: str, where: str) -> bool:
        """Refuses a credential that is still the placeholder copied from .env.example."""
        if not _PLACEHOLDER.search(value):
            return False
        self.fail(
            name,
            f"is still the placeholder from .env.example ({value!r}): "
            f"replace it with the real value from {where}.",
        )
        return True

    def flag(self, name: str, default: bool) -> bool:
        raw = self.get(name)
        if raw is None:
            return default
        if raw.lower() not in _TRUE + _FALSE:
            self.fail(name, f"must be true or false, not {raw!r}.")
            return default
        return raw.lower() in _TRUE

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
        return None if self.is_placeholder(name, value, where) else value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or not low <= int(raw) <= high:
            self.fail(name, f"must be a whole number from {low} to {high}, not {raw!r}.")
            return default
        return int(raw)


def load_settings(env: Mapping[str, str] | None = None, *, socket_mode: bool = False) -> Settings:
    """Builds Settings from `env` (default: the process environment) or raises SettingsError.

    Socket Mode is used only when chosen: `socket_mode` (the command line's --socket-mode) or
    SOCKET_MODE=true. An app token alone does not select it.
    """
    reader = _Reader(os.environ if env is None else env)
    socket_mode = reader.flag("SOCKET_MODE", False) or socket_mode
    app_token = reader.token(
        "SLACK_APP_TOKEN", "xapp-", "Basic Information → App-Level Tokens", required=socket_mode
    )
    oauth = _oauth_credentials(reader, socket_mode=socket_mode)
    settings = Settings(
        slack_bot_token=reader.token(
            "SLACK_BOT_TOKEN",
            "xoxb-",
            "OAuth & Permissions → Bot User OAuth Token",
            required=oauth is None and not any(map(reader.get, OAUTH_SETTINGS)),
        )
        or "",
        slack_signing_secret=_signing_secret(reader, required=not socket_mode),
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
        forget_grace_days=reader.integer("TOURISM_FORGET_GRACE_DAYS", 30, 0, 3650),
        uninstall_retention_days=reader.integer("TOURISM_UNINSTALL_RETENTION_DAYS", 30, 0, 3650),
        tombstone_salt=load_tombstone_salt(reader.env),
        socket_mode=socket_mode,
        web=WebServerSettings(
            threads=reader.integer("WEB_THREADS", WebServerSettings.threads, 1, 256),
            max_connections=reader.integer(
                "WEB_MAX_CONNECTIONS", WebServerSettings.max_connections, 10, 100_000
            ),
            request_timeout=reader.integer(
                "WEB_REQUEST_TIMEOUT", WebServerSettings.request_timeout, 1, 600
            ),
            work_slots=reader.integer("WEB_WORK_SLOTS", WebServerSettings.work_slots, 1, 256),
            work_processes=reader.integer(
                "WEB_WORK_PROCESSES", WebServerSettings.work_processes, 0, 64
            ),
        ),
        shutdown_seconds=reader.integer("SHUTDOWN_SECONDS", Settings.shutdown_seconds, 1, 600),
        **(oauth or {}),
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


def load_business_time(env: Mapping[str, str] | None = None) -> tuple[ZoneInfo, Path | None]:
    """TOURISM_TIMEZONE and TOURISM_CLOCK_FILE: what a report needs besides the database, so
    `tourism report` runs without Slack credentials."""
    reader = _Reader(os.environ if env is None else env)
    zone, clock_file = _timezone(reader), _clock_file(reader)
    if reader.problems:
        raise SettingsError(reader.problems)
    return zone, clock_file


def load_tombstone_salt(env: Mapping[str, str] | None = None) -> str:
    """The secret that keys forgotten people's tombstones: TOURISM_TOMBSTONE_SALT, else the
    app's signing secret (both stay on the server); `tourism forget` needs only this."""
    env = os.environ if env is None else env
    for name in ("TOURISM_TOMBSTONE_SALT", "SLACK_SIGNING_SECRET"):
        if value := env.get(name, "").strip():
            return value
    return ""


OAUTH_SETTINGS = {
    "SLACK_CLIENT_ID": "slack_client_id",
    "SLACK_CLIENT_SECRET": "slack_client_secret",
    "SLACK_STATE_SECRET": "slack_state_secret",
}


def _oauth_credentials(reader: _Reader, *, socket_mode: bool) -> dict[str, str] | None:
    """The three OAuth settings, or None when the bot runs with one SLACK_BOT_TOKEN."""
    values = {name: reader.get(name) for name in OAUTH_SETTINGS}
    given = {name: value for name, value in values.items() if value is not None}
    if not given:
        return None
    problems_before = len(reader.problems)
    missing = [name for name in OAUTH_SETTINGS if name not in given]
    for name in missing:
        reader.fail(
            name,
            f"is missing: installing in many workspaces needs all of {', '.join(OAUTH_SETTINGS)} "
            "(Basic Information → App Credentials; the state secret is any long random string), "
            "or unset them all to use SLACK_BOT_TOKEN.",
        )
    secret = given.get("SLACK_STATE_SECRET")
    if secret is not None and len(secret) < 16:
        reader.fail("SLACK_STATE_SECRET", "is too short: use at least 16 random characters.")
    if socket_mode:
        reader.fail(
            "SOCKET_MODE",
            "cannot serve /slack/install: leave Socket Mode off to install the bot in many "
            "workspaces over HTTP.",
        )
    if len(reader.problems) > problems_before:
        return None
    return {OAUTH_SETTINGS[name]: value for name, value in given.items()}


def _signing_secret(reader: _Reader, *, required: bool) -> str | None:
    where = "Basic Information → App Credentials → Signing Secret"
    value = reader.get("SLACK_SIGNING_SECRET")
    if value is None and required:
        reader.fail(
            "SLACK_SIGNING_SECRET",
            f"is missing: HTTP mode needs it ({where}), "
            "or set SOCKET_MODE=true and SLACK_APP_TOKEN to use Socket Mode.",
        )
    elif value is not None and reader.is_placeholder("SLACK_SIGNING_SECRET", value, where):
        return None
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


def settings_for(defaults: Settings, workspace: InstalledWorkspace | None) -> Settings:
    """The settings that apply in `workspace`: its own organisers, channel and time zone where it
    has them, TOURISM_ADMINS, TOURISM_CHANNEL and TOURISM_TIMEZONE otherwise."""
    if workspace is None:
        return defaults
    zone = defaults.timezone
    if workspace.timezone:
        try:
            zone = ZoneInfo(workspace.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("workspace %s has an unknown time zone; using the default", workspace.id)
    return dataclasses.replace(
        defaults,
        admin_user_ids=(
            defaults.admin_user_ids if workspace.organiser_ids is None else workspace.organiser_ids
        ),
        announcement_channel=workspace.announcement_channel or defaults.announcement_channel,
        timezone=zone,
    )


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
