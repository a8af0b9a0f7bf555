"""Composition root: settings → engine → Bolt app → listeners → scheduler → server.

`tourism serve` (or `python app.py`) starts the bot; `tourism migrate` brings the database schema
up to date; `tourism import-teams FILE` loads the team directory. Settings come from the
environment and a `.env` file in the working directory.
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
from bot.scheduling.service import TourPlanner
from bot.services.team_import import UnknownWorkspaceError, import_teams
from bot.services.workspaces import register_workspace
from bot.settings import Settings, SettingsError, load_database_url, load_settings
from bot.team_file import TeamFileError, read_team_file
from bot.topics import VocabularyError, load_vocabulary
from handlers import register_all
from handlers.deps import Deps
from infra.delivery import SlackTimeZones
from infra.health import operations_routes, start_health_server
from infra.http import HttpServer, slack_wsgi_app
from infra.logs import configure_logging
from infra.metrics import ObservedApp
from infra.scheduler import start_ticker
from infra.slack_client import build_web_client
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.unit_of_work import SqlReader, SqlUnitOfWork

log = logging.getLogger("tourism")


@dataclass
class TourismApp:
    bolt: App
    deps: Deps
    engine: Engine
    tours: TourPlanner

    def close(self) -> None:
        self.engine.dispose()


def create_app(settings: Settings, clock: Clock | None = None) -> TourismApp:
    """Builds the Bolt app with every listener; the caller decides how to serve it."""
    clock = clock or clock_for(settings.clock_file)
    engine = create_db_engine(settings.database_url)
    sessions = session_factory(engine)
    client = build_web_client(settings)
    tours = TourPlanner(SlackTimeZones(client), settings.timezone)
    deps = Deps(
        settings=settings,
        clock=clock,
        uow=lambda: SqlUnitOfWork(sessions),
        reader=lambda: SqlReader(sessions),
        vocabulary=load_vocabulary(settings.topics_file),
        on_tour=tours,
    )
    bolt = ObservedApp(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # Unhandled events get 404 and Slack retries them: keep the manifest's list in step.
        raise_error_for_unhandled_request=False,
    )
    register_all(bolt, deps)
    return TourismApp(bolt=bolt, deps=deps, engine=engine, tours=tours)


def register_this_workspace(client: WebClient, deps: Deps) -> str:
    identity = client.auth_test()
    register_workspace(
        deps.uow,
        identity["team_id"],
        name=identity.get("team", ""),
        bot_user_id=identity["user_id"],
        now=deps.clock.now(),
    )
    return str(identity["team_id"])


def serve(settings: Settings) -> None:
    migrate.upgrade(settings.database_url)
    tourism = create_app(settings)
    workspace_id = register_this_workspace(tourism.bolt.client, tourism.deps)
    ticker = start_ticker(settings, tourism.deps, workspace_id, tourism.tours)
    operations = operations_routes(tourism.deps, tourism.engine, ticker.heartbeat)
    health = None
    if settings.health_port and (settings.socket_mode or settings.health_port != settings.port):
        health = start_health_server(operations, settings.health_port)
    try:
        if settings.socket_mode:
            log.info("Team tourism bot connected through Socket Mode")
            SocketModeHandler(tourism.bolt, settings.slack_app_token).start()
            return
        wsgi = slack_wsgi_app(tourism.bolt, settings.slack_signing_secret or "")
        server = HttpServer(operations.in_front_of(wsgi), "0.0.0.0", settings.port)
        log.info("Team tourism bot listening on %s/slack/events", server.url)
        server.serve_forever()
    finally:
        if health is not None:
            health.stop()
        ticker.stop()
        tourism.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tourism", description="The team tourism Slack bot.")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="migrate the database and start the bot (the default)")
    commands.add_parser("migrate", help="bring the database schema up to date and exit")
    commands.add_parser("doctor", help="check settings, Slack token, scopes, channel and database")
    teams_import = commands.add_parser(
        "import-teams", help="add or update teams of the directory from a CSV or YAML file"
    )
    teams_import.add_argument("file", type=Path, help="a .csv, .yml or .yaml file (see README)")
    teams_import.add_argument(
        "--workspace",
        metavar="T0123ABCD",
        help="the Slack workspace ID; without it the bot's settings are used to ask Slack",
    )
    demo = commands.add_parser(
        "demo", help="play a whole programme against a local Slack stand-in, no Slack app needed"
    )
    demo.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the database and write transcript.html"
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        from infra.demo import run_demo  # noqa: PLC0415 - only this command needs it

        return run_demo(args.keep)

    load_dotenv(Path.cwd() / ".env")
    try:
        if args.command == "migrate":
            return run_migrate(load_database_url())
        if args.command == "import-teams":
            return run_import_teams(args.file, args.workspace)
        if args.command == "doctor":
            from infra.doctor import run_doctor  # noqa: PLC0415 - only this command needs it

            return run_doctor()
        return run_serve(load_settings())
    except SettingsError as error:
        for problem in error.problems:
            _fail(problem)
        print("tourism: see .env.example for every setting.", file=sys.stderr)
    except OperationalError as error:
        _fail(f"cannot reach the database ({error.orig or error}); check DATABASE_URL.")
    except (BoltError, SlackApiError) as error:
        _fail(f"Slack refused to start the bot ({error}); check SLACK_BOT_TOKEN and SLACK_API_URL.")
    except VocabularyError as error:
        _fail(f"the topic vocabulary is unusable: {error}; fix it or TOURISM_TOPICS_FILE.")
    except URLError as error:
        _fail(f"cannot reach the Slack API ({error.reason}); check the network and SLACK_API_URL.")
    return 2


def run_migrate(database_url: str) -> int:
    migrate.upgrade(database_url)
    print("tourism: the database schema is up to date.")
    return 0


def run_import_teams(path: Path, workspace_id: str | None) -> int:
    """0 when every row was fine, 1 when some were rejected, 2 when the file could not be read.

    With `--workspace` the workspace must be known (the bot registers it when it first starts);
    without it the bot's settings are loaded and Slack says which workspace the token is for.
    """
    try:
        rows = read_team_file(path)
    except TeamFileError as error:
        print(f"tourism: cannot import: {error}", file=sys.stderr)
        return 2
    database_url = load_database_url()
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    clock = clock_for(None)
    try:
        if workspace_id is None:
            settings = load_settings()
            deps = Deps(
                settings=settings,
                clock=clock,
                uow=lambda: SqlUnitOfWork(sessions),
                reader=lambda: SqlReader(sessions),
                vocabulary=load_vocabulary(settings.topics_file),
            )
            workspace_id = register_this_workspace(build_web_client(settings), deps)
        report = import_teams(
            lambda: SqlUnitOfWork(sessions),
            workspace_id=workspace_id,
            rows=rows,
            source=path.name,
            now=clock.now(),
        )
    except UnknownWorkspaceError:
        print(
            f"tourism: cannot import: workspace {workspace_id} is not in the database yet. "
            "Start the bot once (tourism serve), or leave out --workspace to ask Slack.",
            file=sys.stderr,
        )
        return 2
    finally:
        engine.dispose()
    for row in report.rejected:
        name = row.name or "no name"
        print(f"tourism: {path} line {row.line} ({name}): {' '.join(row.reasons)}", file=sys.stderr)
    print(f"tourism: {path}: {report.summary()}.")
    return 1 if report.rejected else 0


def run_serve(settings: Settings) -> int:
    configure_logging(
        settings.log_level,
        secrets=(settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token),
        fmt=settings.log_format,
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
