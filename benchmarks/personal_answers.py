"""Server time of the personal answers at company scale, next to the matcher-only floor.

    .venv/bin/python -m benchmarks.personal_answers                          # SQLite, temp file
    .venv/bin/python -m benchmarks.personal_answers --database-url postgresql://...  # emptied!

Seeds a database with 20,000 people, 2,000 teams (one lead each, blackouts, host limits) and
5,000 open openings (the synthetic organisation of benchmarks.matching), then times what the
handlers do for `/tourism match`, the Home tab and a lead's `/tourism candidates`: read-only
transaction, use case, rendered Slack payload. The floor, measured in the same run on the same
index, is the matcher alone (`suggest_openings`; `suggest_visitors` for each of the lead's
openings). Also reported: the first answer after a committed change (of a profile, an opening,
a team or a visit), which updates the kept index, and a read-only transaction that only reads
the stamp (the price of freshness). Target: p95 <= 20 ms for each path. Not part of the test run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from benchmarks.matching import TODAY, organisation
from bot.home.service import load_home
from bot.home.views import home_view
from bot.matching import (
    MatchIndex,
    Organisation,
    diagnose,
    suggest_openings,
    suggest_visitors,
)
from bot.matching.service import SUGGESTIONS, lead_candidates, my_matches
from bot.matching.views import candidates_message, matches_message
from infra.settings import load_database_url
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.matching_cache import MatchIndexes
from storage.matching_stamp import read_stamp
from storage.models import (
    Application,
    Base,
    Blackout,
    Opening,
    Person,
    Team,
    TeamLead,
    Tour,
    Workspace,
)
from storage.unit_of_work import SqlReader, SqlUnitOfWork

WORKSPACE = "T0BENCH"
RELATED: dict[str, frozenset[str]] = {}
SAMPLES = 300
CHANGES = 20  # changes of each kind, each followed by an answer
TARGET_MS = 20.0


def _number(identifier: str) -> int:
    """benchmarks.matching's ids ("team-12", "v7", "o3") as database ids (1-based)."""
    return int(identifier.rsplit("-", 1)[-1].lstrip("vo")) + 1


def seed(engine: Engine, org: Organisation) -> None:
    """The organisation as rows, written with a few bulk inserts; every opening is open."""
    with engine.begin() as connection:
        connection.execute(insert(Workspace).values(id=WORKSPACE, name="Benchmark"))
        connection.execute(
            insert(Team),
            [
                {
                    "id": _number(t.id),
                    "workspace_id": WORKSPACE,
                    "name": f"Team {t.id}",
                    "name_key": f"team {t.id}",
                    "city": t.city,
                    "away_cap": t.away_cap,
                    "visitors_per_quarter": t.visitors_per_quarter,
                    "rest_days_between_visitors": t.rest_days,
                }
                for t in org.teams
            ],
        )
        connection.execute(
            insert(TeamLead),
            [
                {"workspace_id": WORKSPACE, "team_id": _number(t.id), "user_id": _lead(t.id)}
                for t in org.teams
            ],
        )
        connection.execute(
            insert(Blackout),
            [
                {
                    "workspace_id": WORKSPACE,
                    "team_id": _number(t.id),
                    "starts_on": first,
                    "ends_on": last,
                }
                for t in org.teams
                for first, last in t.blackouts
            ],
        )
        connection.execute(
            insert(Person),
            [
                {
                    "id": _number(v.id),
                    "workspace_id": WORKSPACE,
                    "user_id": v.id,
                    "home_team_id": _number(v.home_team_id) if v.home_team_id else None,
                    "learn_topics": sorted(v.learn),
                    "teach_topics": sorted(v.teach),
                    "available_from": v.available_from,
                    "available_until": v.available_until,
                    "preferred_weeks": v.preferred_weeks,
                    "work_mode": v.work_mode,
                    "city": v.city,
                    "willing_to_travel": v.willing_to_travel,
                    "looking": v.looking,
                }
                for v in org.visitors
            ],
        )
        connection.execute(
            insert(Opening),
            [
                {
                    "id": _number(o.id),
                    "workspace_id": WORKSPACE,
                    "host_team_id": _number(o.host_team_id),
                    "title": f"Opening {o.id}",
                    "title_key": f"opening {o.id}",
                    "topics": sorted(o.topics),
                    "hopes_to_learn": sorted(o.hopes_to_learn),
                    "earliest_start": o.earliest_start,
                    "latest_end": o.latest_end,
                    "weeks": o.weeks,
                    "seats": o.seats_left,
                    "work_mode": o.mode,
                    "status": "open",
                    "created_by": _lead(o.host_team_id),
                }
                for o in org.openings
            ],
        )
        if engine.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in ("teams", "people", "openings"):
                connection.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
    if engine.dialect.name == "postgresql":
        # Statistics, as autovacuum gathers them after such a load: without them the planner
        # walks all 2,000 teams to find the one a lead leads (11 ms instead of 0.04 ms).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def _lead(team_id: str) -> str:
    return f"L{_number(team_id)}"


