"""The history is written by the transaction that changes state: a rolled-back step leaves none,
a step names its person, and what the bot does on its own is the bot's."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from storage.db import create_db_engine, session_factory
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import NOW
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

STARTS = date(2026, 11, 2)


@pytest.fixture
def uow(database_url: str) -> Iterator:
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    yield lambda: SqlUnitOfWork(sessions)
    engine.dispose()


@pytest.fixture
def tour_id(uow) -> int:
    with uow() as unit:
        host = seed_team(unit, "Streaming")
        opening = seed_opening(
            unit, host, "Streams", earliest_start=STARTS, latest_end=STARTS + timedelta(weeks=8)
        )
        tour = seed_tour(
            unit,
            seed_person(unit, "U0VISITOR"),
            opening,
            starts_on=STARTS,
            ends_on=STARTS + timedelta(days=27),
        )
        unit.commit()
        return tour.id


def history(uow, tour_id: int) -> list[tuple]:
    with uow() as unit:
        entries = unit.history.of_subjects(WORKSPACE, [f"tour:{tour_id}"])
        return [
            (e.actor_id, e.created, [(c.field, c.before, c.after) for c in e.changes])
            for e in entries
        ]


def test_a_rolled_back_change_leaves_no_history(uow, tour_id):
    with uow() as unit:
        unit.tours.get(WORKSPACE, tour_id).status = "cancelled"
        unit.audit.record(WORKSPACE, action="tour_cancelled", actor_user_id="U0X", now=NOW)
        unit.session.flush()  # noted, then never committed
    assert [created for _, created, _ in history(uow, tour_id)] == [True]


def test_a_step_names_its_person_and_time(uow, tour_id):
    with uow() as unit:
        unit.tours.get(WORKSPACE, tour_id).status = "cancelled"
        unit.audit.record(WORKSPACE, action="tour_cancelled", actor_user_id="U0LEAD", now=NOW)
        unit.commit()
    assert history(uow, tour_id)[-1] == ("U0LEAD", False, [("status", "scheduled", "cancelled")])
    with uow() as unit:
        [*_, last] = unit.history.of_subjects(WORKSPACE, [f"tour:{tour_id}"])
        assert last.at == NOW


def test_what_the_bot_moves_by_date_is_the_bots(uow, tour_id):
    with uow() as unit:
        assert unit.tours.advance_by_date(WORKSPACE, STARTS + timedelta(days=1)) == (0, 1)
        unit.commit()
    assert history(uow, tour_id)[-1] == (None, False, [("status", "scheduled", "active")])


def test_an_update_that_changes_nothing_tracked_writes_no_history(uow, tour_id):
    with uow() as unit:
        unit.tours.get(WORKSPACE, tour_id).buddy_user_id = "U0BUDDY"
        unit.commit()
    assert len(history(uow, tour_id)) == 1


def test_a_visit_is_found_by_its_application_or_its_tour_in_its_own_workspace(uow, tour_id):
    with uow() as unit:
        visit = unit.history.visit_of_tour(WORKSPACE, tour_id)
        assert visit == unit.history.visit_of_application(WORKSPACE, visit.application_id)
        assert (visit.tour_id, visit.visitor_id, visit.opening_title) == (
            tour_id,
            "U0VISITOR",
            "Streams",
        )
        assert unit.history.visit_of_tour("T0ELSEWHERE", tour_id) is None
        assert unit.history.visit_of_application("T0ELSEWHERE", visit.application_id) is None
        assert unit.history.visit_of_tour(WORKSPACE, tour_id + 1000) is None
