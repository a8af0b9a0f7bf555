"""Composition root: settings → engine → Bolt app → listeners → scheduler → server.

The command line (cli.py) calls `run` here once it knows the command, so `tourism --help` does
not import any of this. The processes:
- `tourism web`: the HTTP server (or the Socket Mode connection) answering Slack;
- `tourism worker`: the ticker delivering the outbox and planning scheduled work;
- `tourism serve`: both in one process, for small installs (the default).
Each migrates the database first (replicas take turns) and stops gracefully on SIGTERM or
SIGINT: requests in progress are answered, claimed outbox rows handed back, then exit 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.error import URLError
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.core.clock import Clock, clock_for
from bot.core.topics import VocabularyError, load_vocabulary
from bot.directory.team_file import TeamFileError, read_team_file
from bot.directory.team_import import ImportReport, UnknownWorkspaceError, import_teams
from bot.export.files import write_table
from bot.export.model import Dataset, Format
from bot.export.service import export_table
from bot.scheduling.service import TourPlanner
from bot.stats.model import report_periods
from bot.stats.service import organiser_report
from bot.stats.tables import report_text
from bot.workspaces.service import InstalledWorkspace, register_workspace
from handlers import register_all
from handlers.openings.announcements import update_announcements
from infra.delivery import SlackTimeZones
from infra.deps import Deps
from infra.health import OperationsRoutes, operations_routes, start_health_server
from infra.http import HttpServer, PortInUseError, slack_wsgi_app
from infra.listeners import AckFirstPool, SlotLazyRunner
from infra.logs import configure_logging
from infra.metrics import ObservedApp
from infra.oauth import MultiWorkspace
from infra.scheduler import ClosedAnnouncer, Ticker, build_ticker
from infra.settings import (
    Settings,
    SettingsError,
    load_business_time,
    load_database_url,
    load_settings,
)
from infra.slack_client import build_web_client
from infra.work_processes import ProcessLazyRunner
from infra.workspace_scope import ScopedSettings, ScopedWebClient
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.matching_cache import MatchIndexes
from storage.unit_of_work import SqlReader, SqlUnitOfWork

log = logging.getLogger("tourism")


@dataclass
class TourismApp:
    bolt: App
    deps: Deps
    engine: Engine
    listeners: AckFirstPool
    tours: TourPlanner
    announce_closed: ClosedAnnouncer  # for the ticker: openings it closed, as a manual close
    work: ProcessLazyRunner | None  # worker processes answering after the ack; None: threads
    workspaces: MultiWorkspace | None = None  # many workspaces (OAuth); None: one bot token

    def close(self) -> None:
        """Waits for listeners still running after their acknowledgement, then lets go."""
        self.listeners.shutdown(wait=True)
        if self.work is not None:
            self.work.shutdown()
        self.engine.dispose()


def create_app(settings: Settings, clock: Clock | None = None) -> TourismApp:
    """Builds the Bolt app with every listener; the caller decides how to serve it."""
    clock = clock or clock_for(settings.clock_file)
    engine = create_db_engine(settings.database_url)
    sessions = session_factory(engine)
    indexes = MatchIndexes()  # this process's matching indexes, kept between requests
    client = build_web_client(settings, ScopedWebClient if settings.oauth else WebClient)
    # With many workspaces, each request and each scheduler step sees its own workspace's.
    scoped = ScopedSettings.over(settings) if settings.oauth else settings
    tours = TourPlanner(SlackTimeZones(client), lambda: scoped.timezone)
    deps = Deps(
        settings=scoped,
        clock=clock,
        uow=lambda: SqlUnitOfWork(sessions, indexes),
        reader=lambda: SqlReader(sessions, indexes),
        vocabulary=load_vocabulary(settings.topics_file),
        on_tour=tours,
    )
    # Bolt runs each listener here while the request's thread waits for its ack: a thread for
    # every listener (as many as connections), so an ack never queues behind work done after
    # another's, and WEB_WORK_SLOTS of them working after their ack at a time.
    # The pool carries each request's id into its listener's log lines.
    listeners = AckFirstPool(
        max_threads=settings.web.max_connections, work_slots=settings.web.work_slots
    )
    workspaces = MultiWorkspace(settings, engine, deps) if settings.oauth else None
    bolt = ObservedApp(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # Unhandled events get 404 and Slack retries them: keep the manifest's list in step.
        raise_error_for_unhandled_request=False,
        listener_executor=listeners,
        **(workspaces.bolt_options() if workspaces else {}),
    )
    # Lazy listeners (the work after an ack that needs nothing of the work) run in worker
    # processes if there are any, else in the listeners' work slots.
    work = (
        ProcessLazyRunner(settings.web.work_processes, worker_bolt, settings, clock)
        if settings.web.work_processes
        else None
    )
    bolt.listener_runner.lazy_listener_runner = work or SlotLazyRunner(listeners)
    register_all(bolt, deps)
    if workspaces:
        workspaces.register(bolt)
    return TourismApp(
        bolt=bolt,
        deps=deps,
        engine=engine,
        listeners=listeners,
        tours=tours,
        announce_closed=lambda client, openings: update_announcements(client, deps, openings),
        work=work,
        workspaces=workspaces,
    )


def worker_bolt(settings: Settings, clock: Clock) -> App:
    """The app of a worker process: the same listeners and clock, answering lazy listeners."""
    web = dataclasses.replace(settings.web, work_processes=0)
    return create_app(dataclasses.replace(settings, web=web), clock).bolt


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


class AppTokenRefusedError(Exception):
    """Slack refused SLACK_APP_TOKEN when opening the Socket Mode connection."""


@dataclass(frozen=True)
class Roles:
    """What one process runs: the front door for Slack (web), the ticker (worker), or both."""

    web: bool
    worker: bool


ROLES = {
    "serve": Roles(web=True, worker=True),
    "web": Roles(web=True, worker=False),
    "worker": Roles(web=False, worker=True),
}


SIGNAL_CHECK_SECONDS = 0.5


def serve(settings: Settings, roles: Roles) -> None:
    """Runs until SIGTERM or SIGINT, then winds down in order: Slack's side, then the ticker."""
    migrate.upgrade(settings.database_url)
    tourism = create_app(settings)
    stopping = threading.Event()
    try:
        many = tourism.workspaces
        workspace_id = "" if many else register_this_workspace(tourism.bolt.client, tourism.deps)
        # The front door opens (the port is bound) before the ticker starts, so a busy port
        # stops the start before anything is sent.
        ticker = (
            build_ticker(
                settings,
                tourism.deps,
                workspace_id,
                tourism.tours,
                workspaces=many.active if many else None,
                announce_closed=tourism.announce_closed,
            )
            if roles.worker
            else None
        )
        operations = operations_routes(
            tourism.deps, tourism.engine, ticker.heartbeat if ticker else None
        )
        serves_http = roles.web and not settings.socket_mode
        http = _http_server(tourism, settings, operations) if serves_http else None
        health = _health_server(settings, operations, serves_http)
        socket = _socket_mode(tourism, settings) if roles.web and settings.socket_mode else None
        _stop_on_signals(stopping.set)
        if ticker is not None:
            ticker.start()
        try:
            if http is not None:
                log.info("Team tourism bot listening on %s/slack/events", http.url)
                http.serve_until(stopping, drain_seconds=settings.shutdown_seconds)
            else:
                # Waits in short steps: a signal may land on another thread, and Python runs
                # its handler only when the main thread wakes (an endless wait never does).
                while not stopping.wait(timeout=SIGNAL_CHECK_SECONDS):
                    pass
        finally:
            _stop(socket, ticker, health)
    finally:
        tourism.close()
    log.info("stopped")


