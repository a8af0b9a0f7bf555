"""The team directory: teams with their leads and blackouts, and what keeps a team in use."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.user_text import match_key
from bot.directory.model import (
    BlackoutPeriod,
    DuplicateTeamNameError,
    TeamEntry,
    sort_periods,
)
from bot.directory.model import Team as TeamRecord
from storage.models import Blackout, Opening, Person, Team, TeamLead, Tour
from storage.repositories.applications import LIVE_TOUR_STATUSES

# How PostgreSQL and SQLite name the (workspace, name) unique constraint when it is violated.
_UNIQUE_NAME = re.compile(r"uq_teams_workspace_id_name|teams\.workspace_id, teams\.name")


@dataclass(frozen=True)
class TeamCommitments:
    """What depends on a team. Removal is refused while openings are open or tours are planned
    or under way; what else goes with the team is said before anyone confirms."""

    open_openings: int
    live_tours: int
    members: int  # people who list it as their home team: they are left without one
    past_openings: int  # closed or filled openings, deleted with the team
    past_tours: int  # finished or cancelled visits hosted by the team, deleted with it

    @property
    def blocks_removal(self) -> bool:
        return self.open_openings > 0 or self.live_tours > 0


class TeamRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: list[Team] = []

    def get(self, workspace_id: str, team_id: int) -> TeamRecord | None:
        team = self._row(workspace_id, team_id)
        return None if team is None else record_of(team)

    def by_name(self, workspace_id: str, name: str) -> TeamRecord | None:
        query = select(Team).where(
            Team.workspace_id == workspace_id, Team.name_key == match_key(name)
        )
        team = self.session.scalars(query).first()
        return None if team is None else record_of(team)

    def all(self, workspace_id: str) -> list[TeamRecord]:
        return [record_of(team) for team in self._rows(workspace_id)]

    def _row(self, workspace_id: str, team_id: int) -> Team | None:
        team = self.session.get(Team, team_id)
        return team if team is not None and team.workspace_id == workspace_id else None

    def _rows(self, workspace_id: str) -> list[Team]:
        query = (
            select(Team).where(Team.workspace_id == workspace_id).order_by(func.lower(Team.name))
        )
        return list(self.session.scalars(query))

    def entry(self, workspace_id: str, team_id: int) -> TeamEntry | None:
        team = self._row(workspace_id, team_id)
        return None if team is None else entry_of(team)

    def entries(self, workspace_id: str) -> list[tuple[int, TeamEntry]]:
        """Every team (id and entry) in the order of `all`: three queries whatever the count.

        The teams stay referenced for the unit of work: the session's identity map holds them
        only weakly, and an import that updates many must find them there, not query each again.
        """
        self._loaded = self._rows(workspace_id)
        return [(team.id, entry_of(team)) for team in self._loaded]

    def entries_page(self, workspace_id: str, offset: int, limit: int) -> list[TeamEntry]:
        """One page of the directory in the order of `all`."""
        query = (
            select(Team)
            .where(Team.workspace_id == workspace_id)
            .order_by(func.lower(Team.name), Team.id)
            .offset(offset)
            .limit(limit)
        )
        return [entry_of(team) for team in self.session.scalars(query)]

    def count(self, workspace_id: str) -> int:
        query = select(func.count(Team.id)).where(Team.workspace_id == workspace_id)
        return self.session.scalar(query) or 0

    def names(self, workspace_id: str) -> list[str]:
        query = (
            select(Team.name)
            .where(Team.workspace_id == workspace_id)
            .order_by(func.lower(Team.name))
        )
        return list(self.session.scalars(query))

    def search(self, workspace_id: str, text: str, limit: int) -> list[TeamRecord]:
        """Teams whose name contains `text`, those starting with it first."""
        needle = match_key(text)
        query = (
            select(Team)
            .where(
                Team.workspace_id == workspace_id, Team.name_key.contains(needle, autoescape=True)
            )
            .order_by(Team.name_key.startswith(needle, autoescape=True).desc(), Team.name_key)
            .limit(limit)
        )
        return [record_of(team) for team in self.session.scalars(query)]

    def led_by(self, workspace_id: str, user_id: str) -> list[TeamRecord]:
        query = (
            select(Team)
            .join(TeamLead, TeamLead.team_id == Team.id)
            .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
            .order_by(func.lower(Team.name))
        )
        return [record_of(team) for team in self.session.scalars(query)]

    def names_of(self, workspace_id: str, team_ids: Sequence[int]) -> dict[int, str]:
        """The names of the workspace's teams among `team_ids`, by id, in one query."""
        query = select(Team.id, Team.name).where(
            Team.workspace_id == workspace_id, Team.id.in_(team_ids)
        )
        return {team_id: name for team_id, name in self.session.execute(query)}

    def ids_led_by(self, workspace_id: str, user_id: str) -> list[int]:
        """Ids of the teams this person leads, without loading the teams."""
        query = (
            select(Team.id)
            .join(TeamLead, TeamLead.team_id == Team.id)
            .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
        )
        return list(self.session.scalars(query))

    def create(self, workspace_id: str, entry: TeamEntry) -> None:
        """A new team from a directory entry, written at the next flush (an import's many)."""
        self._new(workspace_id, entry)

    def insert(self, workspace_id: str, entry: TeamEntry) -> int:
        """A new team from a directory entry, written now: its id. DuplicateTeamNameError when
        another writer took the name first."""
        team = self._new(workspace_id, entry)
        self.flush()
        return team.id

    def _new(self, workspace_id: str, entry: TeamEntry) -> Team:
        team = Team(workspace_id=workspace_id, leads=[], blackouts=[])
        self.session.add(team)
        write_entry(team, entry)
        return team

    def update(self, workspace_id: str, team_id: int, entry: TeamEntry) -> bool:
        """Overwrites the team with the entry (its leads and blackouts become the entry's);
        False when there is no such team."""
        team = self._row(workspace_id, team_id)
        if team is None:
            return False
        write_entry(team, entry)
        return True

    def remove(self, workspace_id: str, team_id: int) -> bool:
        team = self._row(workspace_id, team_id)
        if team is None:
            return False
        self.session.delete(team)
        self.session.flush()
        return True

    def flush(self) -> None:
        """Writes pending changes; DuplicateTeamNameError when another writer took a name first."""
        try:
            self.session.flush()
        except IntegrityError as error:
            if _UNIQUE_NAME.search(str(error.orig)):
                raise DuplicateTeamNameError(str(error.orig)) from error
            raise

    def commitments(self, workspace_id: str, team_id: int) -> TeamCommitments:
        openings = (
            select(Opening.status, func.count(Opening.id))
            .where(Opening.workspace_id == workspace_id, Opening.host_team_id == team_id)
            .group_by(Opening.status)
        )
        hosted = (
            select(Tour.status, func.count(Tour.id))
            .where(Tour.workspace_id == workspace_id, Tour.host_team_id == team_id)
            .group_by(Tour.status)
        )
        visiting_from = select(func.count(Tour.id)).where(
            Tour.workspace_id == workspace_id,
            Tour.home_team_id == team_id,
            Tour.host_team_id != team_id,
            Tour.status.in_(LIVE_TOUR_STATUSES),
        )
        members = select(func.count(Person.id)).where(
            Person.workspace_id == workspace_id, Person.home_team_id == team_id
        )
        opening_counts = {status: n for status, n in self.session.execute(openings)}
        tour_counts = {status: n for status, n in self.session.execute(hosted)}
        live_hosted = sum(tour_counts.get(status, 0) for status in LIVE_TOUR_STATUSES)
        return TeamCommitments(
            open_openings=opening_counts.get("open", 0),
            live_tours=live_hosted + (self.session.scalar(visiting_from) or 0),
            members=self.session.scalar(members) or 0,
            past_openings=sum(opening_counts.values()) - opening_counts.get("open", 0),
            past_tours=sum(tour_counts.values()) - live_hosted,
        )


