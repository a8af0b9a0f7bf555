from dataclasses import replace
from datetime import date, timedelta

from bot.applications.changes import ExtensionStatus
from bot.applications.model import Status
from bot.applications.ports import TeamRules
from bot.core.approval.requests import RequestMessage
from bot.core.calendar import Period, SprintCadence
from bot.core.visits import TourStatus
from bot.retros.service import advance_tours
from infra.scheduler import MAINTENANCE_HOOKS
from storage.models import Application, Tour
from tests.conftest import NOW
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

START = date(2027, 1, 4)


def seed_application(uow, seats: int = 1):
    host = seed_team(uow, "Streaming", leads=("U0HOSTLEAD",))
    home = seed_team(uow, "Commissions", leads=("U0HOMELEAD",))
    person = seed_person(uow, "U0VISITOR", home_team_id=home.id)
    opening = seed_opening(
        uow,
        host,
        "Stream processing",
        earliest_start=START,
        latest_end=START + timedelta(weeks=8),
        seats=seats,
    )
    application = uow.applications.add(
        Application(
            workspace_id=host.workspace_id,
            opening_id=opening.id,
            person_id=person.id,
            starts_on=START,
            ends_on=START + timedelta(weeks=4, days=-1),
        )
    )
    return host, home, person, opening, application


def test_a_move_happens_once(uow_factory):
    with uow_factory() as uow:
        *_, application = seed_application(uow)
        moves = (application.id, Status.SUBMITTED, Status.HOST_ACCEPTED, NOW)
        assert uow.applications.move(*moves, decision_reason="Welcome")
        moved = uow.applications.get("T0TEST", application.id)
        assert moved is not None and moved.status is Status.HOST_ACCEPTED
        assert moved.decision_reason == "Welcome"
        assert not uow.applications.move(*moves)
        uow.commit()


def test_applications_awaiting_a_host_lead(uow_factory):
    with uow_factory() as uow:
        *_, application = seed_application(uow)
        uow.commit()
    with uow_factory() as uow:
        assert [a.id for a in uow.applications.awaiting_host_lead("T0TEST", "U0HOSTLEAD")] == [
            application.id
        ]
        assert uow.applications.awaiting_host_lead("T0TEST", "U0HOMELEAD") == []
        assert (
            uow.applications.live_for("T0TEST", application.person_id, application.opening_id)
            == application.id
        )


def test_decisions_waiting_name_the_leads_of_the_team_deciding(uow_factory):
    with uow_factory() as uow:
        *_, application = seed_application(uow)
        uow.commit()
        application_id = application.id
    with uow_factory() as uow:
        [host_decides] = uow.applications.decisions_waiting(WORKSPACE)
        application = uow.session.get(Application, application_id)
        application.status = "host_accepted"
        uow.commit()
    with uow_factory() as uow:
        [home_decides] = uow.applications.decisions_waiting(WORKSPACE)
    assert (host_decides.status, host_decides.lead_ids) == (Status.SUBMITTED, ("U0HOSTLEAD",))
    assert (home_decides.status, home_decides.lead_ids) == (Status.HOST_ACCEPTED, ("U0HOMELEAD",))
    assert home_decides.visitor_id == "U0VISITOR" and home_decides.has_team
    assert home_decides.opening_title == "Stream processing"


def test_a_teams_rules_come_back_as_values(uow_factory):
    release = (date(2027, 2, 1), date(2027, 2, 5))
    with uow_factory() as uow:
        team = seed_team(
            uow,
            "Streaming",
            leads=("U0LEAD",),
            blackouts=(release,),
            away_cap=2,
            visitors_per_quarter=3,
            rest_days_between_visitors=5,
            sprint_start=START,
            sprint_weeks=2,
        )
        uow.commit()
        team_id = team.id
    with uow_factory() as uow:
        rules = uow.applications.team_rules(WORKSPACE, team_id)
        assert uow.applications.team_rules("T0OTHER", team_id) is None
        assert uow.applications.team_rules(WORKSPACE, team_id + 1) is None
    assert rules == TeamRules(
        team_id=team_id,
        workspace_id=WORKSPACE,
        name="Streaming",
        lead_ids=("U0LEAD",),
        blackouts=(Period(*release),),
        away_cap=2,
        visitors_per_quarter=3,
        rest_days=5,
        sprints=SprintCadence(START, 2),
    )


def test_requests_sent_are_found_by_purpose(uow_factory):
    with uow_factory() as uow:
        *_, application = seed_application(uow)
        for purpose, user in (("host_request", "U0HOSTLEAD"), ("home_request", "U0HOMELEAD")):
            message = RequestMessage(purpose, user, f"D{user}", "1.000100")
            uow.applications.remember_request(WORKSPACE, application.id, message, NOW)
        uow.commit()
        application_id = application.id
    with uow_factory() as uow:
        assert uow.applications.requests_sent(application_id, ["home_request"]) == [
            RequestMessage("home_request", "U0HOMELEAD", "DU0HOMELEAD", "1.000100")
        ]
        assert uow.applications.requests_sent(application_id + 1, ["home_request"]) == []


