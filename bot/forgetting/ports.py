"""What forgetting needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.forgetting.model import PersonalData


class Forgetting(Protocol):
    def personal_data(self, workspace_id: str, user_id: str) -> PersonalData: ...

    def forget(self, workspace_id: str, user_id: str, tombstone: str) -> PersonalData: ...

    def note_deactivation(self, workspace_id: str, user_id: str, at: datetime | None) -> None: ...

    def deactivated_before(self, workspace_id: str, cutoff: datetime) -> list[str]: ...

    def workspace_rows(self, workspace_id: str) -> dict[str, int]: ...

    def purge_workspace(self, workspace_id: str) -> dict[str, int]: ...

    def uninstalled_before(self, cutoff: datetime) -> list[str]: ...
