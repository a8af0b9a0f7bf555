"""Slack taking a workspace away: which workspaces are stamped, and that the first time counts,
on an in-memory fake of the workspaces port."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from bot.workspaces.model import Workspace
from bot.workspaces.service import mark_tokens_revoked, mark_uninstalled

NOW = datetime(2026, 11, 23, 10, 0)
LATER = NOW + timedelta(hours=1)


class FakeWorkspaces:
    def __init__(self, *workspaces: Workspace, organisation: Sequence[str] = ()) -> None:
        self.rows = {workspace.id: workspace for workspace in workspaces}
        self.organisation = organisation  # the ids an org-wide install of E1 serves

    def get(self, workspace_id: str) -> Workspace | None:
        return self.rows.get(workspace_id)

    def served_org_wide(self, enterprise_id: str) -> dict[str, Workspace]:
        assert enterprise_id == "E1"
        return {workspace_id: self.rows[workspace_id] for workspace_id in self.organisation}

    def mark_uninstalled(self, workspace_ids: Sequence[str], now: datetime) -> None:
        for workspace_id in workspace_ids:
            self.rows[workspace_id] = replace(self.rows[workspace_id], uninstalled_at=now)

    def mark_tokens_revoked(self, workspace_ids: Sequence[str], now: datetime) -> None:
        for workspace_id in workspace_ids:
            self.rows[workspace_id] = replace(self.rows[workspace_id], tokens_revoked_at=now)


def workspace(workspace_id: str, bot_user_id: str = "U0BOT") -> Workspace:
    return Workspace(workspace_id, "Acme", bot_user_id, NOW - timedelta(days=30))


def unit_of_work(workspaces: FakeWorkspaces) -> Any:
    audit = SimpleNamespace(record=lambda *_, **__: None)
    return SimpleNamespace(workspaces=workspaces, audit=audit)


def test_an_uninstall_repeated_later_keeps_the_first_time():
    workspaces = FakeWorkspaces(workspace("T1"), workspace("T2"))
    mark_uninstalled(unit_of_work(workspaces), "T1", NOW)
    mark_uninstalled(unit_of_work(workspaces), "T1", LATER)
    assert [w.uninstalled_at for w in workspaces.rows.values()] == [NOW, None]


def test_removing_an_org_wide_install_uninstalls_every_workspace_it_served():
    workspaces = FakeWorkspaces(
        workspace("T1A"), workspace("T1B"), workspace("T2"), organisation=("T1A", "T1B")
    )
    mark_uninstalled(unit_of_work(workspaces), "T1A", NOW, organisation="E1")
    assert [w.uninstalled_at for w in workspaces.rows.values()] == [NOW, NOW, None]


def test_only_the_workspaces_whose_bot_token_was_revoked_are_stamped_the_first_time():
    workspaces = FakeWorkspaces(
        workspace("T1A", "U0REVOKED"), workspace("T1B", "U0KEPT"), organisation=("T1A", "T1B")
    )
    mark_tokens_revoked(unit_of_work(workspaces), "T1A", ["U0REVOKED"], NOW, organisation="E1")
    mark_tokens_revoked(unit_of_work(workspaces), "T1A", ["U0REVOKED"], LATER, organisation="E1")
    assert [w.tokens_revoked_at for w in workspaces.rows.values()] == [NOW, None]
