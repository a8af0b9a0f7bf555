"""Read models for the App Home: a fixed handful of queries, however many rows there are."""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import Session, aliased

from bot.home.model import (
    SHOWN_PER_LIST,
    Counted,
    HomeApplication,
    HomeOpening,
    HomeTour,
    OrganiserCounts,
    PendingDecision,
)
from storage.models import Application, Opening, Person, Team, TeamLead, Tour, WorkspaceScoped

Columns = TypeVarTuple("Columns")


def _counted(
    session: Session, query: Select[*Columns], limit: int = SHOWN_PER_LIST
) -> tuple[list[Row[*Columns]], int]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return list(session.execute(query.limit(limit))), total


class OverviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

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
            .where(Tour.workspace_id == workspace_id, Person.user_id == user_id)
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
            .where(Application.workspace_id == workspace_id, Person.user_id == user_id)
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
            .join(TeamLead, TeamLead.team_id == Team.id)
            .where(
                Opening.workspace_id == workspace_id,
                TeamLead.user_id == user_id,
                Opening.status != "closed",
            )
            .order_by(Opening.earliest_start, Opening.id)
        )
        rows, total = _counted(self.session, query)
        return Counted([HomeOpening(*row) for row in rows], total)

    def pending_for(self, workspace_id: str, user_id: str) -> Counted[PendingDecision]:
        host_lead, home_lead = aliased(TeamLead), aliased(TeamLead)
        host_team = aliased(Team)
        query = (
            select(
                Application.id,
                Person.user_id,
                Opening.title,
                host_team.name,
                Application.starts_on,
                Application.ends_on,
                (Application.status == "submitted").label("as_host"),
            )
            .join(Person, Person.id == Application.person_id)
            .join(Opening, Opening.id == Application.opening_id)
            .join(host_team, host_team.id == Opening.host_team_id)
            .outerjoin(
                host_lead,
                (host_lead.team_id == Opening.host_team_id) & (host_lead.user_id == user_id),
            )
            .outerjoin(
                home_lead,
                (home_lead.team_id == Person.home_team_id) & (home_lead.user_id == user_id),
            )
            .where(
                Application.workspace_id == workspace_id,
                ((Application.status == "submitted") & host_lead.id.is_not(None))
                | ((Application.status == "host_accepted") & home_lead.id.is_not(None)),
            )
            .order_by(Application.updated_at, Application.id)
        )
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
