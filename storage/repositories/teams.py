from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Team, TeamLead


class TeamRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, workspace_id: str, team_id: int) -> Team | None:
        team = self.session.get(Team, team_id)
        return team if team is not None and team.workspace_id == workspace_id else None

    def by_name(self, workspace_id: str, name: str) -> Team | None:
        query = select(Team).where(
            Team.workspace_id == workspace_id, func.lower(Team.name) == name.strip().lower()
        )
        return self.session.scalars(query).first()

    def all(self, workspace_id: str) -> list[Team]:
        query = (
            select(Team).where(Team.workspace_id == workspace_id).order_by(func.lower(Team.name))
        )
        return list(self.session.scalars(query))

    def search(self, workspace_id: str, text: str, limit: int) -> list[Team]:
        """Teams whose name contains `text`, those starting with it first."""
        needle = text.strip().lower()
        name = func.lower(Team.name)
        query = (
            select(Team)
            .where(Team.workspace_id == workspace_id, name.contains(needle, autoescape=True))
            .order_by(name.startswith(needle, autoescape=True).desc(), name)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def led_by(self, workspace_id: str, user_id: str) -> list[Team]:
        query = (
            select(Team)
            .join(TeamLead, TeamLead.team_id == Team.id)
            .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
            .order_by(func.lower(Team.name))
        )
        return list(self.session.scalars(query))

    def add(self, team: Team) -> Team:
        self.session.add(team)
        self.session.flush()
        return team
