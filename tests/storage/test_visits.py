"""Check-ins and retros read from storage as values (a visit, a week's answers, a retro, a
share-back), on both databases."""

from datetime import date

import pytest

from bot.checkins.model import MeetingsShare, Mood, Question, WeekAnswer
from bot.core.visits import TourStatus, TourVisit
from bot.retros.model import LengthVerdict, RetroAnswers, SavedRetro, ShareBackRecord
from tests.conftest import NOW
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

STARTS_ON, ENDS_ON = date(2026, 11, 16), date(2026, 12, 11)
ANSWERS = RetroAnswers("Event sourcing", ("Outbox", "Contract tests"), 5, LengthVerdict.RIGHT, True)


@pytest.fixture
def tour_id(uow_factory) -> int:
    with uow_factory() as uow:
        host = seed_team(uow, "Search", leads=("U0HOST2", "U0HOST1"))
        home = seed_team(uow, "Listings", leads=("U0HOME",), channel_id="C0HOME")
        visitor = seed_person(uow, "U0VISITOR", home_team_id=home.id, timezone="Europe/Berlin")
        opening = seed_opening(
            uow, host, "Tune the ranking", earliest_start=STARTS_ON, latest_end=ENDS_ON
        )
        tour = seed_tour(
            uow, visitor, opening, starts_on=STARTS_ON, ends_on=ENDS_ON, buddy_user_id="U0BUDDY"
        )
        uow.commit()
        return tour.id


def test_a_tour_is_read_as_a_visit_of_its_workspace_only(uow_factory, tour_id):
    expected = TourVisit(
        tour_id=tour_id,
        status=TourStatus.SCHEDULED,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        buddy="U0BUDDY",
        visitor="U0VISITOR",
        visitor_timezone="Europe/Berlin",
        opening_title="Tune the ranking",
        host_team="Search",
        host_leads=("U0HOST1", "U0HOST2"),
        home_team="Listings",
        home_channel="C0HOME",
        home_leads=("U0HOME",),
    )
    with uow_factory() as uow:
        assert uow.checkins.visit(WORKSPACE, tour_id, lock=True) == expected
        assert uow.retros.visit(WORKSPACE, tour_id) == expected
        assert uow.checkins.visit("T0OTHER", tour_id, lock=False) is None
        assert uow.retros.visit(WORKSPACE, tour_id + 1000) is None


def test_a_weeks_answers_are_read_with_the_alerts_they_carried(uow_factory, tour_id):
    with uow_factory() as uow:
        record = {"by": "U0VISITOR", "now": NOW}
        assert uow.checkins.record(WORKSPACE, tour_id, 1, str(Question.MOOD), "so_so", **record)
        assert not uow.checkins.record(WORKSPACE, tour_id, 1, str(Question.MOOD), "so_so", **record)
        assert uow.checkins.record(WORKSPACE, tour_id, 1, str(Question.MEETINGS), "half", **record)
        assert uow.checkins.claim_alert(tour_id, 1, "low_mood", NOW)
        uow.commit()
    with uow_factory() as uow:
        answer = WeekAnswer(1, Mood.SO_SO, MeetingsShare.HALF, low_mood_alerted=True)
        assert uow.checkins.answers(tour_id) == [answer]
        assert uow.checkins.answer_of_week(tour_id, 1) == answer
        assert uow.checkins.answer_of_week(tour_id, 2) is None


def test_a_retro_is_saved_replaced_and_marked(uow_factory, tour_id):
    with uow_factory() as uow:
        assert uow.retros.save(WORKSPACE, tour_id, ANSWERS, now=NOW) == (
            SavedRetro(WORKSPACE, ANSWERS),
            True,
        )
        uow.retros.place_highlight(tour_id, "C0TOURISM", "1.1")
        uow.retros.set_stuck(tour_id, ("Outbox",))
        uow.commit()
    shorter = RetroAnswers("Less", (), 3, LengthVerdict.TOO_SHORT, False)
    kept = SavedRetro(WORKSPACE, shorter, "C0TOURISM", "1.1", ("Outbox",))
    with uow_factory() as uow:
        assert uow.retros.save(WORKSPACE, tour_id, shorter, now=NOW) == (kept, False)
        uow.commit()
    with uow_factory() as uow:
        assert uow.retros.of_tour(tour_id) == kept


def test_a_share_back_is_booked_and_marked_done_once(uow_factory, tour_id):
    with uow_factory() as uow:
        assert uow.retros.share_back(tour_id) is None
        booked = uow.retros.book_session(
            WORKSPACE, tour_id, day=ENDS_ON, channel="C0DEMO", by="U0VISITOR", now=NOW
        )
        assert booked == ShareBackRecord(session_on=ENDS_ON, session_channel="C0DEMO")
        assert uow.retros.mark_shared(WORKSPACE, tour_id, by="U0VISITOR", now=NOW)
        assert not uow.retros.mark_shared(WORKSPACE, tour_id, by="U0VISITOR", now=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.retros.share_back(tour_id) == ShareBackRecord(True, ENDS_ON, "C0DEMO")
