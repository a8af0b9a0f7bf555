"""What the use cases need from storage, as protocols: storage/ implements them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    # Annotations only: each feature owns the protocol of its repository.
    from bot.applications.ports import Applications, Extensions, VisitTours
    from bot.checkins.ports import Checkins
    from bot.directory.ports import Teams
    from bot.forgetting.ports import Forgetting
    from bot.history.ports import HistoryLog
    from bot.home.ports import HomeOverview
    from bot.matching.ports import Matching, ProposalBook, Proposals
    from bot.openings.service import Openings
    from bot.profiles.service import People
    from bot.retros.ports import Retros
    from bot.scheduling.ports import Outbox, Pace
    from bot.stats.ports import Stats
    from bot.topics.service import TopicHolders
    from bot.workspaces.model import Workspace
    from bot.workspaces.service import InstalledWorkspace


class Workspaces(Protocol):
    def upsert(self, workspace_id: str, *, name: str, bot_user_id: str, now: datetime) -> None: ...

    def get(self, workspace_id: str) -> Workspace | None: ...

    def register(
        self,
        workspace: InstalledWorkspace,
        *,
        name: str,
        bot_user_id: str | None,
        installer_id: str | None,
        now: datetime,
    ) -> None: ...

    def installed(self, workspace_id: str) -> InstalledWorkspace | None: ...

    def active(self) -> list[InstalledWorkspace]: ...

    def served_org_wide(self, enterprise_id: str) -> dict[str, Workspace]: ...

    def mark_uninstalled(self, workspace_ids: Sequence[str], now: datetime) -> None: ...

    def mark_tokens_revoked(self, workspace_ids: Sequence[str], now: datetime) -> None: ...


class Inbox(Protocol):
    def claim(
        self,
        event_id: str,
        *,
        workspace_id: str,
        event_type: str,
        now: datetime,
        stale_before: datetime | None = None,
    ) -> bool: ...

    def complete(self, event_id: str, *, now: datetime) -> None: ...

    def release(self, event_id: str) -> None: ...

    def prune(self, workspace_id: str, *, claimed_before: datetime) -> int: ...


class Audit(Protocol):
    def record(
        self,
        workspace_id: str,
        *,
        action: str,
        actor_user_id: str | None,
        now: datetime,
        subject: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None: ...


class ReadOnlyUnitOfWork(Protocol):
    """A read-only transaction: what the Home tab, lists and previews read from.

    Repositories are read-only properties, so that a feature's narrower protocol (which names
    only what it uses) accepts this one."""

    @property
    def workspaces(self) -> Workspaces: ...
    @property
    def inbox(self) -> Inbox: ...
    @property
    def audit(self) -> Audit: ...
    @property
    def applications(self) -> Applications: ...
    @property
    def extensions(self) -> Extensions: ...
    @property
    def tours(self) -> VisitTours: ...
    @property
    def history(self) -> HistoryLog: ...
    @property
    def teams(self) -> Teams: ...
    @property
    def openings(self) -> Openings: ...
    @property
    def people(self) -> People: ...
    @property
    def stats(self) -> Stats: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def pace(self) -> Pace: ...
    @property
    def forgetting(self) -> Forgetting: ...
    @property
    def topics(self) -> TopicHolders: ...
    @property
    def checkins(self) -> Checkins: ...
    @property
    def retros(self) -> Retros: ...
    @property
    def overview(self) -> HomeOverview: ...
    @property
    def matching(self) -> Matching: ...
    @property
    def proposals(self) -> Proposals: ...


class UnitOfWork(ReadOnlyUnitOfWork, Protocol):
    @property
    def proposals(self) -> ProposalBook: ...
    def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], AbstractContextManager[UnitOfWork]]
# Reading never waits for a writer (nor holds one up); a writing factory also fits here.
ReaderFactory = Callable[[], AbstractContextManager[ReadOnlyUnitOfWork]]
