"""A tour read as a visit (`bot.core.visits.TourVisit`), the value check-ins and retros use."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.visits import TourStatus, TourVisit
from storage.models import Opening, Person, Team, Tour


def tour_visit(session: Session, workspace_id: str, tour_id: int) -> TourVisit | None:
    """The tour of `workspace_id` with its people; None when it or its visitor, opening or host
    team is gone."""
    tour = session.get(Tour, tour_id)
    if tour is None or tour.workspace_id != workspace_id:
        return None
    person = session.get(Person, tour.person_id)
    opening = session.get(Opening, tour.opening_id)
    host = session.get(Team, tour.host_team_id)
    home = session.get(Team, tour.home_team_id) if tour.home_team_id else None
    if person is None or opening is None or host is None:
        return None
    return TourVisit(
        tour_id=tour.id,
        status=TourStatus(tour.status),
        starts_on=tour.starts_on,
        ends_on=tour.ends_on,
        buddy=tour.buddy_user_id,
        visitor=person.user_id,
        visitor_timezone=person.timezone,
        opening_title=opening.title,
        host_team=host.name,
        host_leads=_leads(host),
        home_team=home.name if home is not None else None,
        home_channel=home.channel_id if home is not None else None,
        home_leads=_leads(home) if home is not None else (),
    )


def _leads(team: Team) -> tuple[str, ...]:
    return tuple(sorted(lead.user_id for lead in team.leads))
