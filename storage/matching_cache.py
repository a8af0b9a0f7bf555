"""Matching indexes kept in process, one per workspace, as fresh as the workspace's stamp.

Building the index of a large organisation takes a second or more; answering from it, a few
milliseconds. Each request reads the stamp (one cheap query) and reuses the kept index when no
change has been committed since it was built, by this process or any other on the database. When
the stamp moved, the changes recorded since the kept version name the people, openings and teams
to reload, and the index is updated from those (bot.matching.changes); a process too far behind
(changes pruned, or too many, or a change that names nothing) loads and builds everything again.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from bot.matching import MatchIndex, Organisation
from bot.matching.changes import OrganisationChanges, apply_changes, updated_index
from storage.matching_stamp import EVERYTHING, Change, changes_matching, read_changes, read_stamp

# Rows changed since the kept version beyond which reloading everything is as cheap.
MAX_RELOADED = 2000


@dataclass(frozen=True)
class Loaded:
    """An organisation as loaded, with the visitor id of each person id (changes name people by
    their database id, visitors are keyed by Slack user id)."""

    organisation: Organisation
    people: Mapping[int, str]


class OrganisationSource(Protocol):
    """Where a kept copy reads the organisation from (storage.repositories.matching)."""

    def everything(self) -> Loaded: ...

    def changed(
        self, named: Mapping[str, set[int]], people: Mapping[int, str]
    ) -> tuple[OrganisationChanges, dict[int, str]]:
        """The records `named` (kind -> ids) as they are now, and the person ids -> visitor ids
        of the people among them."""
        ...


class KeptMatching:
    """A workspace's organisation as of `stamp`, and its index, made the first time it is asked:
    updated from the copy it follows when there is one, else built."""

    def __init__(
        self,
        stamp: int,
        loaded: Loaded,
        follows: tuple[KeptMatching, OrganisationChanges] | None = None,
    ) -> None:
        self.stamp = stamp
        self.organisation = loaded.organisation
        self.people = loaded.people
        self._follows = follows
        self._index: MatchIndex | None = None
        self._lock = threading.Lock()

    @property
    def index(self) -> MatchIndex:
        with self._lock:  # one build, however many requests ask at once
            if self._index is None:
                if self._follows is None:
                    self._index = MatchIndex(self.organisation)
                else:
                    previous, changes = self._follows
                    self._index = updated_index(previous.index, self.organisation, changes)
                self._follows = None  # the older copy can go
            return self._index

    def answers(self, stamp: int, today: date, related: Mapping[str, frozenset[str]]) -> bool:
        """Whether this copy can answer for that stamp, day and topic relation. A reader whose
        snapshot is older than the copy gets the newer, committed data."""
        return self.stamp >= stamp and self.same_day(today, related)

    def same_day(self, today: date, related: Mapping[str, frozenset[str]]) -> bool:
        org = self.organisation
        same_related = org.related_topics is related or org.related_topics == related
        return org.today == today and same_related

    def updated(
        self, stamp: int, source: OrganisationSource, changes: list[Change]
    ) -> KeptMatching:
        """This copy moved to `stamp` by reloading only what `changes` name."""
        named: dict[str, set[int]] = defaultdict(set)
        for change in changes:
            named[change.kind].add(change.key)
        found, people = source.changed(named, self.people)
        if None in found.teams.values():  # its people lost their home team in the database
            return KeptMatching(stamp, source.everything())
        organisation = apply_changes(self.organisation, found)
        loaded = Loaded(organisation, {**self.people, **people})
        return KeptMatching(stamp, loaded, follows=(self, found))


def _can_follow(changes: list[Change], after: int, upto: int) -> bool:
    """Whether the recorded changes cover every version in between, each naming what it changed,
    and are few enough to reload one by one."""
    versions = {c.version for c in changes}
    named = {(c.kind, c.key) for c in changes}
    return (
        versions == set(range(after + 1, upto + 1))
        and all(c.kind != EVERYTHING for c in changes)
        and len(named) <= MAX_RELOADED
    )


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
        source: OrganisationSource,
    ) -> KeptMatching:
        """The kept copy when it is current, else one brought up to date from `source` (read in
        `session`, after the stamp was read, so a change committed in between only makes it
        newer: it is read again when its own version comes)."""
        stamp = read_stamp(session, workspace_id)
        if changes_matching(session):  # this transaction's own, uncommitted changes: never kept
            return KeptMatching(stamp, source.everything())
        with self._lock:
            kept = self._kept.get(workspace_id)
            if kept is None or not kept.answers(stamp, today, related):
                kept = self._kept[workspace_id] = self._current(
                    session,
                    workspace_id,
                    kept,
                    stamp=stamp,
                    today=today,
                    related=related,
                    source=source,
                )
            return kept

    @staticmethod
    def _current(
        session: Session,
        workspace_id: str,
        kept: KeptMatching | None,
        *,
        stamp: int,
        today: date,
        related: Mapping[str, frozenset[str]],
        source: OrganisationSource,
    ) -> KeptMatching:
        if kept is not None and kept.same_day(today, related):
            changes = read_changes(session, workspace_id, kept.stamp, stamp)
            if _can_follow(changes, kept.stamp, stamp):
                return kept.updated(stamp, source, changes)
        return KeptMatching(stamp, source.everything())
