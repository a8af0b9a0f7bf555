"""Composition root: settings → engine → Bolt app → listeners → server.

`tourism serve` (or `python app.py`) starts the bot; `tourism migrate` brings the database schema
up to date. Settings come from the environment and a `.env` file in the working directory.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError

from dotenv import load_dotenv
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.clock import Clock, clock_for
from bot.services.workspaces import register_workspace
from bot.settings import Settings, SettingsError, load_database_url, load_settings
from handlers import register_all
from handlers.deps import Deps
from infra.http import HttpServer, slack_wsgi_app
from infra.logs import configure_logging
from infra.slack_client import build_web_client
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger("tourism")


@dataclass
class TourismApp:
    bolt: App
    deps: Deps
    engine: Engine

    def close(self) -> None:
        self.engine.dispose()


def create_app(settings: Settings, clock: Clock | None = None) -> TourismApp:
    """Builds the Bolt app with every listener; the caller decides how to serve it."""
    clock = clock or clock_for(settings.clock_file)
    engine = create_db_engine(settings.database_url)
    sessions = session_factory(engine)
    deps = Deps(settings=settings, clock=clock, uow=lambda: SqlUnitOfWork(sessions))
    client = build_web_client(settings)
    bolt = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # Unhandled events get 404 and Slack retries them: keep the manifest's list in step.
        raise_error_for_unhandled_request=False,
    )
    register_all(bolt, deps)
    return TourismApp(bolt=bolt, deps=deps, engine=engine)


def register_this_workspace(client: WebClient, deps: Deps) -> None:
    identity = client.auth_test()
    register_workspace(
        deps.uow,
        identity["team_id"],
        name=identity.get("team", ""),
        bot_user_id=identity["user_id"],
        now=deps.clock.now(),
    )


def serve(settings: Settings) -> None:
    migrate.upgrade(settings.database_url)
    tourism = create_app(settings)
    register_this_workspace(tourism.bolt.client, tourism.deps)
    if settings.socket_mode:
        log.info("Team tourism bot connected through Socket Mode")
        SocketModeHandler(tourism.bolt, settings.slack_app_token).start()
        return
    wsgi = slack_wsgi_app(tourism.bolt, settings.slack_signing_secret or "")
    server = HttpServer(wsgi, "0.0.0.0", settings.port)
    log.info("Team tourism bot listening on %s/slack/events", server.url)
    server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tourism", description="The team tourism Slack bot.")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="migrate the database and start the bot (the default)")
    commands.add_parser("migrate", help="bring the database schema up to date and exit")
    args = parser.parse_args(argv)

    load_dotenv(Path.cwd() / ".env")
    try:
        if args.command == "migrate":
            return run_migrate(load_database_url())
        return run_serve(load_settings())
    except SettingsError as error:
        for problem in error.problems:
            _fail(problem)
        print("tourism: see .env.example for every setting.", file=sys.stderr)
    except OperationalError as error:
        _fail(f"cannot reach the database ({error.orig or error}); check DATABASE_URL.")
    except (BoltError, SlackApiError) as error:
        _fail(f"Slack refused to start the bot ({error}); check SLACK_BOT_TOKEN and SLACK_API_URL.")
    except URLError as error:
        _fail(f"cannot reach the Slack API ({error.reason}); check the network and SLACK_API_URL.")
    return 2


def run_migrate(database_url: str) -> int:
    migrate.upgrade(database_url)
    print("tourism: the database schema is up to date.")
    return 0


def run_serve(settings: Settings) -> int:
    configure_logging(
        settings.log_level,
        secrets=(settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token),
    )
    try:
        serve(settings)
    except KeyboardInterrupt:
        log.info("stopped")
    return 0


def _fail(problem: str) -> None:
    print(f"tourism: cannot start: {problem}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
