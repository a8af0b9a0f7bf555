"""Applications, their visit-card confirmations and decision messages, the tours they become,
and the tours' extensions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.applications.changes import ExtensionStatus
from bot.applications.model import (
    Applicant,
    ApplicationRecord,
    BookedTour,
    NewApplication,
    OpeningTerms,
    Status,
)
from bot.applications.ports import Extension, PendingDecision, TeamRules
from bot.core.approval.requests import RequestMessage
from bot.core.calendar import Period, SprintCadence
from bot.core.visits import TourStatus
from bot.openings.model import ExpectedOutput
from bot.openings.model import Status as OpeningStatus
from bot.scheduling.model import TourRef
from storage.models import (
    Application,
    CardConfirmation,
    DecisionMessage,
    Opening,
    Person,
    Team,
    TeamLead,
    Tour,
    TourExtension,
)

LIVE_STATUSES = ("submitted", "host_accepted", "home_agreed", "confirmed")
LIVE_TOUR_STATUSES = ("scheduled", "active")


class ApplicationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, application: Application) -> Application:
        self.session.add(application)
        self.session.flush()
        return application

    def create(self, **values: Any) -> Application:
        return self.add(Application(**values))

    def get(
        self, workspace_id: str, application_id: int, *, lock: bool = False
    ) -> ApplicationRecord | None:
        """With `lock`, other transactions wanting the same application wait until this one
        ends (PostgreSQL; SQLite runs one writing transaction at a time anyway)."""
        if lock:
            self.session.execute(
                select(Application.id).where(Application.id == application_id).with_for_update()
            )
        # Read again: a compare-and-set update in this transaction leaves the session's copy.
        application = self.session.get(Application, application_id, populate_existing=True)
        if application is None or application.workspace_id != workspace_id:
            return None
        return _record(application)

    def submit(self, new: NewApplication, now: datetime) -> ApplicationRecord:
        application = self.create(
            workspace_id=new.workspace_id,
            opening_id=new.opening_id,
            person_id=new.person_id,
            status=Status.SUBMITTED,
            motivation=new.motivation,
            learning_goal=new.learning_goal,
            starts_on=new.visit.start,
            ends_on=new.visit.end,
            created_at=now,
            updated_at=now,
        )
        return _record(application)

    def applicant(self, workspace_id: str, user_id: str) -> Applicant | None:
        person = self.session.scalars(
            select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
        ).first()
        return None if person is None else _applicant(person)

    def opening(self, workspace_id: str, opening_id: int) -> OpeningTerms | None:
        opening = self.session.get(Opening, opening_id)
        if opening is None or opening.workspace_id != workspace_id:
            return None
        return _terms(opening)

    def live_for(self, workspace_id: str, person_id: int, opening_id: int) -> int | None:
        query = select(Application.id).where(
            Application.workspace_id == workspace_id,
            Application.person_id == person_id,
            Application.opening_id == opening_id,
            Application.status.in_(LIVE_STATUSES),
        )
        return self.session.scalars(query).first()

    def move(
        self, application_id: int, expected: Status, target: Status, now: datetime, **changes: str
    ) -> bool:
        """Compare-and-set: moves the application only if it is still in `expected`."""
        result = self.session.execute(
            update(Application)
            .where(Application.id == application_id, Application.status == expected)
            .values(status=target, updated_at=now, **changes)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def of_person(self, workspace_id: str, person_id: int) -> list[Application]:
        query = (
            select(Application)
            .where(Application.workspace_id == workspace_id, Application.person_id == person_id)
            .order_by(Application.created_at.desc())
        )
        return list(self.session.scalars(query))

    def awaiting_host_lead(self, workspace_id: str, user_id: str) -> list[Application]:
        query = (
            select(Application)
            .join(Opening, Opening.id == Application.opening_id)
            .join(TeamLead, TeamLead.team_id == Opening.host_team_id)
            .where(
                Application.workspace_id == workspace_id,
                Application.status == "submitted",
                TeamLead.user_id == user_id,
            )
            .order_by(Application.created_at)
        )
        return list(self.session.scalars(query))

    def waiting_for_decision(self, workspace_id: str) -> list[Application]:
        """Applications waiting for a host or home lead, oldest first (for reminders)."""
        query = (
            select(Application)
            .where(
                Application.workspace_id == workspace_id,
                Application.status.in_(("submitted", "host_accepted")),
            )
            .order_by(Application.updated_at)
        )
        return list(self.session.scalars(query))

    def team_rules(self, workspace_id: str, team_id: int) -> TeamRules | None:
        team = self.session.get(Team, team_id)
        if team is None or team.workspace_id != workspace_id:
            return None
        sprints = None
        if team.sprint_start and team.sprint_weeks:
            sprints = SprintCadence(team.sprint_start, team.sprint_weeks)
        return TeamRules(
            team_id=team.id,
            workspace_id=team.workspace_id,
            name=team.name,
            lead_ids=tuple(lead.user_id for lead in team.leads),
            blackouts=tuple(Period(b.starts_on, b.ends_on) for b in team.blackouts),
            away_cap=team.away_cap,
            visitors_per_quarter=team.visitors_per_quarter,
            rest_days=team.rest_days_between_visitors,
            sprints=sprints,
        )

    def decisions_waiting(self, workspace_id: str) -> list[PendingDecision]:
        return [_pending(application) for application in self.waiting_for_decision(workspace_id)]

    def confirm_card(
        self, application: ApplicationRecord, role: str, user_id: str, now: datetime
    ) -> bool:
        """Records one role's confirmation; False if that role had already confirmed."""
        try:
            with self.session.begin_nested():
                self.session.add(
                    CardConfirmation(
                        workspace_id=application.workspace_id,
                        application_id=application.id,
                        role=role,
                        user_id=user_id,
                        confirmed_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    def confirmed_roles(self, application_id: int) -> set[str]:
        query = select(CardConfirmation.role).where(
            CardConfirmation.application_id == application_id
        )
        return set(self.session.scalars(query))

    def reschedule(
        self,
        application_id: int,
        expected_status: Status,
        *,
        expected_start: date,
        starts_on: date,
        ends_on: date,
        now: datetime,
    ) -> bool:
        """Compare-and-set: new dates only if status and first day are still as read."""
        result = self.session.execute(
            update(Application)
            .where(
                Application.id == application_id,
                Application.status == expected_status,
                Application.starts_on == expected_start,
            )
            .values(starts_on=starts_on, ends_on=ends_on, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def clear_confirmations(self, application_id: int, roles: Sequence[str]) -> None:
        """Those roles confirm the visit card again; the others' confirmations stand."""
        self.session.execute(
            delete(CardConfirmation).where(
                CardConfirmation.application_id == application_id,
                CardConfirmation.role.in_(roles),
            )
        )

    def reset_card(self, application_id: int) -> None:
        for confirmation in self.session.scalars(
            select(CardConfirmation).where(CardConfirmation.application_id == application_id)
        ):
            self.session.delete(confirmation)
        self.session.flush()

    def remember_request(
        self, workspace_id: str, application_id: int, message: RequestMessage, now: datetime
    ) -> None:
        self.session.add(
            DecisionMessage(
                workspace_id=workspace_id,
                application_id=application_id,
                purpose=message.purpose,
                user_id=message.user_id,
                channel_id=message.channel_id,
                ts=message.ts,
                sent_at=now,
            )
        )

    def requests_sent(self, application_id: int, purposes: Sequence[str]) -> list[RequestMessage]:
        query = select(DecisionMessage).where(
            DecisionMessage.application_id == application_id,
            DecisionMessage.purpose.in_(purposes),
        )
        return [
            RequestMessage(m.purpose, m.user_id, m.channel_id, m.ts)
            for m in self.session.scalars(query)
        ]


def _applicant(person: Person) -> Applicant:
    availability = None
    if person.available_from and person.available_until:
        availability = Period(person.available_from, person.available_until)
    return Applicant(
        person_id=person.id,
        user_id=person.user_id,
        home_team_id=person.home_team_id,
        learning_goal=person.learning_goal,
        availability=availability,
        learns=tuple(person.learn_topics),
        teaches=tuple(person.teach_topics),
    )


def _terms(opening: Opening) -> OpeningTerms:
    return OpeningTerms(
        opening_id=opening.id,
        title=opening.title,
        host_team_id=opening.host_team_id,
        is_open=opening.status == OpeningStatus.OPEN,
        open_seats=opening.open_seats,
        apply_by=opening.apply_by,
        window=Period(opening.earliest_start, opening.latest_end),
        weeks=opening.weeks,
        buddy_id=opening.buddy_user_id,
        deliverable_expected=opening.expected_output == ExpectedOutput.DELIVERABLE,
    )


def _record(application: Application) -> ApplicationRecord:
    return ApplicationRecord(
        id=application.id,
        workspace_id=application.workspace_id,
        status=Status(application.status),
        opening=_terms(application.opening),
        visitor=_applicant(application.person),
        motivation=application.motivation,
        learning_goal=application.learning_goal,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        covering_home_duties=application.covering_home_duties,
        decision_reason=application.decision_reason,
    )


def _pending(application: Application) -> PendingDecision:
    status = Status(application.status)
    visitor = application.person
    team = application.opening.host_team if status is Status.SUBMITTED else visitor.home_team
    return PendingDecision(
        application_id=application.id,
        status=status,
        updated_at=application.updated_at,
        visitor_id=visitor.user_id,
        opening_title=application.opening.title,
        has_team=team is not None,
        lead_ids=tuple(lead.user_id for lead in team.leads) if team is not None else (),
    )


class TourRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, **values: Any) -> Tour:
        tour = Tour(**values)
        self.session.add(tour)
        self.session.flush()
        return tour

    def get(self, workspace_id: str, tour_id: int, *, lock: bool = False) -> Tour | None:
        """With `lock`, other transactions wanting the same tour wait until this one ends."""
        if lock:
            self.session.execute(select(Tour.id).where(Tour.id == tour_id).with_for_update())
        tour = self.session.get(Tour, tour_id)
        return tour if tour is not None and tour.workspace_id == workspace_id else None

    def of_application(self, application_id: int) -> Tour | None:
        return self.session.scalars(
            select(Tour).where(Tour.application_id == application_id)
        ).first()

    def book(self, application: ApplicationRecord, now: datetime) -> TourRef:
        tour = self.create(
            workspace_id=application.workspace_id,
            application_id=application.id,
            person_id=application.visitor.person_id,
            opening_id=application.opening.opening_id,
            host_team_id=application.opening.host_team_id,
            home_team_id=application.visitor.home_team_id,
            buddy_user_id=application.opening.buddy_id,
            starts_on=application.starts_on,
            ends_on=application.ends_on,
            created_at=now,
        )
        return TourRef(tour.workspace_id, tour.id)

    def move_of_application(self, application_id: int, visit: Period) -> TourRef | None:
        tour = self.of_application(application_id)
        if tour is None:
            return None
        tour.starts_on, tour.ends_on = visit.start, visit.end
        self.session.flush()
        return TourRef(tour.workspace_id, tour.id)

    def cancel_of_application(self, application_id: int) -> TourRef | None:
        tour = self.of_application(application_id)
        if tour is None:
            return None
        tour.status = TourStatus.CANCELLED
        self.session.flush()
        return TourRef(tour.workspace_id, tour.id)

    def booked(self, workspace_id: str, tour_id: int, *, lock: bool = False) -> BookedTour | None:
        tour = self.get(workspace_id, tour_id, lock=lock)
        if tour is None:
            return None
        found = self.session.execute(
            _booked_tours().where(Tour.id == tour.id).execution_options(populate_existing=True)
        ).first()
        return None if found is None else _booked(*found)

    def booked_by(self, workspace_id: str, user_id: str) -> list[BookedTour]:
        query = (
            _booked_tours()
            .where(Tour.workspace_id == workspace_id, Person.user_id == user_id)
            .order_by(Tour.starts_on)
        )
        return [_booked(*found) for found in self.session.execute(query)]

    def absences_from_team(
        self, workspace_id: str, home_team_id: int, *, excluding_person: int | None = None
    ) -> list[tuple[date, date]]:
        """The visits that take members of a team away, planned or under way."""
        query = select(Tour.starts_on, Tour.ends_on).where(
            Tour.workspace_id == workspace_id,
            Tour.home_team_id == home_team_id,
            Tour.status.in_(LIVE_TOUR_STATUSES),
        )
        if excluding_person is not None:
            query = query.where(Tour.person_id != excluding_person)
        return [(row.starts_on, row.ends_on) for row in self.session.execute(query)]

    def hosted_by_team(
        self, workspace_id: str, host_team_id: int, *, excluding_application: int | None = None
    ) -> list[tuple[date, date]]:
        """Every visit the team hosts, hosted or agreed (as the matcher counts them for its
        limits: all but cancelled ones)."""
        query = select(Tour.starts_on, Tour.ends_on).where(
            Tour.workspace_id == workspace_id,
            Tour.host_team_id == host_team_id,
            Tour.status != "cancelled",
        )
        if excluding_application is not None:
            query = query.where(Tour.application_id != excluding_application)
        return [(row.starts_on, row.ends_on) for row in self.session.execute(query)]

    def take_seat(self, opening_id: int) -> bool:
        """One seat of an opening, if any is left; the opening is filled by its last seat."""
        result = self.session.execute(
            update(Opening)
            .where(
                Opening.id == opening_id,
                Opening.status == "open",
                Opening.seats_taken < Opening.seats,
            )
            .values(seats_taken=Opening.seats_taken + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self.session.execute(
            update(Opening)
            .where(Opening.id == opening_id, Opening.seats_taken >= Opening.seats)
            .values(status="filled")
            .execution_options(synchronize_session=False)
        )
        return True

    def free_seat(self, opening_id: int) -> None:
        self.session.execute(
            update(Opening)
            .where(Opening.id == opening_id, Opening.seats_taken > 0)
            .values(
                seats_taken=Opening.seats_taken - 1,
            )
            .execution_options(synchronize_session=False)
        )
        self.session.execute(
            update(Opening)
            .where(
                Opening.id == opening_id,
                Opening.status == "filled",
                Opening.seats_taken < Opening.seats,
            )
            .values(status="open")
            .execution_options(synchronize_session=False)
        )

    def advance_by_date(self, workspace_id: str, today: date) -> tuple[int, int]:
        """Scheduled or active tours whose last day has passed are completed; scheduled tours
        that have started are active. Two UPDATEs; returns (completed, activated)."""
        completed = self.session.execute(
            update(Tour)
            .where(
                Tour.workspace_id == workspace_id,
                Tour.status.in_(LIVE_TOUR_STATUSES),
                Tour.ends_on < today,
            )
            .values(status="completed")
            .execution_options(synchronize_session=False)
        )
        activated = self.session.execute(
            update(Tour)
            .where(
                Tour.workspace_id == workspace_id,
                Tour.status == "scheduled",
                Tour.starts_on <= today,
            )
            .values(status="active")
            .execution_options(synchronize_session=False)
        )
        return (
            int(completed.rowcount),  # type: ignore[attr-defined]
            int(activated.rowcount),  # type: ignore[attr-defined]
        )


def _booked_tours() -> Select[Tour, str, str]:
    """Tours with their visitor's Slack id and their opening's title."""
    return (
        select(Tour, Person.user_id, Opening.title)
        .join(Person, Person.id == Tour.person_id)
        .join(Opening, Opening.id == Tour.opening_id)
    )


def _booked(tour: Tour, visitor_id: str, opening_title: str) -> BookedTour:
    return BookedTour(
        id=tour.id,
        workspace_id=tour.workspace_id,
        application_id=tour.application_id,
        opening_id=tour.opening_id,
        opening_title=opening_title,
        host_team_id=tour.host_team_id,
        home_team_id=tour.home_team_id,
        visitor_person_id=tour.person_id,
        visitor_id=visitor_id,
        buddy_id=tour.buddy_user_id,
        status=TourStatus(tour.status),
        starts_on=tour.starts_on,
        ends_on=tour.ends_on,
    )


def _extension(extension: TourExtension) -> Extension:
    return Extension(
        id=extension.id,
        tour_id=extension.tour_id,
        weeks=extension.weeks,
        reason=extension.reason,
        status=ExtensionStatus(extension.status),
        decision_reason=extension.decision_reason,
    )


class ExtensionRepository:
    """Requests for more weeks of a tour, and the visitor's private "might stay" flag."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def request(
        self, workspace_id: str, tour_id: int, weeks: int, reason: str, now: datetime
    ) -> Extension:
        extension = TourExtension(
            workspace_id=workspace_id,
            tour_id=tour_id,
            weeks=weeks,
            reason=reason,
            status=ExtensionStatus.SUBMITTED,
            requested_at=now,
        )
        self.session.add(extension)
        self.session.flush()
        return _extension(extension)

    def get(self, workspace_id: str, extension_id: int) -> Extension | None:
        extension = self.session.get(TourExtension, extension_id)
        if extension is None or extension.workspace_id != workspace_id:
            return None
        return _extension(extension)

    def of_tour(self, tour_id: int) -> list[Extension]:
        query = (
            select(TourExtension)
            .where(TourExtension.tour_id == tour_id)
            .order_by(TourExtension.requested_at, TourExtension.id)
        )
        return [_extension(extension) for extension in self.session.scalars(query)]

    def move(
        self,
        extension_id: int,
        expected: ExtensionStatus,
        target: ExtensionStatus,
        decision_reason: str | None = None,
    ) -> Extension | None:
        """Compare-and-set: moves the request only if it is still in `expected`."""
        changes = {} if decision_reason is None else {"decision_reason": decision_reason}
        result = self.session.execute(
            update(TourExtension)
            .where(TourExtension.id == extension_id, TourExtension.status == expected)
            .values(status=target, **changes)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        moved = self.session.get(TourExtension, extension_id, populate_existing=True)
        assert moved is not None  # just updated, in this transaction
        return _extension(moved)

    def extend_tour(self, tour: BookedTour, expected_end: date, ends_on: date) -> bool:
        """Compare-and-set: the tour (and its application) end later, if the end is as read."""
        result = self.session.execute(
            update(Tour)
            .where(Tour.id == tour.id, Tour.ends_on == expected_end)
            .values(ends_on=ends_on)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self.session.execute(
            update(Application)
            .where(Application.id == tour.application_id)
            .values(ends_on=ends_on)
            .execution_options(synchronize_session=False)
        )
        return True

    def flag_might_stay(self, tour_id: int, might_stay: bool) -> bool:
        """Compare-and-set: False when the flag already had that value."""
        result = self.session.execute(
            update(Tour)
            .where(Tour.id == tour_id, Tour.might_stay.is_not(might_stay))
            .values(might_stay=might_stay)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]
