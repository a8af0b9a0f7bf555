"""Repositories, one module per aggregate: every query the bot makes lives in this package."""

from storage.repositories.applications import (
    ApplicationRepository,
    ExtensionRepository,
    TourRepository,
)
from storage.repositories.checkins import CheckinRepository
from storage.repositories.core import (
    AuditRepository,
    HistoryRepository,
    InboxRepository,
    WorkspaceRepository,
)
from storage.repositories.export import ExportRepository
from storage.repositories.forgetting import ForgettingRepository
from storage.repositories.matching import MatchingRepository, ProposalRepository
from storage.repositories.openings import OpeningRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.overview import OverviewRepository
from storage.repositories.pace import PaceRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.retros import RetroRepository
from storage.repositories.stats import StatsRepository
from storage.repositories.teams import TeamRepository
from storage.repositories.topics import TopicRepository

__all__ = [
    "ApplicationRepository",
    "AuditRepository",
    "CheckinRepository",
    "ExportRepository",
    "ExtensionRepository",
    "ForgettingRepository",
    "HistoryRepository",
    "InboxRepository",
    "MatchingRepository",
    "OpeningRepository",
    "OutboxRepository",
    "OverviewRepository",
    "PaceRepository",
    "PeopleRepository",
    "ProposalRepository",
    "RetroRepository",
    "StatsRepository",
    "TeamRepository",
    "TopicRepository",
    "TourRepository",
    "WorkspaceRepository",
]
