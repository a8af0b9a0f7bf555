"""Acknowledgement latency and time to answer under concurrent signed requests, next to a
minimal Bolt app that only acknowledges, served the same way, in the same run.

    .venv/bin/python -m benchmarks.http_load --quick            # < 1 minute: 10 and 50 clients
    .venv/bin/python -m benchmarks.http_load                    # 10, 50 and 200 clients
    .venv/bin/python -m benchmarks.http_load --openings 5000
    .venv/bin/python -m benchmarks.http_load --mix writers      # profile and application forms
    .venv/bin/python -m benchmarks.http_load --database-url postgresql://...   # emptied first!
    .venv/bin/python -m benchmarks.http_load --set WEB_WORK_PROCESSES=2   # a setting of the bot's

The bot runs in its own process as in production (create_app, the guarded WSGI app, waitress
through infra.http with the default web settings) against the Slack stand-in, on a seeded
organisation: 2,000 people, 200 teams, 1,000 open openings, 200 applications and 100 visits.
The minimal app (every listener only calls ack()) runs in another process behind the same
guard and server. Each client is one person acting in a closed loop: send a signed request,
wait for its acknowledgement, then for the answer to reach the stand-in (a reply through
response_url, views.open, views.publish), then act again. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import random
import re
import secrets
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine, insert, text

from benchmarks.matching import TODAY, organisation
from benchmarks.personal_answers import WORKSPACE, seed
from bot.core.clock import FixedClock
from bot.openings.service import ListQuery
from bot.openings.views import APPLY, NEXT_PAGE, page_value
from bot.workspaces.service import register_workspace
from infra.fake_slack import FakeSlack
from infra.fake_slack.requests import Response, SlackRequests, filled_state
from infra.http import HttpServer, slack_wsgi_app
from infra.settings import load_database_url, load_settings
from storage import migrate
from storage.db import create_db_engine
from storage.models import Application, Base, Tour

SPAWN = multiprocessing.get_context("spawn")
PEOPLE, APPLICATIONS, VISITS = 2_000, 200, 100
ANSWER_TIMEOUT = 10.0  # an answer later than this counts as an error
SLACK_TIMEOUT_MS = 3_000.0
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=UTC)
Json = dict[str, Any]


# --- the organisation --------------------------------------------------------------------


def prepare_database(database_url: str, openings: int) -> tuple[list[str], int]:
    """Seeds the organisation; returns the people's user ids and the number of openings."""
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    if engine.dialect.name == "postgresql":
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    org = organisation(PEOPLE, openings)
    seed(engine, org)
    seed_applications(engine, org)
    engine.dispose()
    return [v.id for v in org.visitors], len(org.openings)


def seed_applications(engine: Engine, org: Any) -> None:
    """APPLICATIONS applications by as many people; the first VISITS of them became visits."""
    rng = random.Random(3)
    chosen = rng.sample(range(len(org.openings)), APPLICATIONS)
    rows, tours = [], []
    for number, index in enumerate(chosen, start=1):
        opening = org.openings[index]
        starts = max(opening.earliest_start, TODAY + timedelta(days=14))
        ends = starts + timedelta(weeks=opening.weeks) - timedelta(days=1)
        visit = number <= VISITS
        rows.append(
            {
                "id": number,
                "workspace_id": WORKSPACE,
                "opening_id": index + 1,
                "person_id": number,
                "status": "confirmed" if visit else "submitted",
                "motivation": "To learn how the team works.",
                "starts_on": starts,
                "ends_on": ends,
            }
        )
        if visit:
            home = org.visitors[number - 1].home_team_id
            tours.append(
                {
                    "workspace_id": WORKSPACE,
                    "application_id": number,
                    "person_id": number,
                    "opening_id": index + 1,
                    "host_team_id": int(opening.host_team_id.rsplit("-", 1)[-1]) + 1,
                    "home_team_id": int(home.rsplit("-", 1)[-1]) + 1 if home else None,
                    "starts_on": starts,
                    "ends_on": ends,
                }
            )
    with engine.begin() as connection:
        connection.execute(insert(Application), rows)
        connection.execute(insert(Tour), tours)
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval('applications_id_seq', (SELECT max(id) FROM applications))")
            )