def record_of(team: Team) -> TeamRecord:
    return TeamRecord(
        id=team.id,
        name=team.name,
        leads=tuple(sorted(lead.user_id for lead in team.leads)),
        channel_id=team.channel_id,
    )


def entry_of(team: Team) -> TeamEntry:
    """The directory entry a stored team holds."""
    return TeamEntry(
        name=team.name,
        leads=tuple(sorted(lead.user_id for lead in team.leads)),
        channel_id=team.channel_id,
        city=team.city or "",
        away_cap=team.away_cap,
        blackouts=_periods(team),
        sprint_weeks=team.sprint_weeks,
        sprint_start=team.sprint_start,
        visitors_per_quarter=team.visitors_per_quarter,
        rest_days=team.rest_days_between_visitors,
    )


def write_entry(team: Team, entry: TeamEntry) -> None:
    team.name = entry.name
    team.channel_id = entry.channel_id
    team.city = entry.city or None
    team.away_cap = entry.away_cap
    team.sprint_weeks = entry.sprint_weeks
    team.sprint_start = entry.sprint_start
    team.visitors_per_quarter = entry.visitors_per_quarter
    team.rest_days_between_visitors = entry.rest_days
    # Leads who stay keep their rows: deleting and re-inserting one in the same flush would
    # collide with the (team, user) unique constraint, since inserts are flushed first.
    wanted = set(entry.leads)
    team.leads = [lead for lead in team.leads if lead.user_id in wanted] + [
        TeamLead(workspace_id=team.workspace_id, user_id=user_id)
        for user_id in sorted(wanted - {lead.user_id for lead in team.leads})
    ]
    if _periods(team) != entry.blackouts:
        team.blackouts = [
            Blackout(
                workspace_id=team.workspace_id,
                starts_on=period.start,
                ends_on=period.end,
                reason=period.reason,
            )
            for period in entry.blackouts
        ]


def _periods(team: Team) -> tuple[BlackoutPeriod, ...]:
    return sort_periods(
        BlackoutPeriod(blackout.starts_on, blackout.ends_on, blackout.reason)
        for blackout in team.blackouts
    )
