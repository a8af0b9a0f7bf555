"""Gathering one person's App Home."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.home import Counted, HomeData


def load_home(
    uow: Any, workspace_id: str, user_id: str, *, today: date, is_organiser: bool
) -> HomeData:
    person = uow.people.get_by_user(workspace_id, user_id)
    overview = uow.overview
    leads = overview.leads_any_team(workspace_id, user_id)
    return HomeData(
        user_id=user_id,
        today=today,
        profile=uow.people.profile(workspace_id, user_id) if person is not None else None,
        home_team_name=person.home_team.name if person is not None and person.home_team else None,
        tours=overview.tours_of(workspace_id, user_id),
        applications=overview.applications_of(workspace_id, user_id),
        leads_teams=leads,
        lead_openings=overview.openings_led_by(workspace_id, user_id) if leads else Counted(),
        pending=overview.pending_for(workspace_id, user_id),
        organiser=overview.organiser_counts(workspace_id) if is_organiser else None,
    )