# --- the two apps, each in its own process -------------------------------------------------


def bot_environment(slack_api_url: str, database_url: str, signing_secret: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-benchmark",
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_API_URL": slack_api_url,
        "DATABASE_URL": database_url,
        "TOURISM_TIMEZONE": "Europe/Warsaw",
    }


def serve_bot(env: dict[str, str], pipe: Connection) -> None:
    from app import create_app  # noqa: PLC0415 - imported in the child process only

    settings = load_settings(env)
    tourism = create_app(settings, FixedClock(NOW))
    register_workspace(tourism.deps.uow, WORKSPACE, name="Benchmark", bot_user_id="U0BOT", now=NOW)
    _serve(slack_wsgi_app(tourism.bolt, env["SLACK_SIGNING_SECRET"]), env, pipe)


def serve_minimal(env: dict[str, str], pipe: Connection) -> None:
    """A Bolt app whose listeners only acknowledge: the floor of this server and guard."""
    settings = load_settings(env)
    app = App(
        client=WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        signing_secret=env["SLACK_SIGNING_SECRET"],
        raise_error_for_unhandled_request=False,
        listener_executor=ThreadPoolExecutor(max_workers=settings.web.threads),
    )

    def only_ack(ack: Any) -> None:
        ack()

    app.command("/tourism")(only_ack)
    app.action(re.compile(".*"))(only_ack)
    app.view(re.compile(".*"))(only_ack)
    app.event("app_home_opened")(only_ack)
    _serve(slack_wsgi_app(app, env["SLACK_SIGNING_SECRET"]), env, pipe)


def _serve(wsgi: Any, env: dict[str, str], pipe: Connection) -> None:
    # waitress warns of every queued request; the figures say it better
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    settings = load_settings(env)
    server = HttpServer(wsgi, "127.0.0.1", 0, settings.web)
    pipe.send(server.url)
    server.serve_until(threading.Event(), drain_seconds=0)  # until the parent terminates it


# --- seeing the answers arrive -------------------------------------------------------------


@dataclass
class Awaited:
    """An answer a client waits for: the first Slack call naming one of `keys`."""

    keys: tuple[str, ...]
    arrived: threading.Event = field(default_factory=threading.Event)
    at: float = 0.0
    answer: Json | None = None


