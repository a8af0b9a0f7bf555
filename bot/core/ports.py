"""What the use cases need from storage, as protocols: storage/ implements them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol


class Workspaces(Protocol):
    def upsert(self, workspace_id: str, *, name: str, bot_user_id: str, now: datetime) -> Any: ...

    def get(self, workspace_id: str) -> Any: ...

    def register(
        self,
        workspace: Any,
        *,
        name: str,
        bot_user_id: str | None,
        installer_id: str | None,
        now: datetime,
    ) -> None: ...

    def installed(self, workspace_id: str) -> Any: ...

    def active(self) -> list[Any]: ...

    def served_org_wide(self, enterprise_id: str) -> dict[str, Any]: ...


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
    """A read-only transaction: what the Home tab, lists and previews read from."""

    workspaces: Workspaces
    inbox: Inbox
    audit: Audit


class UnitOfWork(ReadOnlyUnitOfWork, Protocol):
    def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], AbstractContextManager[UnitOfWork]]
# Reading never waits for a writer (nor holds one up); a writing factory also fits here.
ReaderFactory = Callable[[], AbstractContextManager[ReadOnlyUnitOfWork]]
