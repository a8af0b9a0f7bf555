"""Rows for tests to start from, written through the real models and a real session."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from storage.models import (
    Application,
    Blackout,
    Opening,
    Person,
    Team,
    TeamLead,
    Tour,
    Workspace,
)
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


def team_row(uow: SqlUnitOfWork, name: str, workspace_id: str = WORKSPACE) -> Team:
    """The stored team of that name, to seed rows for it or change it under the bot."""
    return uow.session.scalars(
        select(Team).where(Team.workspace_id == workspace_id, Team.name == name)
    ).one()


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


def seed_tour(
    uow: SqlUnitOfWork,
    visitor: Person,
    opening: Opening,
    *,
    starts_on: date,
    ends_on: date,
    buddy_user_id: str | None = None,
    status: str = "scheduled",
) -> Tour:
    """A confirmed visit: its application and the tour, as the approval flow leaves them."""
    application = Application(
        workspace_id=opening.workspace_id,
        opening_id=opening.id,
        person_id=visitor.id,
        status="confirmed",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    uow.session.add(application)
    uow.session.flush()
    tour = Tour(
        workspace_id=opening.workspace_id,
        application_id=application.id,
        person_id=visitor.id,
        opening_id=opening.id,
        host_team_id=opening.host_team_id,
        home_team_id=visitor.home_team_id,
        buddy_user_id=buddy_user_id if buddy_user_id is not None else opening.buddy_user_id,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )
    uow.session.add(tour)
    uow.session.flush()
    return tour
