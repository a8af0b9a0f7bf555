"""Read models for the App Home: a fixed handful of queries, however many rows there are."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased, lazyload

from bot.checkins.model import WeekAnswer, week_answer
from bot.home.model import (
    SHOWN_PER_LIST,
    Absence,
    Counted,
    HomeApplication,
    HomeOpening,
    HomePerson,
    HomeTour,
    Hosting,
    OpeningName,
    OrganiserCounts,
    PendingDecision,
    TeamAway,
    quarter_around,
)
from storage.models import (
    Application,
    CheckinAnswer,
    Opening,
    Person,
    Team,
    TeamLead,
    Tour,
    WorkspaceScoped,
)
from storage.repositories.people import profile_of

LIVE = ("scheduled", "active")


def _counted(
    session: Session, query: Select[*tuple[Any, ...]], limit: int = SHOWN_PER_LIST
) -> tuple[list[tuple[Any, ...]], int]:
    """The first rows of `query` and how many there are in all, in one round trip: the count is
    a window over every row, computed before the limit (no row: none at all)."""
    rows = list(session.execute(query.add_columns(func.count().over()).limit(limit)))
    return [tuple(row[:-1]) for row in rows], rows[0][-1] if rows else 0


def _led(workspace_id: str, user_id: str) -> Select[int]:
    """The teams the person leads: the rows a lead's lists start from (never the workspace's)."""
    return select(TeamLead.team_id).where(
        TeamLead.workspace_id == workspace_id, TeamLead.user_id == user_id
    )


class OverviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def person(self, workspace_id: str, user_id: str) -> HomePerson | None:
        """The person's profile and home team's name, in one query (no team row loaded)."""
        query = (
            select(Person, Team.name)
            .outerjoin(Team, Team.id == Person.home_team_id)
            .where(Person.workspace_id == workspace_id, Person.user_id == user_id)
            .options(lazyload(Person.home_team))
        )
        found = self.session.execute(query).first()
        return None if found is None else HomePerson(profile_of(found[0]), found[1])

    def opening_names(
        self, workspace_id: str, opening_ids: Sequence[int]
    ) -> dict[int, OpeningName]:
        query = (
            select(Opening.id, Opening.title, Team.name)
            .join(Team, Team.id == Opening.host_team_id)
            .where(Opening.workspace_id == workspace_id, Opening.id.in_(opening_ids))
        )
        return {id_: OpeningName(title, team) for id_, title, team in self.session.execute(query)}

    def tours_of(self, workspace_id: str, user_id: str) -> list[HomeTour]:
        query = (
            select(
                Opening.title,
                Team.name,
                Tour.starts_on,
                Tour.ends_on,
                Tour.buddy_user_id,
                Tour.status,
                Tour.id,
                Tour.might_stay,
            )
            .join(Person, Person.id == Tour.person_id)
            .join(Opening, Opening.id == Tour.opening_id)
            .join(Team, Team.id == Tour.host_team_id)
            .where(Person.workspace_id == workspace_id, Person.user_id == user_id)
            .order_by(Tour.starts_on)
        )
        return [HomeTour(*row) for row in self.session.execute(query)]

    def applications_of(self, workspace_id: str, user_id: str) -> Counted[HomeApplication]:
        query = (
            select(
                Application.id,
                Opening.title,
                Team.name,
                Application.starts_on,
                Application.ends_on,
                Application.status,
            )
            .join(Person, Person.id == Application.person_id)
            .join(Opening, Opening.id == Application.opening_id)
            .join(Team, Team.id == Opening.host_team_id)
            .where(Person.workspace_id == workspace_id, Person.user_id == user_id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
        rows, total = _counted(self.session, query)
        return Counted([HomeApplication(*row) for row in rows], total)

    def leads_any_team(self, workspace_id: str, user_id: str) -> bool:
        query = select(TeamLead.id).where(
            TeamLead.workspace_id == workspace_id, TeamLead.user_id == user_id
        )
        return self.session.scalar(query.limit(1)) is not None

    def openings_led_by(self, workspace_id: str, user_id: str) -> Counted[HomeOpening]:
        query = (
            select(
                Opening.id,
                Opening.title,
                Team.name,
                Opening.seats - Opening.seats_taken,
                Opening.seats,
                Opening.status,
            )
            .join(Team, Team.id == Opening.host_team_id)
            .where(
                Opening.host_team_id.in_(_led(workspace_id, user_id)),
                Opening.status != "closed",
            )
            .order_by(Opening.earliest_start, Opening.id)
        )
        rows, total = _counted(self.session, query)
        return Counted([HomeOpening(*row) for row in rows], total)

    def pending_for(self, workspace_id: str, user_id: str) -> Counted[PendingDecision]:
        """Applications waiting for this lead: read through the teams they lead (as host, then
        as home lead), so the work follows their teams, not the organisation's applications."""
        led = _led(workspace_id, user_id)

        def waiting(status: str, team: InstrumentedAttribute[Any]) -> Select[*tuple[Any, ...]]:
            host_team = aliased(Team)
            return (
                select(
                    Application.id,
                    Person.user_id,
                    Opening.title,
                    host_team.name,
                    Application.starts_on,
                    Application.ends_on,
                    (Application.status == "submitted").label("as_host"),
                    Application.updated_at,
                )
                .join(Person, Person.id == Application.person_id)
                .join(Opening, Opening.id == Application.opening_id)
                .join(host_team, host_team.id == Opening.host_team_id)
                .where(Application.status == status, team.in_(led))
            )

        both = union_all(
            waiting("submitted", Opening.host_team_id),
            waiting("host_accepted", Person.home_team_id),
        ).subquery()
        query = select(*list(both.c)[:-1]).order_by(both.c.updated_at, both.c.id)
        rows, total = _counted(self.session, query)
        return Counted([PendingDecision(*row) for row in rows], total)

    def organiser_counts(self, workspace_id: str) -> OrganiserCounts:
        def count(model: type[WorkspaceScoped], *conditions: ColumnElement[bool]) -> int:
            query = (
                select(func.count())
                .select_from(model)
                .where(
                    model.workspace_id == workspace_id,
                    *conditions,
                )
            )
            return self.session.scalar(query) or 0

        return OrganiserCounts(
            open_openings=count(Opening, Opening.status == "open"),
            pending_approvals=count(
                Application, Application.status.in_(("submitted", "host_accepted"))
            ),
            active_tours=count(Tour, Tour.status.in_(("scheduled", "active"))),
        )

    def _teams_led(self, workspace_id: str, user_id: str) -> list[Any]:
        """Id, name and away cap of each team the person leads (no lead or blackout loaded)."""
        query = (
            select(Team.id, Team.name, Team.away_cap)
            .join(TeamLead, TeamLead.team_id == Team.id)
            .where(TeamLead.workspace_id == workspace_id, TeamLead.user_id == user_id)
            .order_by(Team.name_key, Team.id)
        )
        return list(self.session.execute(query))

    def teams_away(self, workspace_id: str, user_id: str, today: date) -> list[TeamAway]:
        """Each team the person leads, with its people away on a visit now or later and each
        one's latest check-in: three queries, however many teams and visits."""
        teams = self._teams_led(workspace_id, user_id)
        host = aliased(Team)
        query = (
            select(
                Tour.id, Tour.home_team_id, Person.user_id, host.name, Tour.starts_on, Tour.ends_on
            )
            .join(Person, Person.id == Tour.person_id)
            .join(host, host.id == Tour.host_team_id)
            .where(
                Tour.home_team_id.in_([team.id for team in teams]),
                Tour.status.in_(LIVE),
                Tour.ends_on >= today,
            )
            .order_by(Tour.starts_on, Tour.id)
        )
        tours = list(self.session.execute(query))
        latest = self._latest_answers([tour.id for tour in tours])
        return [
            TeamAway(
                team_name=team.name,
                away_cap=team.away_cap,
                absences=[
                    Absence(visitor, host_name, starts_on, ends_on, latest.get(tour_id))
                    for tour_id, home_id, visitor, host_name, starts_on, ends_on in tours
                    if home_id == team.id
                ][:SHOWN_PER_LIST],
            )
            for team in teams
        ]

    def _latest_answers(self, tour_ids: list[int]) -> dict[int, WeekAnswer]:
        query = (
            select(
                CheckinAnswer.tour_id,
                CheckinAnswer.week,
                CheckinAnswer.mood,
                CheckinAnswer.meetings_share,
                CheckinAnswer.pulled_back,
            )
            .where(CheckinAnswer.tour_id.in_(tour_ids))
            .order_by(CheckinAnswer.tour_id, CheckinAnswer.week)
        )
        # Ordered by week: the last row of each tour wins.
        return {row.tour_id: week_answer(*row[1:]) for row in self.session.execute(query)}

    def hosting(self, workspace_id: str, user_id: str, today: date) -> list[Hosting]:
        """Each team the person leads: visits it hosts starting this quarter and this year."""
        quarter_start, quarter_end = quarter_around(today)
        year_start, year_end = date(today.year, 1, 1), date(today.year + 1, 1, 1)

        def starting_in(start: date, end: date) -> ColumnElement[int]:
            inside = and_(Tour.starts_on >= start, Tour.starts_on < end)
            return func.coalesce(func.sum(case((inside, 1), else_=0)), 0)

        query = (
            select(
                Team.name,
                starting_in(quarter_start, quarter_end),
                starting_in(year_start, year_end),
                Team.visitors_per_quarter,
            )
            .join(TeamLead, TeamLead.team_id == Team.id)
            .outerjoin(
                Tour,
                (Tour.host_team_id == Team.id)
                & (Tour.status != "cancelled")
                & (Tour.starts_on >= year_start)  # the quarter is inside the year
                & (Tour.starts_on < year_end),
            )
            .where(TeamLead.workspace_id == workspace_id, TeamLead.user_id == user_id)
            .group_by(Team.id, Team.name, Team.name_key, Team.visitors_per_quarter)
            .order_by(Team.name_key, Team.id)
        )
        return [Hosting(*row) for row in self.session.execute(query)]
