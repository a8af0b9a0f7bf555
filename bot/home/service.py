"""Gathering one person's App Home."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from bot.home.model import Counted, HomeData, HomeSuggestion
from bot.matching.service import my_matches

HOME_SUGGESTIONS = 3


def load_home(
    uow: Any,
    workspace_id: str,
    user_id: str,
    *,
    today: date,
    is_organiser: bool,
    related: Mapping[str, frozenset[str]] = MappingProxyType({}),
) -> HomeData:
    person = uow.people.get_by_user(workspace_id, user_id)
    overview = uow.overview
    leads = overview.leads_any_team(workspace_id, user_id)
    return HomeData(
        user_id=user_id,
        today=today,
        profile=uow.people.profile_of(person) if person is not None else None,
        home_team_name=person.home_team.name if person is not None and person.home_team else None,
        tours=overview.tours_of(workspace_id, user_id),
        applications=overview.applications_of(workspace_id, user_id),
        suggestions=_suggestions(uow, workspace_id, person, today=today, related=related),
        leads_teams=leads,
        lead_openings=overview.openings_led_by(workspace_id, user_id) if leads else Counted(),
        pending=overview.pending_for(workspace_id, user_id),
        organiser=overview.organiser_counts(workspace_id) if is_organiser else None,
        teams_away=overview.teams_away(workspace_id, user_id, today) if leads else (),
        hosting=overview.hosting(workspace_id, user_id, today) if leads else (),
    )


def _suggestions(
    uow: Any,
    workspace_id: str,
    person: Any,
    *,
    today: date,
    related: Mapping[str, frozenset[str]],
) -> tuple[HomeSuggestion, ...]:
    if person is None or not person.looking:
        return ()
    mine = my_matches(
        uow, workspace_id, person.user_id, today=today, related=related, limit=HOME_SUGGESTIONS
    )
    return tuple(
        HomeSuggestion(
            opening_id=match.opening.id,
            title=match.opening.title,
            team_name=match.opening.team_name,
            why=match.suggestion.explanation.text,
        )
        for match in mine.matches
    )