def _http_server(
    tourism: TourismApp, settings: Settings, operations: OperationsRoutes
) -> HttpServer:
    wsgi = slack_wsgi_app(tourism.bolt, settings.slack_signing_secret or "")
    return HttpServer(operations.in_front_of(wsgi), "0.0.0.0", settings.port, settings.web)


def _health_server(
    settings: Settings, operations: OperationsRoutes, serves_http: bool
) -> HttpServer | None:
    """Health, readiness and metrics on HEALTH_PORT: the only way to reach them in Socket
    Mode or in a worker; in HTTP mode they are on PORT too."""
    if not settings.health_port or (serves_http and settings.health_port == settings.port):
        return None
    return start_health_server(operations, settings.health_port)


def _socket_mode(tourism: TourismApp, settings: Settings) -> SocketModeHandler:
    handler = SocketModeHandler(tourism.bolt, settings.slack_app_token)
    try:
        handler.connect()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
    except SlackApiError as error:
        raise AppTokenRefusedError(error.response.get("error", str(error))) from error
    log.info("Team tourism bot connected through Socket Mode")
    return handler


def _stop_on_signals(stop: Callable[[], None]) -> None:
    def handle(signum: int, _frame: object) -> None:
        log.info("%s received: finishing the work in progress", signal.Signals(signum).name)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C: now
        stop()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def _stop(
    socket: SocketModeHandler | None, ticker: Ticker | None, health: HttpServer | None
) -> None:
    if socket is not None:
        socket.close()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
    if health is not None:
        health.stop()
    if ticker is not None:
        ticker.stop()  # lets a running delivery finish its message and hand back its claims