class WatchedSlack(FakeSlack):
    """The stand-in, waking the client whose answer a call carries: a response_url, a
    trigger_id (views.open) or a user id (views.publish, chat.postEphemeral)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._awaited: dict[str, Awaited] = {}
        self._awaited_lock = threading.Lock()

    def expect(self, *keys: str) -> Awaited:
        awaited = Awaited(keys)
        with self._awaited_lock:
            for key in keys:
                self._awaited[key] = awaited
        return awaited

    def forget(self, awaited: Awaited) -> None:
        with self._awaited_lock:
            for key in awaited.keys:
                if self._awaited.get(key) is awaited:
                    del self._awaited[key]

    def _answer_request(self, raw_path: str, headers: Any, body: bytes) -> Any:
        answer = super()._answer_request(raw_path, headers, body)
        arrived = time.perf_counter()
        keys = [raw_path.split("?", 1)[0], *_named_ids(body)]
        with self._awaited_lock:
            awaited = next((self._awaited[key] for key in keys if key in self._awaited), None)
        if awaited is not None and not awaited.arrived.is_set():
            awaited.at, awaited.answer = arrived, answer.parsed()
            awaited.arrived.set()
        return answer


def _named_ids(body: bytes) -> list[str]:
    try:
        raw = body.decode()
        params = json.loads(raw) if raw.startswith("{") else dict(parse_qsl(raw))
    except ValueError:
        return []
    return [
        str(params[name])
        for name in ("trigger_id", "user_id", "user", "channel")
        if isinstance(params, dict) and name in params
    ]


# --- the clients -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    ack_ms: float
    answer_ms: float | None  # None: no answer expected beyond the acknowledgement
    error: str | None = None


@dataclass
class Client:
    """One person sending requests one after another."""

    user_id: str
    requests: SlackRequests
    fake: WatchedSlack
    expects_answers: bool
    openings: int
    rng: random.Random
    samples: list[Sample] = field(default_factory=list)

    def timed(self, kind: str, send: Any, *keys: str) -> Json | None:
        """Sends, waits for the ack and (if keys) for the answer; records one sample."""
        awaited = self.fake.expect(*keys) if keys and self.expects_answers else None
        started = time.perf_counter()
        try:
            answer: Response = send()
        except Exception as error:  # every failure is counted, none stops the load
            self.samples.append(Sample(kind, _ms_since(started), None, type(error).__name__))
            return None
        acked = _ms_since(started)
        if answer.status != 200:
            self.samples.append(Sample(kind, acked, None, f"HTTP {answer.status}"))
            return None
        if awaited is None:
            self.samples.append(Sample(kind, acked, acked))  # the ack carries the answer
            return answer.json() if answer.body else None
        arrived = awaited.arrived.wait(ANSWER_TIMEOUT)
        self.fake.forget(awaited)
        if not arrived:
            self.samples.append(Sample(kind, acked, None, "no answer"))
            return None
        self.samples.append(Sample(kind, acked, (awaited.at - started) * 1000))
        return awaited.answer

    # the reading mix: what people do most
    def help(self) -> None:
        self.timed("help", lambda: self.requests.slash_command("help", user_id=self.user_id))

    def openings_list(self) -> None:
        self._answered_command("openings")

    def status(self) -> None:
        self._answered_command("status")

    def match(self) -> None:
        self._answered_command("match")

    def _answered_command(self, text: str) -> None:
        """A command acknowledged at once and answered through its response_url."""
        url = self.requests.response_url()
        send = self._carrying(
            "response_url", url, lambda: self.requests.slash_command(text, **self._user())
        )
        self.timed(text, send, url.removeprefix(self.fake.url))

    def home(self) -> None:
        event = {"type": "app_home_opened", "user": self.user_id, "tab": "home"}
        send = lambda: self.requests.event(event | {"channel": f"D{self.user_id}"})  # noqa: E731
        self.timed("home", send, self.user_id)

    def next_page(self) -> None:
        value = page_value(ListQuery(page=self.rng.randint(1, 5)))
        url = self.requests.response_url()
        send = self._carrying(
            "response_url",
            url,
            lambda: self.requests.block_action(action_id=NEXT_PAGE, value=value, **self._user()),
        )
        self.timed("page", send, url.removeprefix(self.fake.url))

    def apply_click(self) -> Json | None:
        trigger = self.requests.new_trigger_id()
        opening = str(self.rng.randint(1, self.openings))
        send = self._carrying(
            "new_trigger_id",
            trigger,
            lambda: self.requests.block_action(action_id=APPLY, value=opening, **self._user()),
        )
        return self.timed("apply click", send, trigger)

    # the writing mix: forms
    def profile_form(self) -> None:
        trigger = self.requests.new_trigger_id()
        send = lambda: self.requests.slash_command(  # noqa: E731
            "profile", user_id=self.user_id, trigger_id=trigger
        )
        self._submit("profile", self.timed("profile form", send, trigger))

    def application_form(self) -> None:
        self._submit("application", self.apply_click())

    def _submit(self, name: str, opened: Json | None) -> None:
        view = (opened or {}).get("view") if self.expects_answers else None
        if self.expects_answers and view is None:
            return  # not opened (a refusal or a failure already counted)
        view = view or {"callback_id": f"{name}_form", "blocks": [], "id": "V1"}
        send = lambda: self.requests.view_submission(  # noqa: E731
            user_id=self.user_id,
            callback_id=view.get("callback_id", ""),
            values=filled_state(view, _answers(view)),
            private_metadata=view.get("private_metadata", ""),
            view_id=view["id"],
        )
        self.timed(f"{name} submit", send)

    def _user(self) -> Json:
        return {"user_id": self.user_id}

    def _carrying(self, attribute: str, value: str, send: Any) -> Any:
        """`send`, whose request carries `value` as its response_url or trigger_id (what
        SlackRequests would make up otherwise): the key its answer is recognised by."""

        def sending() -> Response:
            setattr(self.requests, attribute, lambda: value)
            try:
                return send()
            finally:
                delattr(self.requests, attribute)

        return sending


def _answers(view: Json) -> Json:
    """What a person types into the text fields the form leaves empty."""
    answers: Json = {}
    for block in view.get("blocks", []):
        element = block.get("element", {})
        empty = element.get("type") == "plain_text_input" and not element.get("initial_value")
        if block.get("type") == "input" and empty and not block.get("optional"):
            answers[block["block_id"]] = "To see how the team ships and share what we do."
    return answers


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


MIXES: dict[str, list[tuple[str, int]]] = {
    # about what people do: look at their Home and matches, list and page openings, apply
    "reads": [
        ("home", 25),
        ("match", 20),
        ("openings_list", 15),
        ("next_page", 10),
        ("status", 10),
        ("help", 10),
        ("apply_click", 10),
    ],
    "writers": [("profile_form", 1), ("application_form", 1)],
}


@dataclass(frozen=True)
class Run:
    app: str
    clients: int
    seconds: float
    samples: list[Sample]
    load: tuple[float, float, float]


def load_run(
    app: str,
    url: str,
    fake: WatchedSlack,
    signing_secret: str,
    users: list[str],
    clients: int,
    seconds: float,
    mix: str,
    openings: int,
) -> Run:
    names, weights = zip(*MIXES[mix], strict=True)
    deadline = time.monotonic() + seconds
    rng = random.Random(clients)
    people = [
        Client(
            user_id,
            SlackRequests(url, signing_secret, team_id=WORKSPACE, fake_slack=fake, timeout=15),
            fake,
            expects_answers=app == "bot",
            openings=openings,
            rng=random.Random(rng.random()),
        )
        for user_id in rng.sample(users, clients)
    ]

    def act(person: Client) -> None:
        while time.monotonic() < deadline:
            getattr(person, person.rng.choices(names, weights)[0])()

    started = time.perf_counter()
    threads = [threading.Thread(target=act, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spent = time.perf_counter() - started
    samples = [sample for person in people for sample in person.samples]
    return Run(app, clients, spent, samples, os.getloadavg())


# --- the report ------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(run: Run, floor: Run | None) -> None:
    acks = [s.ack_ms for s in run.samples if s.error is None]
    answers = [s.answer_ms for s in run.samples if s.answer_ms is not None]
    errors = [s for s in run.samples if s.error is not None]
    slow = sum(s.ack_ms > SLACK_TIMEOUT_MS for s in run.samples)
    ratio = ""
    if floor is not None:
        floor_acks = [s.ack_ms for s in floor.samples if s.error is None]
        ratio = f"  ack p99 {_pct(acks, 0.99) / _pct(floor_acks, 0.99):5.1f}x the floor"
    print(
        f"  {run.app:<7} {run.clients:>3} clients: {len(run.samples) / run.seconds:7.1f} req/s"
        f"  ack p50/p99/max {_pct(acks, 0.5):6.0f} /{_pct(acks, 0.99):6.0f} /"
        f"{max(acks, default=float('nan')):6.0f} ms"
        f"  answer p50/p99/max {_pct(answers, 0.5):6.0f} /{_pct(answers, 0.99):6.0f} /"
        f"{max(answers, default=float('nan')):6.0f} ms"
        f"  errors {len(errors)}  acks over 3 s {slow} of {len(run.samples)}{ratio}"
        f"  (load {run.load[0]:.1f})"
    )
    if errors:
        kinds = sorted({f"{s.kind}: {s.error}" for s in errors})
        print(f"          errors: {', '.join(kinds[:6])}")
    if run.app == "bot":
        for kind in sorted({s.kind for s in run.samples}):
            _report_kind(kind, [s for s in run.samples if s.kind == kind and s.error is None])


def _report_kind(kind: str, samples: list[Sample]) -> None:
    acks = [s.ack_ms for s in samples]
    answers = [s.answer_ms for s in samples if s.answer_ms is not None]
    print(
        f"          {kind:<18} n={len(samples):<5} ack p50 {_pct(acks, 0.5):6.0f}"
        f" p99 {_pct(acks, 0.99):6.0f} ms   answer p50 {_pct(answers, 0.5):6.0f}"
        f" p99 {_pct(answers, 0.99):6.0f} ms"
    )


# --- putting it together ---------------------------------------------------------------------


def start(target: Any, env: dict[str, str]) -> tuple[Any, str]:
    mine, theirs = SPAWN.Pipe()
    process = SPAWN.Process(target=target, args=(env, theirs))  # the bot may start workers
    process.start()
    if not mine.poll(120):
        process.terminate()
        raise RuntimeError(f"{target.__name__} did not start")
    return process, mine.recv()


def warm_up(
    url: str, fake: WatchedSlack, signing_secret: str, users: list[str], mix: str, openings: int
) -> None:
    """One of each request first: the matching index and the caches are built before timing."""
    person = Client(
        users[0],
        SlackRequests(url, signing_secret, team_id=WORKSPACE, fake_slack=fake, timeout=60),
        fake,
        expects_answers=True,
        openings=openings,
        rng=random.Random(1),
    )
    for name, _ in MIXES[mix]:
        getattr(person, name)()


def run(
    database_url: str,
    openings: int,
    clients: list[int],
    seconds: float,
    mix: str,
    bot_settings: dict[str, str],
) -> None:
    started = time.perf_counter()
    users, openings = prepare_database(database_url, openings)
    dialect = database_url.split(":", 1)[0]
    print(
        f"{dialect}: {PEOPLE} people, {PEOPLE // 10} teams, {openings} open openings, "
        f"{APPLICATIONS} applications, {VISITS} visits (seeded in "
        f"{time.perf_counter() - started:.0f} s); mix {mix!r}, {seconds:.0f} s per run, "
        f"{os.cpu_count()} CPUs"
    )
    signing_secret = secrets.token_hex(16)
    with WatchedSlack(team_id=WORKSPACE, team_name="Benchmark") as fake:
        for user_id in users:
            fake.add_user(user_id)
        env = bot_environment(fake.base_url, database_url, signing_secret) | bot_settings
        processes = []
        try:
            bot, bot_url = start(serve_bot, env)
            processes.append(bot)
            minimal, minimal_url = start(serve_minimal, env)
            processes.append(minimal)
            warm_up(bot_url, fake, signing_secret, users, mix, openings)
            for count in clients:
                shape = (fake, signing_secret, users, count, seconds, mix, openings)
                floor = load_run("minimal", minimal_url, *shape)
                report(floor, None)
                measured = load_run("bot", bot_url, *shape)
                report(measured, floor)
        finally:
            for process in processes:
                process.terminate()
                process.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 and 50 clients, 4 s each")
    parser.add_argument("--clients", default="10,50,200", help="comma-separated, e.g. 10,50,200")
    parser.add_argument("--seconds", type=float, default=15.0, help="per app and client count")
    parser.add_argument("--openings", type=int, default=1_000, help="open openings (or 5000)")
    parser.add_argument("--mix", choices=sorted(MIXES), default="reads")
    parser.add_argument(
        "--database-url", help="default: a fresh SQLite file; a PostgreSQL one is emptied first"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the bot's, e.g. WEB_WORK_SLOTS=2 (repeatable)",
    )
    args = parser.parse_args()
    bot_settings = dict(setting.split("=", 1) for setting in args.set)
    clients = [10, 50] if args.quick else [int(n) for n in args.clients.split(",")]
    seconds = 4.0 if args.quick else args.seconds
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'load.db'}"
    run(
        load_database_url({"DATABASE_URL": url}),
        args.openings,
        clients,
        seconds,
        args.mix,
        bot_settings,
    )


if __name__ == "__main__":
    main()
