"""`tourism doctor`: checks a deployment from the outside in, one line per check.

Settings, the bot token (auth.test), the scopes Slack granted against manifest.yml's, the
announcement channel, the database and its schema, and the time zone data. Each line starts with
`ok`, `warn`, `FAIL` or `skip` and says what to do; the exit status is 1 when any line is FAIL.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.error import URLError
from zoneinfo import ZoneInfo, available_timezones

import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from infra.settings import Settings, SettingsError, load_database_url, load_settings
from infra.slack_client import build_web_client
from storage.db import create_db_engine
from storage.migrate import schema_is_current

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"
SCOPES_HEADER = "x-oauth-scopes"
OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"


@dataclass(frozen=True)
class Finding:
    status: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.status:<4} {self.check}: {self.detail}"


def run_doctor(
    env: Mapping[str, str] | None = None, out: TextIO = sys.stdout, manifest: Path = MANIFEST
) -> int:
    """Prints one line per check; 1 when something is wrong, else 0."""
    failed = False
    for finding in diagnose(env, manifest):
        print(finding, file=out, flush=True)
        failed = failed or finding.status == FAIL
    return 1 if failed else 0


def diagnose(env: Mapping[str, str] | None, manifest: Path = MANIFEST) -> Iterator[Finding]:
    settings: Settings | None = None
    try:
        settings = load_settings(env)
    except SettingsError as error:
        for problem in error.problems:
            yield Finding(FAIL, "settings", problem)
    if settings is not None:
        mode = "Socket Mode" if settings.socket_mode else f"HTTP mode on port {settings.port}"
        yield Finding(OK, "settings", f"every setting is valid ({mode})")
    yield from _database(env)
    yield _time_zones(settings)
    if settings is None:
        for check in ("token", "scopes", "channel"):
            yield Finding(SKIP, check, "fix the settings above first")
        return
    if settings.oauth:
        for check in ("token", "scopes", "channel"):
            yield Finding(
                SKIP,
                check,
                "many workspaces: each installation has its own token, checked when it is "
                "installed at /slack/install",
            )
        return
    yield from _slack(settings, build_web_client(settings), manifest)


def _database(env: Mapping[str, str] | None) -> Iterator[Finding]:
    try:
        url = load_database_url(env)
    except SettingsError:
        yield Finding(SKIP, "database", "fix DATABASE_URL first")
        return
    where = make_url(url).render_as_string(hide_password=True)
    engine = create_db_engine(url)
    try:
        current = schema_is_current(engine)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        yield Finding(FAIL, "database", f"cannot reach {where} ({reason}): check DATABASE_URL.")
        return
    finally:
        engine.dispose()
    if current:
        yield Finding(OK, "database", f"{where} answers; schema at the newest migration")
    else:
        yield Finding(
            FAIL, "database", f"{where} answers but its schema is old: run `tourism migrate`."
        )


def _time_zones(settings: Settings | None) -> Finding:
    zones = available_timezones()
    if not zones:
        return Finding(
            FAIL,
            "time zones",
            "no time zone data: install the tzdata package (pip install tzdata, or the system's).",
        )
    detail = f"{len(zones)} zones available"
    if settings is not None:
        zone: ZoneInfo = settings.timezone
        detail += f"; TOURISM_TIMEZONE is {zone.key}"
    return Finding(OK, "time zones", detail)


def _slack(settings: Settings, client: WebClient, manifest: Path) -> Iterator[Finding]:
    try:
        identity = client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error")
        yield Finding(
            FAIL,
            "token",
            f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token again "
            "(OAuth & Permissions), or reinstall the app.",
        )
        yield Finding(SKIP, "scopes", "needs a working token")
        yield Finding(SKIP, "channel", "needs a working token")
        return
    except (URLError, OSError) as error:
        yield Finding(FAIL, "token", f"cannot reach Slack ({error}): check the network.")
        return
    yield Finding(
        OK,
        "token",
        f"bot user {identity.get('user_id')} in workspace {identity.get('team')} "
        f"({identity.get('team_id')})",
    )
    yield _scopes(identity, manifest)
    yield _channel(settings, client)


def _granted_scopes(response: SlackResponse) -> set[str] | None:
    for name, value in (response.headers or {}).items():
        if name.lower() == SCOPES_HEADER:
            text = value[0] if isinstance(value, list) else value
            return {scope.strip() for scope in str(text).split(",") if scope.strip()}
    return None


def _scopes(identity: SlackResponse, manifest: Path) -> Finding:
    try:
        wanted = set(yaml.safe_load(manifest.read_text())["oauth_config"]["scopes"]["bot"])
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        return Finding(WARN, "scopes", f"cannot read the bot scopes from {manifest}")
    granted = _granted_scopes(identity)
    if granted is None:
        return Finding(WARN, "scopes", "Slack did not say which scopes the token has")
    missing = sorted(wanted - granted)
    if missing:
        return Finding(
            FAIL,
            "scopes",
            f"the token lacks {', '.join(missing)}: add them from manifest.yml "
            "(OAuth & Permissions → Scopes) and reinstall the app.",
        )
    return Finding(OK, "scopes", f"all {len(wanted)} bot scopes of manifest.yml granted")


def _channel(settings: Settings, client: WebClient) -> Finding:
    channel_id = settings.announcement_channel
    if channel_id is None:
        return Finding(SKIP, "channel", "TOURISM_CHANNEL is not set: openings are not announced")
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        code = error.response.get("error")
        return Finding(
            FAIL,
            "channel",
            f"TOURISM_CHANNEL {channel_id}: Slack says {code}. Check the ID (channel details → "
            "About) and, for a private channel, invite the bot with /invite.",
        )
    name = f"#{channel.get('name', channel_id)}"
    if channel.get("is_archived"):
        return Finding(FAIL, "channel", f"{name} is archived: unarchive it or pick another.")
    if not channel.get("is_member"):
        if channel.get("is_private"):
            return Finding(FAIL, "channel", f"{name}: invite the bot with /invite.")
        return Finding(
            WARN,
            "channel",
            f"{name}: the bot is not a member yet; it joins by itself on its first post "
            "(or /invite it now).",
        )
    return Finding(OK, "channel", f"{name} exists and the bot is a member")
