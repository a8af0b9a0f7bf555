"""Matching indexes kept in process, one per workspace, as fresh as the workspace's stamp.

Building the index of a large organisation takes a second or more; answering from it, a few
milliseconds. Each request reads the stamp (one cheap query) and reuses the kept index when no
change has been committed since it was built, by this process or any other on the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy.orm import Session

from bot.matching import MatchIndex, Organisation
from storage.matching_stamp import changes_matching, read_stamp


@dataclass(frozen=True)
class KeptMatching:
    """A workspace's organisation as of `stamp`, and its index, built the first time it is asked."""

    stamp: int
    organisation: Organisation
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @cached_property
    def _built(self) -> MatchIndex:
        return MatchIndex(self.organisation)

    @property
    def index(self) -> MatchIndex:
        with self._lock:  # one build, however many requests ask at once
            return self._built

    def answers(self, stamp: int, today: date, related: Mapping[str, frozenset[str]]) -> bool:
        """Whether this copy can answer for that stamp, day and topic relation. A reader whose
        snapshot is older than the copy gets the newer, committed data."""
        org = self.organisation
        same_related = org.related_topics is related or org.related_topics == related
        return self.stamp >= stamp and org.today == today and same_related


class MatchIndexes:
    """The kept matching data of every workspace this process has answered for."""

    def __init__(self) -> None:
        self._kept: dict[str, KeptMatching] = {}
        self._lock = threading.Lock()

    def get(
        self,
        session: Session,
        workspace_id: str,
        *,
        today: date,
        related: Mapping[str, frozenset[str]],
        load: Callable[[], Organisation],
    ) -> KeptMatching:
        """The kept copy when it is current, else a fresh one from `load` (run in `session`,
        after the stamp was read, so a change committed in between only makes it newer)."""
        stamp = read_stamp(session, workspace_id)
        if changes_matching(session):  # this transaction's own, uncommitted changes: never kept
            return KeptMatching(stamp, load())
        with self._lock:
            kept = self._kept.get(workspace_id)
            if kept is None or not kept.answers(stamp, today, related):
                kept = self._kept[workspace_id] = KeptMatching(stamp, load())
            return kept
