"""Repositories, one module per aggregate: every query the bot makes lives in this package."""

from storage.repositories.applications import ApplicationRepository, TourRepository
from storage.repositories.core import AuditRepository, InboxRepository, WorkspaceRepository
from storage.repositories.teams import TeamRepository

__all__ = [
    "ApplicationRepository",
    "AuditRepository",
    "InboxRepository",
    "TeamRepository",
    "TourRepository",
    "WorkspaceRepository",
]
