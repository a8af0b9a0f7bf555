"""Counting the programme: one GROUP BY per table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.stats.model import ProgrammeStats
from storage.models import (
    Application,
    Opening,
    Person,
    Retro,
    ShareBack,
    Team,
    Tour,
    WorkspaceScoped,
)


class StatsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _count(
        self, model: type[WorkspaceScoped], workspace_id: str, *conditions: ColumnElement[bool]
    ) -> int:
        query = (
            select(func.count())
            .select_from(model)
            .where(
                model.workspace_id == workspace_id,
                *conditions,
            )
        )
        return self.session.scalar(query) or 0

    def _by(
        self, column: InstrumentedAttribute[Any], model: type[WorkspaceScoped], workspace_id: str
    ) -> dict[str, int]:
        query = (
            select(column, func.count())
            .select_from(model)
            .where(model.workspace_id == workspace_id)
            .group_by(column)
        )
        return {str(key): count for key, count in self.session.execute(query)}

    def programme(self, workspace_id: str) -> ProgrammeStats:
        rating = self.session.scalar(
            select(func.avg(Retro.rating)).where(Retro.workspace_id == workspace_id)
        )
        return ProgrammeStats(
            teams=self._count(Team, workspace_id),
            people=self._count(Person, workspace_id),
            looking=self._count(Person, workspace_id, Person.looking.is_(True)),
            openings=self._by(Opening.status, Opening, workspace_id),
            applications=self._by(Application.status, Application, workspace_id),
            tours=self._by(Tour.status, Tour, workspace_id),
            retros=self._count(Retro, workspace_id),
            average_rating=float(rating) if rating is not None else None,
            length_verdicts=self._by(Retro.length_verdict, Retro, workspace_id),
            shared_back=self._count(ShareBack, workspace_id),
        )
