"""The workspaces the bot is installed in: registered on start (one token) or on install (OAuth),
paused when Slack takes them away, each with its own settings over the environment's defaults."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.core.ports import UnitOfWork, UnitOfWorkFactory
from bot.workspaces.model import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InstalledWorkspace:
    """A workspace as the scheduler and the settings need it. Its own settings are None where it
    keeps the environment's default."""

    id: str
    enterprise_id: str | None = None
    is_enterprise_install: bool = False  # its bot token is the organisation's
    organiser_ids: frozenset[str] | None = None
    announcement_channel: str | None = None
    timezone: str | None = None


def register_installation(
    uow_factory: UnitOfWorkFactory,
    workspace: InstalledWorkspace,
    *,
    name: str,
    bot_user_id: str | None,
    installer_id: str | None,
    now: datetime,
) -> None:
    """A (re)install: the workspace is active again; whoever installed it first is its organiser
    unless it has organisers already."""
    with uow_factory() as uow:
        uow.workspaces.register(
            workspace, name=name, bot_user_id=bot_user_id, installer_id=installer_id, now=now
        )
        uow.commit()


def register_workspace(
    uow_factory: UnitOfWorkFactory, workspace_id: str, *, name: str, bot_user_id: str, now: datetime
) -> None:
    with uow_factory() as uow:
        uow.workspaces.upsert(workspace_id, name=name, bot_user_id=bot_user_id, now=now)
        uow.commit()


def mark_uninstalled(
    uow: UnitOfWork, workspace_id: str, now: datetime, organisation: str | None = None
) -> None:
    """`organisation`: an org-wide install was removed, so every workspace it served stops."""
    # The first time counts: the retention period runs from it, whatever Slack repeats.
    newly = [w.id for w in _served(uow, workspace_id, organisation) if w.uninstalled_at is None]
    uow.workspaces.mark_uninstalled(newly, now)
    uow.audit.record(workspace_id, action="app_uninstalled", actor_user_id=None, now=now)


def mark_tokens_revoked(
    uow: UnitOfWork,
    workspace_id: str,
    revoked_user_ids: list[str],
    now: datetime,
    organisation: str | None = None,
) -> None:
    newly = [
        workspace.id
        for workspace in _served(uow, workspace_id, organisation)
        if workspace.bot_user_id in revoked_user_ids and workspace.tokens_revoked_at is None
    ]
    uow.workspaces.mark_tokens_revoked(newly, now)
    uow.audit.record(
        workspace_id,
        action="tokens_revoked",
        actor_user_id=None,
        now=now,
        detail={"bot_user_ids": revoked_user_ids},
    )


def _served(uow: UnitOfWork, workspace_id: str, organisation: str | None) -> list[Workspace]:
    """The workspace, and with an org-wide install every workspace of its organisation."""
    served = {} if organisation is None else uow.workspaces.served_org_wide(organisation)
    workspace = uow.workspaces.get(workspace_id)
    if workspace is not None:
        served[workspace.id] = workspace
    return list(served.values())
