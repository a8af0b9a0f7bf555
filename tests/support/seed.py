"""Rows for tests to start from, written through the real models and a real session."""

from __future__ import annotations

from datetime import date
from typing import Any

from storage.models import Blackout, Opening, Person, Team, TeamLead, Workspace
from storage.unit_of_work import SqlUnitOfWork

WORKSPACE = "T0TEST"


def seed_workspace(uow: SqlUnitOfWork, workspace_id: str = WORKSPACE) -> None:
    if uow.session.get(Workspace, workspace_id) is None:
        uow.session.add(Workspace(id=workspace_id, name="Tourism Test", bot_user_id="U0BOT"))
        uow.session.flush()


def seed_team(
    uow: SqlUnitOfWork,
    name: str,
    *,
    leads: tuple[str, ...] = (),
    blackouts: tuple[tuple[date, date], ...] = (),
    workspace_id: str = WORKSPACE,
    **fields: Any,
) -> Team:
    seed_workspace(uow, workspace_id)
    team = Team(workspace_id=workspace_id, name=name, **fields)
    team.leads = [TeamLead(workspace_id=workspace_id, user_id=lead) for lead in leads]
    team.blackouts = [
        Blackout(workspace_id=workspace_id, starts_on=start, ends_on=end)
        for start, end in blackouts
    ]
    uow.session.add(team)
    uow.session.flush()
    return team


def seed_person(
    uow: SqlUnitOfWork, user_id: str, *, workspace_id: str = WORKSPACE, **fields: Any
) -> Person:
    seed_workspace(uow, workspace_id)
    person = Person(workspace_id=workspace_id, user_id=user_id, **fields)
    uow.session.add(person)
    uow.session.flush()
    return person


def seed_opening(
    uow: SqlUnitOfWork,
    team: Team,
    title: str,
    *,
    earliest_start: date,
    latest_end: date,
    weeks: int = 4,
    created_by: str = "U0LEAD",
    **fields: Any,
) -> Opening:
    opening = Opening(
        workspace_id=team.workspace_id,
        host_team_id=team.id,
        title=title,
        earliest_start=earliest_start,
        latest_end=latest_end,
        weeks=weeks,
        created_by=created_by,
        **fields,
    )
    uow.session.add(opening)
    uow.session.flush()
    return opening
