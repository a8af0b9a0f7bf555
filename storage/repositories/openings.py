from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import null, select, update
from sqlalchemy.orm import Session, defaultload

from bot.core.user_text import match_key
from bot.openings.model import (
    Announcement,
    ListedOpening,
    OpeningDraft,
    PostedOpening,
    Status,
)
from storage.models import Opening, Team


class OpeningRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, workspace_id: str, opening_id: int) -> Opening | None:
        opening = self.session.get(Opening, opening_id)
        return opening if opening is not None and opening.workspace_id == workspace_id else None

    def get(self, workspace_id: str, opening_id: int) -> PostedOpening | None:
        opening = self._row(workspace_id, opening_id)
        return None if opening is None else posted_opening(opening)

    def by_ids(self, workspace_id: str, opening_ids: Sequence[int]) -> dict[int, PostedOpening]:
        """The workspace's openings among `opening_ids`, by id, in one query however many."""
        query = (
            select(Opening)
            .where(Opening.workspace_id == workspace_id, Opening.id.in_(opening_ids))
            .options(defaultload(Opening.host_team).lazyload(Team.blackouts))  # not shown
        )
        return {opening.id: posted_opening(opening) for opening in self.session.scalars(query)}

    def open(self, workspace_id: str, team_ids: Sequence[int] | None = None) -> list[PostedOpening]:
        """Open openings, soonest first; only those of `team_ids` when given."""
        query = select(Opening).where(
            Opening.workspace_id == workspace_id, Opening.status == Status.OPEN
        )
        query = query.options(defaultload(Opening.host_team).lazyload(Team.blackouts))  # not shown
        if team_ids is not None:
            query = query.where(Opening.host_team_id.in_(team_ids))
        query = query.order_by(Opening.earliest_start, Opening.id)
        return [posted_opening(opening) for opening in self.session.scalars(query)]

    def listing(self, workspace_id: str, *, with_topics: bool) -> list[ListedOpening]:
        """Every open opening as a light row (no team, no text), soonest first; their topics
        only when asked (reading them costs more than all the rest)."""
        topics = Opening.topics if with_topics else null()
        query = (
            select(
                Opening.id,
                Opening.host_team_id,
                topics,
                Opening.latest_end,
                Opening.weeks,
                Opening.apply_by,
            )
            .where(Opening.workspace_id == workspace_id, Opening.status == Status.OPEN)
            .order_by(Opening.earliest_start, Opening.id)
        )
        return [
            ListedOpening(row[0], row[1], tuple(row[2] or ()), *row[3:])
            for row in self.session.execute(query)
        ]

    def open_title_taken(
        self, workspace_id: str, team_id: int, title: str, *, except_id: int | None
    ) -> bool:
        """Whether another open opening of the team has this title, ignoring case (any script's)
        and spacing."""
        query = select(Opening.id).where(
            Opening.workspace_id == workspace_id,
            Opening.host_team_id == team_id,
            Opening.status == Status.OPEN,
            Opening.title_key == match_key(title),
        )
        if except_id is not None:
            query = query.where(Opening.id != except_id)
        return self.session.scalars(query.limit(1)).first() is not None

    def create(
        self, workspace_id: str, draft: OpeningDraft, *, created_by: str, now: datetime
    ) -> PostedOpening:
        opening = Opening(workspace_id=workspace_id, created_by=created_by, created_at=now)
        _fill(opening, draft)
        self.session.add(opening)
        self.session.flush()
        return posted_opening(opening)

    def update(self, workspace_id: str, opening_id: int, draft: OpeningDraft) -> PostedOpening:
        opening = self._row(workspace_id, opening_id)
        if opening is None:
            raise LookupError(f"no opening {opening_id} in {workspace_id}")
        _fill(opening, draft)
        self.session.flush()
        # A changed team is loaded afresh, so the name shown is the new team's.
        self.session.refresh(opening)
        return posted_opening(opening)

    def set_status(self, workspace_id: str, opening_ids: Sequence[int], status: str) -> None:
        self.session.execute(
            update(Opening)
            .where(Opening.workspace_id == workspace_id, Opening.id.in_(opening_ids))
            .values(status=status)
        )
        self.session.expire_all()

    def set_announcement(
        self, workspace_id: str, opening_id: int, channel_id: str, ts: str
    ) -> None:
        opening = self._row(workspace_id, opening_id)
        if opening is not None:
            opening.announcement_channel = channel_id
            opening.announcement_ts = ts
            self.session.flush()


def _fill(opening: Opening, draft: OpeningDraft) -> None:
    opening.host_team_id = draft.team_id  # type: ignore[assignment]
    opening.title = draft.title
    opening.description = draft.description
    opening.topics = list(draft.topics)
    opening.hopes_to_learn = list(draft.hopes_to_learn)
    opening.expected_output = str(draft.expected_output)
    opening.earliest_start = draft.earliest_start  # type: ignore[assignment]
    opening.latest_end = draft.latest_end  # type: ignore[assignment]
    opening.weeks = draft.weeks  # type: ignore[assignment]
    opening.seats = draft.seats  # type: ignore[assignment]
    opening.buddy_user_id = draft.buddy_user_id
    opening.work_mode = str(draft.work_mode)
    opening.first_day_kit = draft.first_day_kit
    opening.apply_by = draft.apply_by
    opening.announce = draft.announce


def posted_opening(opening: Opening) -> PostedOpening:
    announcement = None
    if opening.announcement_channel and opening.announcement_ts:
        announcement = Announcement(opening.announcement_channel, opening.announcement_ts)
    return PostedOpening(
        id=opening.id,
        workspace_id=opening.workspace_id,
        team_name=opening.host_team.name,
        team_lead_ids=tuple(sorted(lead.user_id for lead in opening.host_team.leads)),
        draft=OpeningDraft(
            team_id=opening.host_team_id,
            title=opening.title,
            description=opening.description,
            topics=tuple(opening.topics),
            hopes_to_learn=tuple(opening.hopes_to_learn),
            expected_output=opening.expected_output,
            earliest_start=opening.earliest_start,
            latest_end=opening.latest_end,
            weeks=opening.weeks,
            seats=opening.seats,
            buddy_user_id=opening.buddy_user_id,
            work_mode=opening.work_mode,
            first_day_kit=opening.first_day_kit,
            apply_by=opening.apply_by,
            announce=opening.announce,
        ),
        status=opening.status,
        seats_taken=opening.seats_taken,
        created_by=opening.created_by,
        announcement=announcement,
    )
