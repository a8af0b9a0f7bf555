"""One session and one transaction per workflow step, with the repositories it needs."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from storage.repositories import (
    ApplicationRepository,
    AuditRepository,
    CheckinRepository,
    ExtensionRepository,
    InboxRepository,
    MatchingRepository,
    OpeningRepository,
    OutboxRepository,
    OverviewRepository,
    PeopleRepository,
    ProposalRepository,
    RetroRepository,
    StatsRepository,
    TeamRepository,
    TourRepository,
    WorkspaceRepository,
)


class SqlUnitOfWork:
    """`with uow_factory() as uow: ...; uow.commit()` — anything not committed is rolled back."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.workspaces = WorkspaceRepository(self.session)
        self.inbox = InboxRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.teams = TeamRepository(self.session)
        self.openings = OpeningRepository(self.session)
        self.people = PeopleRepository(self.session)
        self.applications = ApplicationRepository(self.session)
        self.tours = TourRepository(self.session)
        self.extensions = ExtensionRepository(self.session)
        self.overview = OverviewRepository(self.session)
        self.matching = MatchingRepository(self.session)
        self.proposals = ProposalRepository(self.session)
        self.stats = StatsRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.checkins = CheckinRepository(self.session)
        self.retros = RetroRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