def timed(
    action: Callable[[], Any], samples: list[Any], clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Milliseconds of `action(sample)` for each sample, by `clock`."""
    spent = []
    for sample in samples:
        started = clock()
        action(sample)  # type: ignore[call-arg]
        spent.append((clock() - started) * 1000)
    return spent


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def report(name: str, spent: list[float], floor: list[float]) -> None:
    ratio = p95(spent) / p95(floor)
    verdict = "ok" if p95(spent) <= TARGET_MS else f"OVER {TARGET_MS:.0f} ms"
    print(
        f"  {name:<12} p50 {statistics.median(spent):6.2f} ms  p95 {p95(spent):6.2f} ms   "
        f"floor p50 {statistics.median(floor):6.2f} ms  p95 {p95(floor):6.2f} ms   "
        f"p95 ratio {ratio:5.2f}  {verdict}"
    )


def run(database_url: str, visitors: int, openings: int) -> None:
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    if engine.dialect.name == "postgresql":
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    started = time.perf_counter()
    org = organisation(visitors, openings)
    seed(engine, org)
    print(
        f"{engine.dialect.name}: {visitors} people, {len(org.teams)} teams, {openings} open "
        f"openings (seeded in {time.perf_counter() - started:.0f} s); load average "
        + " ".join(f"{load:.2f}" for load in os.getloadavg())
        + f" on {os.cpu_count()} cores"
    )
    sessions = session_factory(engine)
    indexes = MatchIndexes()  # as app.py composes it: one per process

    def reader() -> SqlReader:
        return SqlReader(sessions, indexes)

    def match(user_id: str) -> None:
        with reader() as uow:
            mine = my_matches(uow, WORKSPACE, user_id, today=TODAY, related=RELATED)
        matches_message(mine)

    def home(user_id: str) -> None:
        with reader() as uow:
            data = load_home(
                uow, WORKSPACE, user_id, today=TODAY, is_organiser=False, related=RELATED
            )
        home_view(data)

    def candidates(user_id: str) -> None:
        with reader() as uow:  # the handler first checks that this person leads a team
            uow.teams.ids_led_by(WORKSPACE, user_id)
        with reader() as uow:
            found = lead_candidates(
                uow, WORKSPACE, user_id, is_organiser=False, today=TODAY, related=RELATED
            )
        candidates_message(found)

    rng = random.Random(11)
    looking = [v.id for v in org.visitors if v.looking]
    people = rng.sample(looking, SAMPLES)
    hosts = sorted({o.host_team_id for o in org.openings})
    leads = [_lead(team) for team in rng.choices(hosts, k=SAMPLES)]
    first = timed(match, people[:1])[0]
    print(f"  first answer (loads and builds the index): {first:.0f} ms")

    with reader() as uow:
        index: MatchIndex = uow.matching.index(WORKSPACE, today=TODAY, related_topics=RELATED)
        led_openings = {
            lead: [str(o.id) for o in uow.openings.open(WORKSPACE, [int(lead[1:])])]
            for lead in leads
        }

    def matcher_answer(user_id: str) -> None:  # what my_matches asks of the index
        suggest_openings(index, user_id, SUGGESTIONS) or diagnose(index, user_id)

    def stamp_only(_: str) -> None:
        with reader() as uow:
            read_stamp(uow.session, WORKSPACE)

    def matcher_candidates(lead: str) -> None:  # what lead_candidates asks of the index
        for opening_id in led_openings[lead]:
            suggest_visitors(index, opening_id, SUGGESTIONS)

    floor_match = timed(matcher_answer, people)
    floor_candidates = timed(matcher_candidates, leads)
    report("match", timed(match, people), floor_match)
    report("home", timed(home, people), floor_match)
    report("home lead", timed(home, leads), floor_match)  # a lead: their teams' part too
    report("candidates", timed(candidates, leads), floor_candidates)
    # On a shared machine the elapsed time includes waiting for a core: the CPU time of this
    # thread is the work itself (all of it on SQLite; PostgreSQL's own work is not counted).
    print("  the same, CPU time of this thread:")
    cpu = time.thread_time
    report("match", timed(match, people, cpu), timed(matcher_answer, people, cpu))
    report("candidates", timed(candidates, leads, cpu), timed(matcher_candidates, leads, cpu))
    transaction = timed(stamp_only, people)
    print(
        f"  (a read-only transaction that only reads the stamp: p50 "
        f"{statistics.median(transaction):.2f} ms, p95 {p95(transaction):.2f} ms)"
    )

    def changed_then_match(change: Callable[[Session], None], user_id: str) -> float:
        """Milliseconds of the first answer after `change` is committed (it moves the stamp)."""
        with SqlUnitOfWork(sessions, indexes) as uow:
            change(uow.session)
            uow.commit()
        answered = time.perf_counter()
        match(user_id)
        return (time.perf_counter() - answered) * 1000

    def profile(session: Session) -> None:
        person = session.scalars(select(Person).where(Person.user_id == rng.choice(people))).one()
        person.available_until = date(2026, 6, 30)

    def opening(session: Session) -> None:
        changed = session.get(Opening, rng.randint(1, openings))
        assert changed is not None
        changed.weeks = 1 + changed.weeks % 4

    def team(session: Session) -> None:
        changed = session.get(Team, rng.randint(1, len(org.teams)))
        assert changed is not None
        changed.away_cap += 1

    def visit(session: Session) -> None:
        visitor = session.scalars(select(Person).where(Person.user_id == rng.choice(people))).one()
        host = session.get(Opening, rng.randint(1, openings))
        assert host is not None
        application = Application(
            workspace_id=WORKSPACE,
            opening_id=host.id,
            person_id=visitor.id,
            status="confirmed",
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 3, 13),
        )
        session.add(application)
        session.flush()
        session.add(
            Tour(
                workspace_id=WORKSPACE,
                application_id=application.id,
                person_id=visitor.id,
                opening_id=host.id,
                host_team_id=host.host_team_id,
                home_team_id=visitor.home_team_id,
                starts_on=application.starts_on,
                ends_on=application.ends_on,
            )
        )

    for name, change in (
        ("profile", profile),
        ("opening", opening),
        ("team", team),
        ("visit", visit),
    ):
        after = [changed_then_match(change, user_id) for user_id in people[:CHANGES]]
        print(
            f"  first answer after a committed {name} change ({CHANGES} changes): "
            f"p50 {statistics.median(after):.1f} ms, p95 {p95(after):.1f} ms"
        )
    print("  load average at the end: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=20_000)
    parser.add_argument("--openings", type=int, default=5_000)
    parser.add_argument(
        "--database-url", help="default: a fresh SQLite file; a PostgreSQL one is emptied first"
    )
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    run(load_database_url({"DATABASE_URL": url}), args.visitors, args.openings)


if __name__ == "__main__":
    main()
