"""Retros (one per tour) and share-backs (one per tour), read as the values of bot/retros."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.visits import TourVisit
from bot.retros.model import LengthVerdict, RetroAnswers, SavedRetro, ShareBackRecord
from storage.models import OutboxMessage, Retro, ShareBack
from storage.repositories.visits import tour_visit


class RetroRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def visit(self, workspace_id: str, tour_id: int) -> TourVisit | None:
        return tour_visit(self.session, workspace_id, tour_id)

    # --- retros -------------------------------------------------------------------------------

    def of_tour(self, tour_id: int) -> SavedRetro | None:
        retro = self._retro(tour_id)
        return _saved(retro) if retro is not None else None

    def _retro(self, tour_id: int) -> Retro | None:
        query = select(Retro).where(Retro.tour_id == tour_id)
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def save(
        self, workspace_id: str, tour_id: int, answers: RetroAnswers, *, now: datetime
    ) -> tuple[SavedRetro, bool]:
        """Creates the tour's retro or overwrites it; True when it is new. Two submissions at
        once: the second insert loses to the unique tour_id and updates instead."""
        retro = self._retro(tour_id)
        if retro is None:
            try:
                with self.session.begin_nested():
                    retro = Retro(workspace_id=workspace_id, tour_id=tour_id, created_at=now)
                    _write(retro, answers)
                    self.session.add(retro)
                return _saved(retro), True
            except IntegrityError:
                retro = self._retro(tour_id)
                assert retro is not None
        _write(retro, answers)
        retro.updated_at = now
        self.session.flush()
        return _saved(retro), False

    def place_highlight(self, tour_id: int, channel: str | None, ts: str | None) -> None:
        self._update_retro(tour_id, highlight_channel=channel, highlight_ts=ts)

    def set_stuck(self, tour_id: int, stuck: Sequence[str]) -> None:
        self._update_retro(tour_id, stuck=list(stuck))

    def _update_retro(self, tour_id: int, **values: object) -> None:
        self.session.execute(
            update(Retro)
            .where(Retro.tour_id == tour_id)
            .values(**values)
            .execution_options(synchronize_session="fetch")
        )

    def drop_pending_message(self, workspace_id: str, unique_key: str) -> None:
        """A planned message (the follow-up) that is no longer wanted, unless already sent."""
        self.session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.unique_key == unique_key,
                OutboxMessage.status == "pending",
            )
            .execution_options(synchronize_session=False)
        )

    # --- share-backs --------------------------------------------------------------------------

    def share_back(self, tour_id: int) -> ShareBackRecord | None:
        row = self._share_back(tour_id)
        return _share_back_record(row) if row is not None else None

    def _share_back(self, tour_id: int) -> ShareBack | None:
        query = select(ShareBack).where(ShareBack.tour_id == tour_id)
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def _share_back_row(self, workspace_id: str, tour_id: int, by: str, now: datetime) -> ShareBack:
        existing = self._share_back(tour_id)
        if existing is not None:
            return existing
        try:
            with self.session.begin_nested():
                row = ShareBack(
                    workspace_id=workspace_id, tour_id=tour_id, recorded_by=by, recorded_at=now
                )
                self.session.add(row)
            return row
        except IntegrityError:  # the other click won: use its row
            theirs = self._share_back(tour_id)
            assert theirs is not None
            return theirs

    def mark_shared(self, workspace_id: str, tour_id: int, *, by: str, now: datetime) -> bool:
        """Records that the visitor shared back; False if that was recorded already."""
        row = self._share_back_row(workspace_id, tour_id, by, now)
        result = self.session.execute(
            update(ShareBack)
            .where(ShareBack.id == row.id, ShareBack.done_at.is_(None))
            .values(done_at=now, recorded_by=by, recorded_at=now)
            .execution_options(synchronize_session="fetch")
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    def book_session(
        self, workspace_id: str, tour_id: int, *, day: date, channel: str, by: str, now: datetime
    ) -> ShareBackRecord:
        row = self._share_back_row(workspace_id, tour_id, by, now)
        row.session_on, row.session_channel, row.session_ts = day, channel, None
        row.recorded_by, row.recorded_at = by, now
        self.session.flush()
        return _share_back_record(row)

    def place_session(self, tour_id: int, channel: str, ts: str) -> None:
        """Where the session's announcement was posted."""
        self.session.execute(
            update(ShareBack)
            .where(ShareBack.tour_id == tour_id)
            .values(session_channel=channel, session_ts=ts)
            .execution_options(synchronize_session="fetch")
        )


def _write(retro: Retro, answers: RetroAnswers) -> None:
    retro.learned, retro.bring_back = answers.learned, list(answers.action_items)
    retro.rating, retro.length_verdict = answers.rating, str(answers.length)
    retro.shareable = answers.shareable


def _saved(retro: Retro) -> SavedRetro:
    return SavedRetro(
        workspace_id=retro.workspace_id,
        answers=RetroAnswers(
            learned=retro.learned,
            action_items=tuple(retro.bring_back),
            rating=retro.rating,
            length=LengthVerdict(retro.length_verdict),
            shareable=retro.shareable,
        ),
        highlight_channel=retro.highlight_channel,
        highlight_ts=retro.highlight_ts,
        stuck=tuple(retro.stuck),
    )


def _share_back_record(row: ShareBack) -> ShareBackRecord:
    return ShareBackRecord(
        done=row.done_at is not None, session_on=row.session_on, session_channel=row.session_channel
    )
