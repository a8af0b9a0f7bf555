"""One session and one transaction per workflow step, with the repositories it needs."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, ClassVar, Self

from sqlalchemy.orm import Session, sessionmaker

from storage.db import READ_ONLY

if TYPE_CHECKING:
    from bot.core.ports import ReadOnlyUnitOfWork, UnitOfWork
from storage.matching_cache import MatchIndexes
from storage.repositories import (
    ApplicationRepository,
    AuditRepository,
    CheckinRepository,
    ExportRepository,
    ExtensionRepository,
    ForgettingRepository,
    HistoryRepository,
    InboxRepository,
    MatchingRepository,
    OpeningRepository,
    OutboxRepository,
    OverviewRepository,
    PaceRepository,
    PeopleRepository,
    ProposalRepository,
    RetroRepository,
    StatsRepository,
    TeamRepository,
    TopicRepository,
    TourRepository,
    WorkspaceRepository,
)


class SqlReader:
    """`with reader() as uow: ...` — a read-only transaction: it never takes the write lock
    (SQLite) and any write in it is refused; nothing to commit, it ends with a rollback."""

    _execution_options: ClassVar[Mapping[str, bool]] = READ_ONLY

    def __init__(
        self, sessions: sessionmaker[Session], indexes: MatchIndexes | None = None
    ) -> None:
        self._sessions = sessions
        self._indexes = indexes  # the process's kept matching indexes (None: built per use)

    def __enter__(self) -> Self:
        self.session = self._sessions()
        # Begins the transaction now, with the options that make it read-only or writable.
        self.session.connection(execution_options=dict(self._execution_options))
        self.workspaces = WorkspaceRepository(self.session)
        self.inbox = InboxRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.history = HistoryRepository(self.session)
        self.export = ExportRepository(self.session)
        self.teams = TeamRepository(self.session)
        self.openings = OpeningRepository(self.session)
        self.people = PeopleRepository(self.session)
        self.applications = ApplicationRepository(self.session)
        self.tours = TourRepository(self.session)
        self.extensions = ExtensionRepository(self.session)
        self.overview = OverviewRepository(self.session)
        self.matching = MatchingRepository(self.session, self._indexes)
        self.proposals = ProposalRepository(self.session)
        self.stats = StatsRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.checkins = CheckinRepository(self.session)
        self.retros = RetroRepository(self.session)
        self.pace = PaceRepository(self.session)
        self.topics = TopicRepository(self.session)
        self.forgetting = ForgettingRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()


class SqlUnitOfWork(SqlReader):
    """`with uow_factory() as uow: ...; uow.commit()` — anything not committed is rolled back.

    On SQLite it holds the database's one write lock from its start: keep Slack calls out."""

    _execution_options: ClassVar[Mapping[str, bool]] = {}

    def commit(self) -> None:
        self.session.commit()


if TYPE_CHECKING:
    # mypy proves here that the units of work satisfy the domain's ports.
    _reads: type[ReadOnlyUnitOfWork] = SqlReader
    _writes: type[UnitOfWork] = SqlUnitOfWork
