"""Check-in answers (one row per tour and week) and what visitors logged as shipped.

Each question of a week is answered once: the first answer is written by a conditional UPDATE
(`... WHERE <column> IS NULL`), so a double click or two replicas handling the same click record
it once. Organiser alerts are claimed the same way on the week that showed them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.checkins.model import WeekAnswer, week_answer
from bot.core.visits import TourVisit
from storage.models import CheckinAnswer, ShippedItem, Tour
from storage.repositories.visits import tour_visit

ALERT_COLUMNS = {
    "low_mood": CheckinAnswer.low_mood_alerted_at,
    "meetings": CheckinAnswer.meetings_alerted_at,
    "pulls": CheckinAnswer.pulls_alerted_at,
}


class CheckinRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def visit(self, workspace_id: str, tour_id: int, *, lock: bool) -> TourVisit | None:
        """The visit; with `lock`, its tour is locked until the transaction ends (PostgreSQL), so
        that answers of one visit are recorded one after the other and every alert rule sees all
        earlier answers."""
        if lock:
            self.session.execute(select(Tour.id).where(Tour.id == tour_id).with_for_update())
        return tour_visit(self.session, workspace_id, tour_id)

    # --- answers ------------------------------------------------------------------------------

    # Answers are written by UPDATE statements: reads refresh the rows this session holds.

    def answers(self, tour_id: int) -> list[WeekAnswer]:
        query = select(CheckinAnswer).where(CheckinAnswer.tour_id == tour_id)
        rows = self.session.scalars(_fresh(query.order_by(CheckinAnswer.week)))
        return [_week_answer(row) for row in rows]

    def answer_of_week(self, tour_id: int, week: int) -> WeekAnswer | None:
        query = select(CheckinAnswer).where(_week(tour_id, week))
        row = self.session.scalars(_fresh(query)).first()
        return _week_answer(row) if row is not None else None

    def record(
        self,
        workspace_id: str,
        tour_id: int,
        week: int,
        column: str,
        value: str,
        *,
        by: str,
        now: datetime,
        details: str = "",
    ) -> bool:
        """Writes the answer to `column` unless that question is already answered."""
        self._ensure_row(workspace_id, tour_id, week, by, now)
        answered = getattr(CheckinAnswer, column)
        values: dict[str, object] = {column: value}
        if details:
            values["details"] = details
        return self._update(_week(tour_id, week) & answered.is_(None), values)

    def claim_alert(self, tour_id: int, week: int, kind: str, now: datetime) -> bool:
        """True for the one caller that records the alert of `kind` on `week`."""
        alerted = ALERT_COLUMNS[kind]
        return self._update(_week(tour_id, week) & alerted.is_(None), {alerted.key: now})

    def _ensure_row(
        self, workspace_id: str, tour_id: int, week: int, by: str, now: datetime
    ) -> None:
        if self.answer_of_week(tour_id, week) is not None:
            return
        # Two clicks of the same week at once: the second insert loses quietly.
        try:
            with self.session.begin_nested():
                self.session.add(
                    CheckinAnswer(
                        workspace_id=workspace_id,
                        tour_id=tour_id,
                        week=week,
                        answered_by=by,
                        answered_at=now,
                    )
                )
        except IntegrityError:
            pass

    def _update(self, where: ColumnElement[bool], values: dict[str, object]) -> bool:
        result = self.session.execute(
            update(CheckinAnswer)
            .where(where)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    # --- what was shipped ---------------------------------------------------------------------

    def add_shipped(
        self, workspace_id: str, tour_id: int, items: Sequence[str], *, by: str, now: datetime
    ) -> None:
        self.session.add_all(
            ShippedItem(
                workspace_id=workspace_id, tour_id=tour_id, text=text, logged_by=by, logged_at=now
            )
            for text in items
        )
        self.session.flush()

    def shipped(self, tour_id: int) -> list[str]:
        """Everything logged for the tour, oldest first."""
        query = (
            select(ShippedItem.text)
            .where(ShippedItem.tour_id == tour_id)
            .order_by(ShippedItem.logged_at, ShippedItem.id)
        )
        return list(self.session.scalars(query))


def _week_answer(row: CheckinAnswer) -> WeekAnswer:
    answer = week_answer(row.week, row.mood, row.meetings_share, row.pulled_back)
    return replace(
        answer,
        details=row.details,
        low_mood_alerted=row.low_mood_alerted_at is not None,
        meetings_alerted=row.meetings_alerted_at is not None,
        pulls_alerted=row.pulls_alerted_at is not None,
    )


def _fresh(query: Select[CheckinAnswer]) -> Select[CheckinAnswer]:
    return query.execution_options(populate_existing=True)


def _week(tour_id: int, week: int) -> ColumnElement[bool]:
    return (CheckinAnswer.tour_id == tour_id) & (CheckinAnswer.week == week)
