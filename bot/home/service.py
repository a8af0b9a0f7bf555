"""Gathering one person's App Home."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from bot.home.model import Counted, HomeData, HomeSuggestion, LedTeams
from bot.home.ports import HomeReader
from bot.matching import suggest_openings

HOME_SUGGESTIONS = 3


def load_home(
    uow: HomeReader,
    workspace_id: str,
    user_id: str,
    *,
    today: date,
    is_organiser: bool,
    related: Mapping[str, frozenset[str]] = MappingProxyType({}),
) -> HomeData:
    overview = uow.overview
    viewer = overview.viewer(workspace_id, user_id)
    person, leads = viewer.person, viewer.leads_teams
    led = overview.led_teams(workspace_id, user_id, today) if leads else LedTeams()
    looking = person is not None and person.profile.looking
    return HomeData(
        user_id=user_id,
        today=today,
        profile=person.profile if person is not None else None,
        home_team_name=person.home_team_name if person is not None else None,
        tours=overview.tours_of(workspace_id, user_id),
        applications=overview.applications_of(workspace_id, user_id),
        suggestions=_suggestions(uow, workspace_id, user_id, today, related) if looking else (),
        leads_teams=leads,
        lead_openings=overview.openings_led_by(workspace_id, user_id) if leads else Counted(),
        # Only a team's lead decides: someone leading none has nothing waiting.
        pending=overview.pending_for(workspace_id, user_id) if leads else Counted(),
        organiser=overview.organiser_counts(workspace_id) if is_organiser else None,
        teams_away=led.away,
        hosting=led.hosting,
    )


def _suggestions(
    uow: HomeReader,
    workspace_id: str,
    user_id: str,
    today: date,
    related: Mapping[str, frozenset[str]],
) -> tuple[HomeSuggestion, ...]:
    """The best few openings for the person, named; the Home shows no diagnosis when there are
    none (`/tourism match` does), so only the suggestions are asked of the matcher."""
    index = uow.matching.index(workspace_id, today=today, related_topics=related)
    if user_id not in index.visitor_pos:  # the index holds everyone with a profile
        return ()
    suggestions = suggest_openings(index, user_id, HOME_SUGGESTIONS)
    if not suggestions:  # nothing to name: no round trip
        return ()
    names = uow.overview.opening_names(workspace_id, [int(s.opening_id) for s in suggestions])
    return tuple(
        HomeSuggestion(
            opening_id=opening_id,
            title=names[opening_id].title,
            team_name=names[opening_id].team_name,
            why=suggestion.explanation.text,
        )
        for suggestion in suggestions
        if (opening_id := int(suggestion.opening_id)) in names
    )
