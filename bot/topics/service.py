"""Merging a stray topic into a vocabulary entry in every profile and opening (organisers only)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.ports import Audit
from bot.core.topics import TopicVocabulary
from bot.topics.model import Merge, MergeCounts, MergeProblem, merged, read_merge

Rename = Callable[[Sequence[str]], list[str]]


class TopicHolders(Protocol):
    def rename(self, workspace_id: str, topic: str, rename: Rename) -> MergeCounts:
        """Applies `rename` to each topic list holding `topic`; counts the rows changed."""
        ...


class MergeUnitOfWork(Protocol):
    @property
    def topics(self) -> TopicHolders: ...
    @property
    def audit(self) -> Audit: ...

    def commit(self) -> None: ...


MergeUnitOfWorkFactory = Callable[[], AbstractContextManager[MergeUnitOfWork]]


@dataclass(frozen=True)
class Merged:
    merge: Merge
    counts: MergeCounts


class NotOrganiser:
    """Only organisers merge topics: it changes other people's profiles and openings."""


def merge_topic(
    uow_factory: MergeUnitOfWorkFactory,
    *,
    workspace_id: str,
    actor_id: str,
    is_organiser: bool,
    typed: str,
    vocabulary: TopicVocabulary,
    now: datetime,
) -> Merged | MergeProblem | NotOrganiser:
    if not is_organiser:
        return NotOrganiser()
    merge = read_merge(typed, vocabulary)
    if isinstance(merge, MergeProblem):
        return merge
    with uow_factory() as uow:
        counts = uow.topics.rename(workspace_id, merge.stray, lambda topics: merged(topics, merge))
        if counts.total:
            uow.audit.record(
                workspace_id,
                action="topic_merged",
                actor_user_id=actor_id,
                now=now,
                subject=f"topic:{merge.stray}"[:60],
                detail={
                    "into": merge.entry,
                    "profiles": counts.profiles,
                    "openings": counts.openings,
                },
            )
            uow.commit()
    return Merged(merge, counts)
