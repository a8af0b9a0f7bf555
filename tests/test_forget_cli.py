"""`tourism forget` and `tourism purge` on a real database: they say what they would remove, ask
first (or take --yes), and touch nothing of another person or workspace."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cli import main
from storage.db import create_db_engine, session_factory
from storage.models import AuditEntry, Person, Workspace
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import NOW
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

OTHER_WORKSPACE = "T0OTHER"
VISITOR = "U0VISITOR"
STARTS_ON, ENDS_ON = date(2026, 10, 26), date(2026, 11, 20)


@pytest.fixture
def uow(database_url: str) -> Iterator[Callable[[], SqlUnitOfWork]]:
    """The same people, teams and a visit in two workspaces."""
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    with SqlUnitOfWork(sessions) as unit:
        for workspace_id in (WORKSPACE, OTHER_WORKSPACE):
            team = seed_team(unit, "Payments", leads=("U0LEAD",), workspace_id=workspace_id)
            opening = seed_opening(
                unit, team, "Ledger", earliest_start=STARTS_ON, latest_end=ENDS_ON
            )
            for user_id in (VISITOR, "U0OTHER"):
                person = seed_person(unit, user_id, workspace_id=workspace_id, note="hi")
                seed_tour(unit, person, opening, starts_on=STARTS_ON, ends_on=ENDS_ON)
            unit.audit.record(workspace_id, action="seeded", actor_user_id=VISITOR, now=NOW)
        unit.commit()
    yield lambda: SqlUnitOfWork(sessions)
    engine.dispose()


@pytest.fixture
def tourism(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uow
) -> Callable[..., int]:
    """`tourism …` in this process, from a clean environment, answering `answers` when asked."""
    monkeypatch.chdir(tmp_path)  # no developer's .env
    for name in ("SLACK_SIGNING_SECRET", "TOURISM_TOMBSTONE_SALT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TOURISM_TOMBSTONE_SALT", "a-secret-salt")

    def run(*args: str, answer: str | None = None) -> int:
        def ask(_question: str) -> str:
            if answer is None:
                raise EOFError
            return answer

        monkeypatch.setattr("builtins.input", ask)
        return main(list(args))

    return run


def rows(uow: Callable[[], SqlUnitOfWork], workspace_id: str) -> dict[str, int]:
    with uow() as unit:
        counts = unit.forgetting.workspace_rows(workspace_id)
    counts.pop("matching_stamps", None)  # a version number, bumped by any change
    return counts


def people(uow: Callable[[], SqlUnitOfWork], workspace_id: str) -> set[str]:
    with uow() as unit:
        return set(
            unit.session.scalars(select(Person.user_id).filter_by(workspace_id=workspace_id))
        )


def test_forget_asks_then_forgets_that_person_in_that_workspace_only(tourism, uow, capsys):
    other_before = rows(uow, OTHER_WORKSPACE)
    assert tourism("forget", "--user", VISITOR, "--workspace", WORKSPACE, answer="n") == 1
    assert "their profile" in capsys.readouterr().out
    assert VISITOR in people(uow, WORKSPACE)
    assert tourism("forget", "--user", VISITOR, "--workspace", WORKSPACE) == 1  # no terminal
    assert VISITOR in people(uow, WORKSPACE)

    assert tourism("forget", "--user", VISITOR, "--workspace", WORKSPACE, answer="y") == 0
    assert VISITOR not in people(uow, WORKSPACE) and "U0OTHER" in people(uow, WORKSPACE)
    assert rows(uow, OTHER_WORKSPACE) == other_before
    assert VISITOR in people(uow, OTHER_WORKSPACE)
    with uow() as unit:
        entry = unit.session.scalars(
            select(AuditEntry).filter_by(workspace_id=WORKSPACE, action="person_forgotten")
        ).one()
        assert entry.detail["by"] == "organiser"
        # The actor of their earlier entries is the tombstone now.
        assert (
            unit.session.scalars(
                select(AuditEntry.actor_user_id).filter_by(workspace_id=WORKSPACE, action="seeded")
            ).one()
            == entry.subject
        )

    capsys.readouterr()
    assert tourism("forget", "--user", VISITOR, "--workspace", WORKSPACE, "--yes") == 0
    assert "nothing to do" in capsys.readouterr().out


def test_purge_asks_for_the_workspace_id_then_deletes_all_of_it_and_nothing_else(
    tourism, uow, capsys
):
    other_before = rows(uow, OTHER_WORKSPACE)
    assert tourism("purge", "--workspace", WORKSPACE, answer="y") == 1  # not the id
    assert tourism("purge", "--workspace", WORKSPACE) == 1  # no terminal
    out = capsys.readouterr().out
    assert "people: 2" in out and "nothing changed" in out
    assert f"{WORKSPACE} is still installed" in out
    assert rows(uow, WORKSPACE)["people"] == 2

    assert tourism("purge", "--workspace", WORKSPACE, answer=WORKSPACE) == 0
    assert rows(uow, WORKSPACE) == {}
    assert rows(uow, OTHER_WORKSPACE) == other_before
    with uow() as unit:
        assert unit.session.get(Workspace, WORKSPACE) is None
        assert unit.session.get(Workspace, OTHER_WORKSPACE) is not None

    capsys.readouterr()
    assert tourism("purge", "--workspace", WORKSPACE, "--yes") == 0
    assert "nothing to do" in capsys.readouterr().out


def test_purge_with_yes_asks_nothing(tourism, uow):
    assert tourism("purge", "--workspace", OTHER_WORKSPACE, "--yes") == 0
    assert rows(uow, OTHER_WORKSPACE) == {}
    assert rows(uow, WORKSPACE)["people"] == 2