def run(args: argparse.Namespace) -> int:
    """Runs one parsed command line; every foreseeable failure is one line and exit code 2."""
    if args.command == "demo":
        from infra.demo import run_demo  # noqa: PLC0415 - only this command needs it

        return run_demo(args.keep)
    load_dotenv(Path.cwd() / ".env")
    try:
        return _dispatch(args)
    except SettingsError as error:
        for problem in error.problems:
            _fail(problem)
        print("tourism: see .env.example for every setting.", file=sys.stderr)
    except PortInUseError as error:
        _fail(
            f"PORT {error.port} is already in use: stop the program listening there "
            "or set PORT to a free port."
        )
    except AppTokenRefusedError as error:
        _fail(
            f"Slack refused SLACK_APP_TOKEN for Socket Mode ({error}): generate an app-level "
            "token with the connections:write scope (Basic Information → App-Level Tokens)."
        )
    except OperationalError as error:
        _fail(f"cannot reach the database ({error.orig or error}); check DATABASE_URL.")
    except (BoltError, SlackApiError) as error:
        _fail(f"Slack refused to start the bot ({error}); check SLACK_BOT_TOKEN and SLACK_API_URL.")
    except VocabularyError as error:
        _fail(f"the topic vocabulary is unusable: {error}; fix it or TOURISM_TOPICS_FILE.")
    except URLError as error:
        _fail(f"cannot reach the Slack API ({error.reason}); check the network and SLACK_API_URL.")
    except KeyboardInterrupt:  # Ctrl-C while starting, or a second one while stopping
        print("tourism: interrupted.", file=sys.stderr)
        return 130
    return 2


def _dispatch(args: argparse.Namespace) -> int:
    offline = OFFLINE_COMMANDS.get(args.command or "serve")
    if offline is not None:
        return offline(args)
    command = args.command or "serve"
    settings = load_settings(socket_mode=getattr(args, "socket_mode", False))
    return run_serve(settings, ROLES[command])


def _forget(args: argparse.Namespace) -> int:
    from infra.forgetting import run_forget  # noqa: PLC0415 - only this command needs it

    return run_forget(args.user, args.workspace, yes=args.yes)


def _purge(args: argparse.Namespace) -> int:
    from infra.forgetting import run_purge  # noqa: PLC0415 - only this command needs it

    return run_purge(args.workspace, yes=args.yes)


def _doctor(_: argparse.Namespace) -> int:
    from infra.doctor import run_doctor  # noqa: PLC0415 - only this command needs it

    return run_doctor()


# The commands that need no Slack settings (the database, a file, the terminal).
OFFLINE_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "migrate": lambda args: run_migrate(load_database_url()),
    "import-teams": lambda args: run_import_teams(args.file, args.workspace, dry_run=args.dry_run),
    "report": lambda args: run_report(args.since, args.until, args.workspace),
    "export": lambda args: run_export(
        Dataset(args.what), Format(args.format), args.out, args.workspace
    ),
    "forget": _forget,
    "purge": _purge,
    "doctor": _doctor,
}


def run_migrate(database_url: str) -> int:
    migrate.upgrade(database_url)
    print("tourism: the database schema is up to date.")
    return 0


