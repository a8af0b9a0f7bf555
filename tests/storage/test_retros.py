"""Tours move along by date in two UPDATEs; the maintenance hook does it every hour."""

from datetime import date

from bot.services.retros import advance_tours
from infra.scheduler import MAINTENANCE_HOOKS
from storage.models import Tour
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

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
        assert advance_tours(uow, WORKSPACE, TODAY) == 3
        uow.commit()
    with uow_factory() as uow:
        statuses = {name: uow.session.get(Tour, tour_id).status for name, tour_id in ids.items()}
        assert statuses == {name: case[3] for name, case in cases.items()}
        assert uow.session.get(Tour, other_tour.id).status == "scheduled"
        assert advance_tours(uow, WORKSPACE, TODAY) == 0


def test_advancing_tours_is_a_maintenance_hook():
    assert advance_tours in MAINTENANCE_HOOKS
