"""Repositories, one module per aggregate: every query the bot makes lives in this package."""

from storage.repositories.core import AuditRepository, InboxRepository, WorkspaceRepository
from storage.repositories.teams import TeamRepository

__all__ = ["AuditRepository", "InboxRepository", "TeamRepository", "WorkspaceRepository"]