def test_each_role_confirms_the_card_once(uow_factory):
    with uow_factory() as uow:
        *_, application = seed_application(uow)
        assert uow.applications.confirm_card(application, "visitor", "U0VISITOR", NOW)
        assert not uow.applications.confirm_card(application, "visitor", "U0VISITOR", NOW)
        assert uow.applications.confirm_card(application, "buddy", "U0BUDDY", NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.applications.confirmed_roles(application.id) == {"visitor", "buddy"}
        uow.applications.reset_card(application.id)
        assert uow.applications.confirmed_roles(application.id) == set()


def test_the_last_seat_fills_the_opening_and_freeing_it_reopens(uow_factory):
    with uow_factory() as uow:
        _, _, _, opening, _ = seed_application(uow, seats=2)
        assert uow.tours.take_seat(opening.id)
        assert uow.tours.take_seat(opening.id)
        assert not uow.tours.take_seat(opening.id)
        uow.session.refresh(opening)
        assert (opening.seats_taken, opening.status) == (2, "filled")
        uow.tours.free_seat(opening.id)
        uow.session.refresh(opening)
        assert (opening.seats_taken, opening.status) == (1, "open")


def test_a_booked_tour_follows_its_application_until_cancelled(uow_factory):
    with uow_factory() as uow:
        host, home, person, _, seeded = seed_application(uow)
        application = uow.applications.get("T0TEST", seeded.id)
        assert application is not None
        assert (application.visitor.person_id, application.opening.host_team_id) == (
            person.id,
            host.id,
        )
        booked = uow.tours.book(application, NOW)
        uow.commit()
    moved = Period(START + timedelta(weeks=1), START + timedelta(weeks=5, days=-1))
    with uow_factory() as uow:
        assert uow.tours.move_of_application(application.id, moved) == booked
        assert uow.tours.cancel_of_application(application.id) == booked
        uow.commit()
    with uow_factory() as uow:
        tour = uow.session.get(Tour, booked.id)
        assert (tour.person_id, tour.host_team_id, tour.home_team_id) == (
            person.id,
            host.id,
            home.id,
        )
        assert (tour.starts_on, tour.ends_on, tour.status) == (moved.start, moved.end, "cancelled")
        assert uow.tours.move_of_application(application.id + 1, moved) is None


def test_absences_of_a_home_team(uow_factory):
    with uow_factory() as uow:
        host, home, person, opening, application = seed_application(uow)
        uow.tours.create(
            workspace_id="T0TEST",
            application_id=application.id,
            person_id=person.id,
            opening_id=opening.id,
            host_team_id=host.id,
            home_team_id=home.id,
            starts_on=START,
            ends_on=START + timedelta(days=27),
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.tours.absences_from_team("T0TEST", home.id) == [
            (START, START + timedelta(days=27))
        ]
        assert uow.tours.absences_from_team("T0TEST", home.id, excluding_person=person.id) == []


def test_visits_a_host_team_hosts_count_all_but_cancelled_ones(uow_factory):
    with uow_factory() as uow:
        host, home, person, opening, application = seed_application(uow)
        tour = uow.tours.create(
            workspace_id="T0TEST",
            application_id=application.id,
            person_id=person.id,
            opening_id=opening.id,
            host_team_id=host.id,
            home_team_id=home.id,
            starts_on=START,
            ends_on=START + timedelta(days=25),
            status="completed",
        )
        uow.commit()
    with uow_factory() as uow:
        visit = (START, START + timedelta(days=25))
        assert uow.tours.hosted_by_team("T0TEST", host.id) == [visit]
        assert uow.tours.hosted_by_team("T0TEST", home.id) == []
        mine = uow.tours.hosted_by_team("T0TEST", host.id, excluding_application=application.id)
        assert mine == []
        uow.session.get(type(tour), tour.id).status = "cancelled"
        uow.commit()
        assert uow.tours.hosted_by_team("T0TEST", host.id) == []


# --- tours move along by date (the maintenance hook, every hour) --------------------------------

TODAY = date(2026, 11, 23)


def test_tours_move_from_scheduled_to_active_to_completed_by_date(uow_factory):
    cases = {
        "future": ("scheduled", date(2026, 11, 30), date(2026, 12, 25), "scheduled"),
        "starts_today": ("scheduled", TODAY, date(2026, 12, 18), "active"),
        "running": ("active", date(2026, 11, 2), date(2026, 11, 27), "active"),
        "ends_today": ("active", date(2026, 10, 27), TODAY, "active"),
        "ended": ("active", date(2026, 10, 26), date(2026, 11, 20), "completed"),
        "never_activated": ("scheduled", date(2026, 10, 26), date(2026, 11, 22), "completed"),
        "cancelled": ("cancelled", date(2026, 10, 26), date(2026, 11, 20), "cancelled"),
    }
    with uow_factory() as uow:
        team = seed_team(uow, "Payments")
        opening = seed_opening(
            uow, team, "Ledger", earliest_start=date(2026, 10, 1), latest_end=date(2027, 1, 1)
        )
        ids = {}
        for name, (status, starts_on, ends_on, _) in cases.items():
            person = seed_person(uow, f"U0{name.upper()}")
            tour = seed_tour(
                uow, person, opening, starts_on=starts_on, ends_on=ends_on, status=status
            )
            ids[name] = tour.id
        other = seed_team(uow, "Elsewhere", workspace_id="T0OTHER")
        other_opening = seed_opening(
            uow, other, "Other", earliest_start=date(2026, 10, 1), latest_end=date(2027, 1, 1)
        )
        other_tour = seed_tour(
            uow,
            seed_person(uow, "U0OTHER", workspace_id="T0OTHER"),
            other_opening,
            starts_on=date(2026, 10, 26),
            ends_on=date(2026, 11, 20),
        )
        uow.commit()

    with uow_factory() as uow:
        assert uow.tours.advance_by_date(WORKSPACE, TODAY) == (2, 1)  # (completed, activated)
        uow.commit()
    with uow_factory() as uow:
        statuses = {name: uow.session.get(Tour, tour_id).status for name, tour_id in ids.items()}
        assert statuses == {name: case[3] for name, case in cases.items()}
        assert uow.session.get(Tour, other_tour.id).status == "scheduled"
        assert uow.tours.advance_by_date(WORKSPACE, TODAY) == (0, 0)


def test_the_maintenance_hook_advances_tours_and_counts_them(uow_factory):
    assert advance_tours in MAINTENANCE_HOOKS
    with uow_factory() as uow:
        team = seed_team(uow, "Payments")
        opening = seed_opening(
            uow, team, "Ledger", earliest_start=date(2026, 10, 1), latest_end=date(2027, 1, 1)
        )
        started, ended = (seed_person(uow, user) for user in ("U0STARTED", "U0ENDED"))
        seed_tour(uow, started, opening, starts_on=TODAY, ends_on=date(2026, 12, 18))
        seed_tour(uow, ended, opening, starts_on=date(2026, 10, 26), ends_on=date(2026, 11, 20))
        uow.commit()
    with uow_factory() as uow:
        assert advance_tours(uow, WORKSPACE, TODAY) == 2
        uow.commit()
    with uow_factory() as uow:
        assert sorted(tour.status for tour in uow.session.query(Tour)) == ["active", "completed"]
        assert advance_tours(uow, WORKSPACE, TODAY) == 0


def test_a_request_for_more_time_moves_once_and_comes_back_as_a_value(uow_factory):
    with uow_factory() as uow:
        *_, person, opening, _application = seed_application(uow)
        tour = seed_tour(uow, person, opening, starts_on=START, ends_on=START + timedelta(weeks=4))
        asked = uow.extensions.request(WORKSPACE, tour.id, 2, "Finish the migration", NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.extensions.get(WORKSPACE, asked.id) == asked
        assert uow.extensions.get("T0OTHER", asked.id) is None
        moved = uow.extensions.move(
            asked.id, ExtensionStatus.SUBMITTED, ExtensionStatus.DECLINED, "Release week"
        )
        again = uow.extensions.move(asked.id, ExtensionStatus.SUBMITTED, ExtensionStatus.DECLINED)
        uow.commit()
    assert asked.status is ExtensionStatus.SUBMITTED and asked.weeks == 2
    assert moved == replace(asked, status=ExtensionStatus.DECLINED, decision_reason="Release week")
    assert again is None
    with uow_factory() as uow:
        assert uow.extensions.of_tour(tour.id) == [moved]


def test_a_booked_tour_is_read_as_a_value_and_extended_once(uow_factory):
    with uow_factory() as uow:
        *_, person, opening, _application = seed_application(uow)
        ends = START + timedelta(weeks=4)
        tour = seed_tour(uow, person, opening, starts_on=START, ends_on=ends)
        uow.commit()
    with uow_factory() as uow:
        booked = uow.tours.booked(WORKSPACE, tour.id, lock=True)
        assert booked is not None and booked.status is TourStatus.SCHEDULED
        assert (booked.visitor_id, booked.opening_title) == (person.user_id, opening.title)
        assert uow.tours.booked("T0OTHER", tour.id) is None
        assert uow.tours.booked_by(WORKSPACE, person.user_id) == [booked]
        assert uow.tours.booked_by(WORKSPACE, "U0NOBODY") == []
        later = ends + timedelta(weeks=2)
        assert uow.extensions.extend_tour(booked, ends, later)
        assert not uow.extensions.extend_tour(booked, ends, later)
        assert uow.extensions.flag_might_stay(tour.id, True)
        assert not uow.extensions.flag_might_stay(tour.id, True)
        uow.commit()
    with uow_factory() as uow:
        extended = uow.tours.booked(WORKSPACE, tour.id)
        assert extended == replace(booked, ends_on=later)
        application = uow.applications.get(WORKSPACE, booked.application_id)
        assert application is not None and application.ends_on == later
