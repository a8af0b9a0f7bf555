"""Repositories: every query the bot makes lives here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.history.model import HistoryEntry, HistoryVisit
from bot.workspaces.model import Workspace as StoredWorkspace
from bot.workspaces.service import InstalledWorkspace
from storage.history import HISTORY_ACTIONS, history_entry
from storage.models import Application, AuditEntry, InboxEvent, Team, Tour, Workspace


class WorkspaceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, workspace_id: str) -> StoredWorkspace | None:
        workspace = self.session.get(Workspace, workspace_id)
        return None if workspace is None else _stored(workspace)

    def upsert(self, workspace_id: str, *, name: str, bot_user_id: str, now: datetime) -> None:
        workspace = self.session.get(Workspace, workspace_id)
        if workspace is None:
            workspace = Workspace(id=workspace_id, installed_at=now)
            self.session.add(workspace)
        workspace.name = name
        workspace.bot_user_id = bot_user_id
        workspace.uninstalled_at = None
        workspace.tokens_revoked_at = None
        self.session.flush()

    def register(
        self,
        installed: InstalledWorkspace,
        *,
        name: str,
        bot_user_id: str | None,
        installer_id: str | None,
        now: datetime,
    ) -> None:
        """Creates or reactivates an installed workspace; its own settings are kept."""
        workspace = self.session.get(Workspace, installed.id)
        if workspace is None:
            workspace = Workspace(id=installed.id, installed_at=now)
            self.session.add(workspace)
        workspace.name = name or workspace.name or ""
        workspace.bot_user_id = bot_user_id or workspace.bot_user_id
        workspace.enterprise_id = installed.enterprise_id
        workspace.is_enterprise_install = installed.is_enterprise_install
        if workspace.organiser_ids is None and installer_id:
            workspace.organiser_ids = [installer_id]
        workspace.uninstalled_at = None
        workspace.tokens_revoked_at = None
        self.session.flush()

    def installed(self, workspace_id: str) -> InstalledWorkspace | None:
        workspace = self.session.get(Workspace, workspace_id)
        return None if workspace is None else _installed(workspace)

    def active(self) -> list[InstalledWorkspace]:
        """Workspaces the bot is still installed in, with a token Slack has not revoked."""
        rows = self.session.scalars(
            select(Workspace)
            .where(Workspace.uninstalled_at.is_(None), Workspace.tokens_revoked_at.is_(None))
            .order_by(Workspace.id)
        )
        return [_installed(workspace) for workspace in rows]

    def served_org_wide(self, enterprise_id: str) -> dict[str, StoredWorkspace]:
        """The workspaces an org-wide install of `enterprise_id` serves, by id."""
        rows = self.session.scalars(
            select(Workspace).where(
                Workspace.enterprise_id == enterprise_id, Workspace.is_enterprise_install
            )
        )
        return {workspace.id: _stored(workspace) for workspace in rows}

    def mark_uninstalled(self, workspace_ids: Sequence[str], now: datetime) -> None:
        self._stamp(workspace_ids, uninstalled_at=now)

    def mark_tokens_revoked(self, workspace_ids: Sequence[str], now: datetime) -> None:
        self._stamp(workspace_ids, tokens_revoked_at=now)

    def _stamp(self, workspace_ids: Sequence[str], **stamps: datetime) -> None:
        if workspace_ids:
            self.session.execute(
                update(Workspace).where(Workspace.id.in_(workspace_ids)).values(**stamps)
            )


def _stored(workspace: Workspace) -> StoredWorkspace:
    return StoredWorkspace(
        id=workspace.id,
        name=workspace.name,
        bot_user_id=workspace.bot_user_id,
        installed_at=workspace.installed_at,
        uninstalled_at=workspace.uninstalled_at,
        tokens_revoked_at=workspace.tokens_revoked_at,
    )


def _installed(workspace: Workspace) -> InstalledWorkspace:
    return InstalledWorkspace(
        id=workspace.id,
        enterprise_id=workspace.enterprise_id,
        is_enterprise_install=workspace.is_enterprise_install,
        organiser_ids=(
            None if workspace.organiser_ids is None else frozenset(workspace.organiser_ids)
        ),
        announcement_channel=workspace.announcement_channel,
        timezone=workspace.timezone,
    )


class InboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(
        self,
        event_id: str,
        *,
        workspace_id: str,
        event_type: str,
        now: datetime,
        stale_before: datetime | None = None,
    ) -> bool:
        """Claims the event in this transaction; False if it was processed or is claimed.

        A claim made before `stale_before` and never completed (its process died) is taken
        over. A concurrent delivery of the same event waits on the primary key until this
        transaction ends: if it commits, the other sees the claim; if not, the other claims it.
        """
        try:
            with self.session.begin_nested():
                self.session.add(
                    InboxEvent(
                        event_id=event_id,
                        workspace_id=workspace_id,
                        event_type=event_type,
                        claimed_at=now,
                    )
                )
            return True
        except IntegrityError:
            if stale_before is None:
                return False
        taken = self.session.execute(
            update(InboxEvent)
            .where(
                InboxEvent.event_id == event_id,
                InboxEvent.processed_at.is_(None),
                InboxEvent.claimed_at < stale_before,
            )
            .values(claimed_at=now)
        )
        # Session.execute types every result as Result; an UPDATE gives a CursorResult.
        return int(taken.rowcount) == 1  # type: ignore[attr-defined]

    def complete(self, event_id: str, *, now: datetime) -> None:
        """Marks a claimed event processed: its redeliveries are no-ops from now on."""
        self.session.execute(
            update(InboxEvent).where(InboxEvent.event_id == event_id).values(processed_at=now)
        )

    def release(self, event_id: str) -> None:
        """Gives back the claim of an event whose effect failed, so its redelivery runs it."""
        self.session.execute(
            delete(InboxEvent).where(
                InboxEvent.event_id == event_id, InboxEvent.processed_at.is_(None)
            )
        )

    def count(self) -> int:
        return len(self.session.scalars(select(InboxEvent.event_id)).all())

    def prune(self, workspace_id: str, *, claimed_before: datetime) -> int:
        """Forgets events claimed before the cutoff (processed long ago, or abandoned); returns
        how many went."""
        result = self.session.execute(
            delete(InboxEvent)
            .where(
                InboxEvent.workspace_id == workspace_id,
                InboxEvent.claimed_at < claimed_before,
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        workspace_id: str,
        *,
        action: str,
        actor_user_id: str | None,
        now: datetime,
        subject: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
            AuditEntry(
                workspace_id=workspace_id,
                actor_user_id=actor_user_id,
                action=action,
                subject=subject,
                detail=detail or {},
                at=now,
            )
        )

    def actions(self, workspace_id: str) -> list[str]:
        """The steps recorded, oldest first (the state changes they made are in `history`)."""
        query = (
            select(AuditEntry.action)
            .where(
                AuditEntry.workspace_id == workspace_id,
                AuditEntry.action.not_in(HISTORY_ACTIONS),
            )
            .order_by(AuditEntry.id)
        )
        return list(self.session.scalars(query))


class HistoryRepository:
    """The state changes storage/history.py wrote to the audit log."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_subjects(self, workspace_id: str, subjects: Sequence[str]) -> list[HistoryEntry]:
        """The state changes of these subjects (`application:12`, `tour:5`), oldest first."""
        query = (
            select(AuditEntry)
            .where(
                AuditEntry.workspace_id == workspace_id,
                AuditEntry.subject.in_(subjects),
                AuditEntry.action.in_(HISTORY_ACTIONS),
            )
            .order_by(AuditEntry.id)  # the order they happened in, whatever clock they name
        )
        return [history_entry(row) for row in self.session.scalars(query)]

    def visit_of_application(self, workspace_id: str, application_id: int) -> HistoryVisit | None:
        application = self.session.get(Application, application_id)
        if application is None or application.workspace_id != workspace_id:
            return None
        tour_id = self.session.scalar(select(Tour.id).where(Tour.application_id == application_id))
        return _history_visit(application, tour_id)

    def visit_of_tour(self, workspace_id: str, tour_id: int) -> HistoryVisit | None:
        tour = self.session.get(Tour, tour_id)
        if tour is None or tour.workspace_id != workspace_id:
            return None
        application = self.session.get(Application, tour.application_id)
        return _history_visit(application, tour.id) if application is not None else None


def _history_visit(application: Application, tour_id: int | None) -> HistoryVisit:
    home = application.person.home_team  # their team today, as the approval workflow reads it
    return HistoryVisit(
        application_id=application.id,
        tour_id=tour_id,
        visitor_id=application.person.user_id,
        opening_title=application.opening.title,
        host_lead_ids=_lead_ids(application.opening.host_team),
        home_lead_ids=_lead_ids(home) if home is not None else (),
    )


def _lead_ids(team: Team) -> tuple[str, ...]:
    return tuple(lead.user_id for lead in team.leads)
