"""The workspace the bot is installed in: registered on start, paused when Slack takes it away."""

from __future__ import annotations

from datetime import datetime

from bot.core.ports import UnitOfWork, UnitOfWorkFactory


def register_workspace(
    uow_factory: UnitOfWorkFactory, workspace_id: str, *, name: str, bot_user_id: str, now: datetime
) -> None:
    with uow_factory() as uow:
        uow.workspaces.upsert(workspace_id, name=name, bot_user_id=bot_user_id, now=now)
        uow.commit()


def mark_uninstalled(uow: UnitOfWork, workspace_id: str, now: datetime) -> None:
    workspace = uow.workspaces.get(workspace_id)
    if workspace is not None:
        workspace.uninstalled_at = now
    uow.audit.record(workspace_id, action="app_uninstalled", actor_user_id=None, now=now)


def mark_tokens_revoked(
    uow: UnitOfWork, workspace_id: str, revoked_user_ids: list[str], now: datetime
) -> None:
    workspace = uow.workspaces.get(workspace_id)
    if workspace is not None and workspace.bot_user_id in revoked_user_ids:
        workspace.tokens_revoked_at = now
    uow.audit.record(
        workspace_id,
        action="tokens_revoked",
        actor_user_id=None,
        now=now,
        detail={"bot_user_ids": revoked_user_ids},
    )
