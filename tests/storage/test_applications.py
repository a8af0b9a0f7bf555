from datetime import date, timedelta

from storage.models import Application
from tests.conftest import NOW
from tests.support.seed import seed_opening, seed_person, seed_team

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
        assert uow.applications.move(application, "submitted", "host_accepted", NOW)
        assert application.status == "host_accepted"
        assert not uow.applications.move(application, "submitted", "host_accepted", NOW)
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
            uow.applications.live_for("T0TEST", application.person_id, application.opening_id).id
            == application.id
        )


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
