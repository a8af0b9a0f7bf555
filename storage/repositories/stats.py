"""The programme's facts for its numbers: one query per kind of fact, plain values out."""

from __future__ import annotations

from collections import defaultdict
from datetime import tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.applications.model import Status
from bot.core.visits import TourStatus
from bot.retros.model import LengthVerdict
from bot.stats.model import (
    WAITING_STATUSES,
    CheckinAnswer,
    HostTeam,
    OpenOpening,
    PendingDecision,
    ProgrammeFacts,
    Visit,
)
from storage.models import (
    Application,
    Opening,
    Person,
    Retro,
    ShareBack,
    Team,
    TeamLead,
    Tour,
)
from storage.models import (
    CheckinAnswer as CheckinRow,
)


class StatsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def programme(self, workspace_id: str, zone: tzinfo) -> ProgrammeFacts:
        return ProgrammeFacts(
            teams=self._teams(workspace_id),
            visits=self._visits(workspace_id),
            checkins=self._checkins(workspace_id, zone),
            open_openings=self._open_openings(workspace_id),
            pending_decisions=self._pending_decisions(workspace_id, zone),
        )

    def _teams(self, workspace_id: str) -> list[HostTeam]:
        leads: dict[int, set[str]] = defaultdict(set)
        for team_id, user_id in self.session.execute(
            select(TeamLead.team_id, TeamLead.user_id).where(TeamLead.workspace_id == workspace_id)
        ):
            leads[team_id].add(user_id)
        query = select(Team.id, Team.name, Team.visitors_per_quarter).where(
            Team.workspace_id == workspace_id
        )
        return [
            HostTeam(team_id, name, limit, frozenset(leads[team_id]))
            for team_id, name, limit in self.session.execute(query)
        ]

    def _visits(self, workspace_id: str) -> list[Visit]:
        query = (
            select(
                Person.user_id,
                Tour.host_team_id,
                Tour.buddy_user_id,
                Tour.starts_on,
                Tour.ends_on,
                Tour.status,
                Retro.rating,
                Retro.length_verdict,
                ShareBack.id,
                Retro.bring_back,
                Retro.stuck,
            )
            .join(Person, Person.id == Tour.person_id)
            .outerjoin(Retro, Retro.tour_id == Tour.id)
            .outerjoin(ShareBack, ShareBack.tour_id == Tour.id)
            .where(Tour.workspace_id == workspace_id)
        )
        return [
            Visit(
                visitor_id=user_id,
                host_team_id=host_team_id,
                buddy_id=buddy,
                starts_on=starts_on,
                ends_on=ends_on,
                status=TourStatus(status),
                rating=rating,
                length_verdict=LengthVerdict(verdict) if verdict else None,
                shared_back=share_back is not None,
                brought_back=len(bring_back or ()),
                stuck=len(stuck or ()),
            )
            for (
                user_id,
                host_team_id,
                buddy,
                starts_on,
                ends_on,
                status,
                rating,
                verdict,
                share_back,
                bring_back,
                stuck,
            ) in self.session.execute(query)
        ]

    def _checkins(self, workspace_id: str, zone: tzinfo) -> list[CheckinAnswer]:
        query = select(
            CheckinRow.answered_at,
            CheckinRow.mood,
            CheckinRow.meetings_share,
            CheckinRow.pulled_back,
        ).where(CheckinRow.workspace_id == workspace_id)
        return [
            CheckinAnswer(answered_at.astimezone(zone).date(), mood, meetings, pulled)
            for answered_at, mood, meetings, pulled in self.session.execute(query)
        ]

    def _open_openings(self, workspace_id: str) -> list[OpenOpening]:
        applicants = (
            select(func.count())
            .where(Application.opening_id == Opening.id)
            .correlate(Opening)
            .scalar_subquery()
        )
        query = select(Opening.title, Opening.host_team_id, applicants).where(
            Opening.workspace_id == workspace_id, Opening.status == "open"
        )
        return [
            OpenOpening(title, team_id, count)
            for title, team_id, count in self.session.execute(query)
        ]

    def _pending_decisions(self, workspace_id: str, zone: tzinfo) -> list[PendingDecision]:
        query = (
            select(Person.user_id, Opening.title, Application.status, Application.updated_at)
            .join(Person, Person.id == Application.person_id)
            .join(Opening, Opening.id == Application.opening_id)
            .where(
                Application.workspace_id == workspace_id,
                Application.status.in_(WAITING_STATUSES),
            )
        )
        return [
            PendingDecision(user_id, title, Status(status), updated_at.astimezone(zone).date())
            for user_id, title, status, updated_at in self.session.execute(query)
        ]