def run_import_teams(path: Path, workspace_id: str | None, *, dry_run: bool = False) -> int:
    """0 when every row was fine, 1 when some were rejected, 2 when nothing could be imported
    (the file could not be read, or the workspace is not one this database serves).

    With `--workspace` on a fresh database the workspace is registered (the bot completes it when
    it starts); without it the bot's settings are loaded and Slack says which workspace the token
    is for. `dry_run` reports the same and saves nothing.
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
            if settings.oauth:
                print(
                    "tourism: cannot import: the bot serves many workspaces; name one with "
                    "--workspace T0123ABCD.",
                    file=sys.stderr,
                )
                return 2
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
            dry_run=dry_run,
        )
    except UnknownWorkspaceError as error:
        print(
            f"tourism: cannot import: this database serves workspace "
            f"{', '.join(error.known)}, not {error.workspace_id}. Check --workspace, or leave it "
            "out to ask Slack.",
            file=sys.stderr,
        )
        return 2
    finally:
        engine.dispose()
    print_import_report(path, workspace_id, report, dry_run=dry_run)
    return 1 if report.rejected else 0


def print_import_report(
    path: Path, workspace_id: str, report: ImportReport, *, dry_run: bool
) -> None:
    """Rejected rows on standard error; each change, then the counts, on standard output."""
    for row in report.rejected:
        name = row.name or "no name"
        print(f"tourism: {path} line {row.line} ({name}): {' '.join(row.reasons)}", file=sys.stderr)
    if report.registered_workspace:
        print(
            f"tourism: workspace {workspace_id} is new to this database"
            + (" and would be added" if dry_run else " and was added")
            + "; the bot completes its details when it starts with that workspace's token."
        )
    for line in report.change_lines():
        print(f"tourism: {line}" if not line.startswith(" ") else f"         {line}")
    if dry_run:
        print(f"tourism: {path}: dry run, nothing saved; it would be {report.summary()}.")
    else:
        print(f"tourism: {path}: {report.summary()}.")


def run_report(since: date | None, until: date | None, workspace_ids: list[str] | None) -> int:
    """The organisers' figures in the terminal, per workspace: this quarter and year, or the
    days from `since` to `until` (by default the start of its year and today)."""
    zone, clock_file = load_business_time()
    now = clock_for(clock_file).now()
    database_url = load_database_url()
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    try:
        with SqlReader(session_factory(engine)) as uow:
            installed = {workspace.id: workspace for workspace in uow.workspaces.active()}
            unknown = sorted(set(workspace_ids or ()) - set(installed))
            if unknown or not installed:
                print(
                    f"tourism: no such workspace installed: {', '.join(unknown)}."
                    if unknown
                    else "tourism: no workspace in the database yet: start the bot once.",
                    file=sys.stderr,
                )
                return 2
            for workspace_id in workspace_ids or sorted(installed):
                local = _zone_of(installed[workspace_id], zone)
                today = now.astimezone(local).date()
                periods = report_periods(today, since, until)
                if periods is None:
                    print("tourism: --since must not be after --until.", file=sys.stderr)
                    return 2
                report = organiser_report(uow, workspace_id, today, local, periods)
                print(f"== {workspace_id} ==\n{report_text(report, today)}\n")
    finally:
        engine.dispose()
    return 0


def _zone_of(workspace: InstalledWorkspace, default: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(workspace.timezone) if workspace.timezone else default
    except (ZoneInfoNotFoundError, ValueError):
        return default


def run_export(dataset: Dataset, format: Format, out: Path | None, workspace_id: str | None) -> int:
    """Writes the data set to `out` or stdout; 2 when the workspace is unknown."""
    database_url = load_database_url()
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    try:
        with SqlReader(session_factory(engine)) as uow:
            if workspace_id is not None and uow.workspaces.get(workspace_id) is None:
                print(f"tourism: no workspace {workspace_id} in the database.", file=sys.stderr)
                return 2
            text = write_table(export_table(uow, dataset, workspace_id), format)
    finally:
        engine.dispose()
    if out is None:
        sys.stdout.write(text)
        return 0
    out.write_text(text, encoding="utf-8")
    print(f"tourism: wrote {dataset.value} to {out}.", file=sys.stderr)
    return 0


def run_serve(settings: Settings, roles: Roles) -> int:
    configure_logging(
        settings.log_level,
        secrets=(
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.slack_client_secret,
            settings.slack_state_secret,
        ),
        fmt=settings.log_format,
    )
    if settings.slack_app_token and not settings.socket_mode and roles.web:
        log.warning("SLACK_APP_TOKEN is set but SOCKET_MODE is not true: serving HTTP on PORT")
    serve(settings, roles)
    return 0


def _fail(problem: str) -> None:
    print(f"tourism: cannot start: {problem}", file=sys.stderr)


if __name__ == "__main__":
    from cli import main

    sys.exit(main())
