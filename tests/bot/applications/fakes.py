"""Small in-memory stand-ins for the storage ports the use cases call, and a few rows.

Rows are plain namespaces with the attributes the services read; each repository holds what a
test puts in it and answers the few questions the services ask. Fast enough for a mutation run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count
from types import SimpleNamespace
from typing import Any

from bot.applications.changes import ExtensionStatus
from bot.applications.model import (
    Applicant,
    ApplicationRecord,
    BookedTour,
    NewApplication,
    OpeningTerms,
    Status,
)
from bot.applications.ports import Extension, TeamRules
from bot.applications.service import Context
from bot.core.calendar import Period, SprintCadence
from bot.core.visits import TourStatus
from bot.scheduling.model import TourRef

WORKSPACE = "T0TEST"
NOW = datetime(2026, 11, 23, 10, 0)  # a Monday
TODAY = NOW.date()
ORGANISER = "U0ORG"
_ids = count(100)


def ours(workspace_id: str, rows: list[SimpleNamespace]) -> list[SimpleNamespace]:
    """The rows a question about `workspace_id` may see: every row here is of WORKSPACE."""
    return rows if workspace_id == WORKSPACE else []


def team(name: str, *leads: str) -> SimpleNamespace:
    return SimpleNamespace(
        id=next(_ids),
        workspace_id=WORKSPACE,
        name=name,
        leads=[SimpleNamespace(user_id=lead) for lead in leads],
        away_cap=1,
        visitors_per_quarter=None,
        rest_days_between_visitors=0,
        blackouts=[],
        sprint_start=None,
        sprint_weeks=None,
    )


def person(user_id: str, home: SimpleNamespace | None) -> SimpleNamespace:
    return SimpleNamespace(
        id=next(_ids),
        user_id=user_id,
        home_team=home,
        home_team_id=home.id if home is not None else None,
        learning_goal="Learn streaming",
        available_from=None,
        available_until=None,
        learn_topics=[],
        teach_topics=[],
    )


def opening(host: SimpleNamespace, **fields: Any) -> SimpleNamespace:
    values = {
        "id": next(_ids),
        "title": "Tune the ranking",
        "host_team": host,
        "host_team_id": host.id,
        "status": "open",
        "open_seats": 1,
        "apply_by": None,
        "earliest_start": date(2026, 12, 7),
        "latest_end": date(2027, 1, 31),
        "weeks": 4,
        "buddy_user_id": None,
        "expected_output": "knowledge",
    }
    return SimpleNamespace(**(values | fields))


def context(actor: str, today: date = TODAY) -> Context:
    return Context(
        workspace_id=WORKSPACE,
        actor=actor,
        now=datetime.combine(today, NOW.time()),
        today=today,
        organisers=frozenset({ORGANISER}),
    )


@dataclass
class FakeAudit:
    actions: list[str] = field(default_factory=list)

    def record(self, workspace_id: str, *, action: str, **_details: Any) -> None:
        self.actions.append(action)


@dataclass
class FakePeople:
    rows: list[SimpleNamespace] = field(default_factory=list)

    def get_by_user(self, workspace_id: str, user_id: str) -> SimpleNamespace | None:
        rows = ours(workspace_id, self.rows)
        return next((p for p in rows if p.user_id == user_id), None)


@dataclass
class FakeTeams:
    rows: list[SimpleNamespace] = field(default_factory=list)

    def get(self, workspace_id: str, team_id: int) -> SimpleNamespace | None:
        return next((t for t in ours(workspace_id, self.rows) if t.id == team_id), None)


LIVE = ("submitted", "host_accepted", "home_agreed", "confirmed")


def applicant(row: SimpleNamespace) -> Applicant:
    availability = None
    if row.available_from and row.available_until:
        availability = Period(row.available_from, row.available_until)
    return Applicant(
        person_id=row.id,
        user_id=row.user_id,
        home_team_id=row.home_team_id,
        learning_goal=row.learning_goal,
        availability=availability,
        learns=tuple(row.learn_topics),
        teaches=tuple(row.teach_topics),
    )


def terms(row: SimpleNamespace) -> OpeningTerms:
    return OpeningTerms(
        opening_id=row.id,
        title=row.title,
        host_team_id=row.host_team_id,
        is_open=row.status == "open",
        open_seats=row.open_seats,
        apply_by=row.apply_by,
        window=Period(row.earliest_start, row.latest_end),
        weeks=row.weeks,
        buddy_id=row.buddy_user_id,
        deliverable_expected=row.expected_output == "deliverable",
    )


def record(row: SimpleNamespace) -> ApplicationRecord:
    return ApplicationRecord(
        id=row.id,
        workspace_id=row.workspace_id,
        status=Status(row.status),
        opening=terms(row.opening),
        visitor=applicant(row.person),
        motivation=row.motivation,
        learning_goal=row.learning_goal,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        covering_home_duties=row.covering_home_duties,
        decision_reason=row.decision_reason,
    )


@dataclass
class FakeApplications:
    people: FakePeople
    teams: FakeTeams
    openings: list[SimpleNamespace] = field(default_factory=list)
    rows: list[SimpleNamespace] = field(default_factory=list)

    def team_rules(self, workspace_id: str, team_id: int) -> TeamRules | None:
        row = self.teams.get(workspace_id, team_id)
        if row is None:
            return None
        return TeamRules(
            team_id=row.id,
            workspace_id=row.workspace_id,
            name=row.name,
            lead_ids=tuple(lead.user_id for lead in row.leads),
            blackouts=tuple(Period(b.starts_on, b.ends_on) for b in row.blackouts),
            away_cap=row.away_cap,
            visitors_per_quarter=row.visitors_per_quarter,
            rest_days=row.rest_days_between_visitors,
            sprints=SprintCadence(row.sprint_start, row.sprint_weeks)
            if row.sprint_start and row.sprint_weeks
            else None,
        )

    def applicant(self, workspace_id: str, user_id: str) -> Applicant | None:
        rows = ours(workspace_id, self.people.rows)
        return next((applicant(p) for p in rows if p.user_id == user_id), None)

    def opening(self, workspace_id: str, opening_id: int) -> OpeningTerms | None:
        rows = ours(workspace_id, self.openings)
        return next((terms(o) for o in rows if o.id == opening_id), None)

    def live_for(self, workspace_id: str, person_id: int, opening_id: int) -> int | None:
        return next(
            (
                a.id
                for a in ours(workspace_id, self.rows)
                if a.person_id == person_id and a.opening_id == opening_id and a.status in LIVE
            ),
            None,
        )

    confirmations: dict[int, set[str]] = field(default_factory=dict)
    # Someone else moves the application between the step's read and its compare-and-set write.
    someone_else_moves: bool = False
    # Whether each read locked the row: steps do (they take turns), looks before a modal don't.
    locks: list[bool] = field(default_factory=list)

    def get(
        self, workspace_id: str, application_id: int, *, lock: bool = False
    ) -> ApplicationRecord | None:
        self.locks.append(lock)
        rows = ours(workspace_id, self.rows)
        return next((record(a) for a in rows if a.id == application_id), None)

    def row(self, application_id: int) -> SimpleNamespace:
        return next(a for a in self.rows if a.id == application_id)

    def move(
        self, application_id: int, current: str, target: str, _now: Any, **changes: str
    ) -> bool:
        application = self.row(application_id)
        if self.someone_else_moves or application.status != current:
            return False
        application.status = target
        for name, value in changes.items():
            setattr(application, name, value)
        return True

    def confirm_card(self, application: Any, role: str, _user: str, _now: Any) -> bool:
        confirmed = self.confirmations.setdefault(application.id, set())
        if role in confirmed:
            return False
        confirmed.add(role)
        return True

    def confirmed_roles(self, application_id: int) -> set[str]:
        return self.confirmations.get(application_id, set())

    def clear_confirmations(self, application_id: int, roles: Any) -> None:
        self.confirmations[application_id] = self.confirmed_roles(application_id) - set(roles)

    def reschedule(self, application_id: int, current: str, **dates: Any) -> bool:
        application = self.row(application_id)
        if self.someone_else_moves or application.starts_on != dates["expected_start"]:
            return False
        if application.status != current:
            return False
        application.starts_on, application.ends_on = dates["starts_on"], dates["ends_on"]
        return True

    def submit(self, new: NewApplication, now: datetime) -> ApplicationRecord:
        row = self.create(
            workspace_id=new.workspace_id,
            opening_id=new.opening_id,
            person_id=new.person_id,
            motivation=new.motivation,
            learning_goal=new.learning_goal,
            starts_on=new.visit.start,
            ends_on=new.visit.end,
            created_at=now,
        )
        return record(row)

    def create(self, **fields: Any) -> SimpleNamespace:
        """An application as a test sets it up (the row: a test may change it)."""
        defaults = {"status": "submitted", "covering_home_duties": "", "decision_reason": ""}
        application = SimpleNamespace(id=next(_ids), **(defaults | fields))
        application.opening = next(o for o in self.openings if o.id == application.opening_id)
        application.person = next(p for p in self.people.rows if p.id == application.person_id)
        self.rows.append(application)
        return application


@dataclass
class FakeTours:
    people: FakePeople
    openings: list[SimpleNamespace]
    rows: list[SimpleNamespace] = field(default_factory=list)

    def row(self, tour_id: int) -> SimpleNamespace:
        return next(t for t in self.rows if t.id == tour_id)

    def _booked(self, row: SimpleNamespace) -> BookedTour:
        opening = next(o for o in self.openings if o.id == row.opening_id)
        return BookedTour(
            id=row.id,
            workspace_id=WORKSPACE,
            application_id=row.application_id,
            opening_id=row.opening_id,
            opening_title=opening.title,
            host_team_id=opening.host_team_id,
            home_team_id=row.home_team_id,
            visitor_person_id=row.person_id,
            visitor_id=next(p.user_id for p in self.people.rows if p.id == row.person_id),
            buddy_id=row.buddy_user_id,
            status=TourStatus(row.status),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
        )

    def booked(self, workspace_id: str, tour_id: int, *, lock: bool = False) -> BookedTour | None:
        rows = ours(workspace_id, self.rows)
        return next((self._booked(t) for t in rows if t.id == tour_id), None)

    def booked_by(self, workspace_id: str, user_id: str) -> list[BookedTour]:
        tours = [self._booked(t) for t in ours(workspace_id, self.rows)]
        return sorted((t for t in tours if t.visitor_id == user_id), key=lambda t: t.starts_on)

    def absences_from_team(self, workspace_id: str, team_id: int, **_: Any) -> list[Any]:
        return []

    def hosted_by_team(self, workspace_id: str, team_id: int, **_: Any) -> list[Any]:
        return []

    def take_seat(self, opening_id: int) -> bool:
        opening = next(o for o in self.openings if o.id == opening_id)
        if opening.open_seats <= 0:
            return False
        opening.open_seats -= 1
        return True

    def free_seat(self, opening_id: int) -> None:
        next(o for o in self.openings if o.id == opening_id).open_seats += 1

    def book(self, application: ApplicationRecord, now: datetime) -> TourRef:
        tour = SimpleNamespace(
            id=next(_ids),
            status="scheduled",
            workspace_id=application.workspace_id,
            application_id=application.id,
            person_id=application.visitor.person_id,
            opening_id=application.opening.opening_id,
            host_team_id=application.opening.host_team_id,
            home_team_id=application.visitor.home_team_id,
            buddy_user_id=application.opening.buddy_id,
            starts_on=application.starts_on,
            ends_on=application.ends_on,
        )
        self.rows.append(tour)
        return TourRef(tour.workspace_id, tour.id)

    def _of_application(self, application_id: int) -> Any:
        return next(
            (t for t in self.rows if getattr(t, "application_id", None) == application_id), None
        )

    def move_of_application(self, application_id: int, visit: Period) -> TourRef | None:
        tour = self._of_application(application_id)
        if tour is None:
            return None
        tour.starts_on, tour.ends_on = visit.start, visit.end
        return TourRef(tour.workspace_id, tour.id)

    def cancel_of_application(self, application_id: int) -> TourRef | None:
        tour = self._of_application(application_id)
        if tour is None:
            return None
        tour.status = "cancelled"
        return TourRef(tour.workspace_id, tour.id)


def _extension(row: SimpleNamespace) -> Extension:
    return Extension(
        row.id, row.tour_id, row.weeks, row.reason, ExtensionStatus(row.status), row.decision_reason
    )


@dataclass
class FakeExtensions:
    tours: FakeTours
    rows: list[SimpleNamespace] = field(default_factory=list)
    # Someone else decides between the step's read and its compare-and-set write.
    someone_else_decides: bool = False

    def add(self, **fields: Any) -> SimpleNamespace:
        """A request as a test sets it up (the row: a test may change it)."""
        extension = SimpleNamespace(id=next(_ids), decision_reason="", **fields)
        self.rows.append(extension)
        return extension

    def of_tour(self, tour_id: int) -> list[Extension]:
        return [_extension(e) for e in self.rows if e.tour_id == tour_id]

    def get(self, workspace_id: str, extension_id: int) -> Extension | None:
        rows = ours(workspace_id, self.rows)
        return next((_extension(e) for e in rows if e.id == extension_id), None)

    def request(
        self, workspace_id: str, tour_id: int, weeks: int, reason: str, now: datetime
    ) -> Extension:
        row = self.add(
            workspace_id=workspace_id,
            tour_id=tour_id,
            weeks=weeks,
            reason=reason,
            status=ExtensionStatus.SUBMITTED,
            requested_at=now,
        )
        return _extension(row)

    def move(
        self,
        extension_id: int,
        current: ExtensionStatus,
        target: ExtensionStatus,
        decision_reason: str | None = None,
    ) -> Extension | None:
        row = next(e for e in self.rows if e.id == extension_id)
        if self.someone_else_decides or row.status != current:
            return None
        row.status = target
        if decision_reason is not None:
            row.decision_reason = decision_reason
        return _extension(row)

    def extend_tour(self, tour: BookedTour, ends_before: date, new_end: date) -> bool:
        row = self.tours.row(tour.id)
        if row.ends_on != ends_before:
            return False
        row.ends_on = new_end
        return True

    def flag_might_stay(self, tour_id: int, might_stay: bool) -> bool:
        tour = self.tours.row(tour_id)
        if getattr(tour, "might_stay", False) == might_stay:
            return False
        tour.might_stay = might_stay
        return True


class FakeUnitOfWork:
    """The repositories the application, proposal and extension steps use, in memory."""

    def __init__(self) -> None:
        self.people = FakePeople()
        self.teams = FakeTeams()
        self.applications = FakeApplications(self.people, self.teams)
        self.tours = FakeTours(self.people, self.applications.openings)
        self.extensions = FakeExtensions(self.tours)
        self.audit = FakeAudit()
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1

    def add_team(self, name: str, *leads: str) -> SimpleNamespace:
        row = team(name, *leads)
        self.teams.rows.append(row)
        return row

    def add_person(self, user_id: str, home: SimpleNamespace | None) -> SimpleNamespace:
        row = person(user_id, home)
        self.people.rows.append(row)
        return row

    def add_opening(self, host: SimpleNamespace, **fields: Any) -> SimpleNamespace:
        row = opening(host, **fields)
        self.applications.openings.append(row)
        return row

    def add_application(self, visitor: SimpleNamespace, to: SimpleNamespace, **fields: Any) -> Any:
        values = {
            "workspace_id": WORKSPACE,
            "person_id": visitor.id,
            "opening_id": to.id,
            "motivation": "I want to learn it.",
            "learning_goal": "",
            "starts_on": date(2026, 12, 7),
            "ends_on": date(2027, 1, 3),
        }
        return self.applications.create(**(values | fields))

    def add_tour(self, visitor: SimpleNamespace, at: SimpleNamespace, **fields: Any) -> Any:
        values = {
            "id": next(_ids),
            "person_id": visitor.id,
            "opening_id": at.id,
            "application_id": None,
            "home_team_id": visitor.home_team_id,
            "buddy_user_id": None,
            "status": "active",
            "starts_on": date(2026, 11, 16),
            "ends_on": date(2026, 12, 13),
        }
        row = SimpleNamespace(**(values | fields))
        self.tours.rows.append(row)
        return row
