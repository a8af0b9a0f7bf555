"""Topic lists as profiles and openings hold them, for merging a stray topic."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from bot.topics.model import MergeCounts
from bot.topics.service import Rename
from storage.models import Opening, Person


class TopicRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def rename(self, workspace_id: str, topic: str, rename: Rename) -> MergeCounts:
        # JSON lists are compared in Python: a merge is a rare organiser's step, and matching
        # JSON text in SQL differs between SQLite and PostgreSQL (escapes, spacing).
        people = self.session.scalars(
            select(Person)
            .options(lazyload(Person.home_team))
            .where(Person.workspace_id == workspace_id)
        )
        profiles = sum(
            _rename(row, ("learn_topics", "teach_topics"), topic, rename) for row in people
        )
        openings = self.session.scalars(select(Opening).where(Opening.workspace_id == workspace_id))
        changed = sum(_rename(row, ("topics", "hopes_to_learn"), topic, rename) for row in openings)
        self.session.flush()
        return MergeCounts(profiles=profiles, openings=changed)


def _rename(row: Person | Opening, names: Sequence[str], topic: str, rename: Rename) -> bool:
    """True when the row held the topic in any of its lists `names` (now renamed)."""
    held = False
    for name in names:
        topics: list[str] = getattr(row, name)
        if topic in topics:
            setattr(row, name, rename(topics))
            held = True
    return held
