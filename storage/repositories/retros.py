"""Retros (one per tour) and share-backs (one per tour)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import OutboxMessage, Retro, ShareBack


class RetroRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- retros -------------------------------------------------------------------------------

    def of_tour(self, tour_id: int) -> Retro | None:
        query = select(Retro).where(Retro.tour_id == tour_id)
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def save(
        self,
        workspace_id: str,
        tour_id: int,
        *,
        learned: str,
        action_items: Sequence[str],
        rating: int,
        length_verdict: str,
        shareable: bool,
        now: datetime,
    ) -> tuple[Retro, bool]:
        """Creates the tour's retro or overwrites it; True when it is new. Two submissions at
        once: the second insert loses to the unique tour_id and updates instead."""
        values = {
            "learned": learned,
            "bring_back": list(action_items),
            "rating": rating,
            "length_verdict": length_verdict,
            "shareable": shareable,
        }
        retro = self.of_tour(tour_id)
        if retro is None:
            try:
                with self.session.begin_nested():
                    retro = Retro(workspace_id=workspace_id, tour_id=tour_id, created_at=now)
                    for name, value in values.items():
                        setattr(retro, name, value)
                    self.session.add(retro)
                return retro, True
            except IntegrityError:
                retro = self.of_tour(tour_id)
                assert retro is not None
        for name, value in values.items():
            setattr(retro, name, value)
        retro.updated_at = now
        self.session.flush()
        return retro, False

    def place_highlight(self, retro: Retro, channel: str | None, ts: str | None) -> None:
        retro.highlight_channel, retro.highlight_ts = channel, ts
        self.session.flush()

    def set_stuck(self, retro: Retro, stuck: Sequence[str]) -> None:
        retro.stuck = list(stuck)
        self.session.flush()

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

    def share_back(self, tour_id: int) -> ShareBack | None:
        query = select(ShareBack).where(ShareBack.tour_id == tour_id)
        return self.session.scalars(query.execution_options(populate_existing=True)).first()

    def _share_back_row(self, workspace_id: str, tour_id: int, by: str, now: datetime) -> ShareBack:
        existing = self.share_back(tour_id)
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
            theirs = self.share_back(tour_id)
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
    ) -> ShareBack:
        row = self._share_back_row(workspace_id, tour_id, by, now)
        row.session_on, row.session_channel, row.session_ts = day, channel, None
        row.recorded_by, row.recorded_at = by, now
        self.session.flush()
        return row

    def place_session(self, tour_id: int, channel: str, ts: str) -> None:
        """Where the session's announcement was posted."""
        self.session.execute(
            update(ShareBack)
            .where(ShareBack.tour_id == tour_id)
            .values(session_channel=channel, session_ts=ts)
            .execution_options(synchronize_session="fetch")
        )
