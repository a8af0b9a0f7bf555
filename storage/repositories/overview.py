"""Read models for the App Home: a fixed handful of queries, however many rows there are.

Every query is built once, here, with its values as parameters: building a statement costs more
than running most of these (a Home render runs three to seven of them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ScalarSelect,
    Select,
    and_,
    bindparam,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased, lazyload

from bot.checkins.model import week_answer
from bot.home.model import (
    SHOWN_PER_LIST,
    Absence,
    Counted,
    HomeApplication,
    HomeOpening,
    HomePerson,
    HomeTour,
    HomeViewer,
    Hosting,
    LedTeams,
    OpeningName,
    OrganiserCounts,
    PendingDecision,
    TeamAway,
    quarter_around,
)
from storage.models import (
    Application,
    CheckinAnswer,
    Opening,
    Person,
    Team,
    TeamLead,
    Tour,
)
from storage.repositories.people import profile_of

LIVE = ("scheduled", "active")
Query = Select[*tuple[Any, ...]]


def _workspace() -> BindParameter[str]:
    return bindparam("workspace_id")


def _user() -> BindParameter[str]:
    return bindparam("user_id")


def _first_rows(query: Query) -> Query:
    """The first rows of `query`, each with how many rows there are in all: a window over every
    row, computed before the limit, so a list and its count take one round trip."""
    return query.add_columns(func.count().over()).limit(SHOWN_PER_LIST)


def _counted(rows: Sequence[Any]) -> tuple[list[tuple[Any, ...]], int]:
    """The rows of a `_first_rows` query without their count, and the count (no row: none)."""
    return [tuple(row[:-1]) for row in rows], rows[0][-1] if rows else 0


# The teams the person leads: the rows a lead's lists start from (never the workspace's).
_LED = select(TeamLead.team_id).where(
    TeamLead.workspace_id == _workspace(), TeamLead.user_id == _user()
)
_THE_PERSON = (Person.workspace_id == _workspace(), Person.user_id == _user())

# One row whether or not the person has a profile: whether they lead, then their profile.
_ONE_ROW = select(literal(1).label("one")).subquery()
_VIEWER = (
    select(_LED.exists(), Person, Team.name)
    .select_from(_ONE_ROW)
    .outerjoin(Person, and_(*_THE_PERSON))
    .outerjoin(Team, Team.id == Person.home_team_id)
    .options(lazyload(Person.home_team))  # only its name is wanted
)

_OPENING_NAMES = (
    select(Opening.id, Opening.title, Team.name)
    .join(Team, Team.id == Opening.host_team_id)
    .where(
        Opening.workspace_id == _workspace(),
        Opening.id.in_(bindparam("opening_ids", expanding=True)),
    )
)

_TOURS_OF = (
    select(
        Opening.title,
        Team.name,
        Tour.starts_on,
        Tour.ends_on,
        Tour.buddy_user_id,
        Tour.status,
        Tour.id,
        Tour.might_stay,
    )
    .join(Person, Person.id == Tour.person_id)
    .join(Opening, Opening.id == Tour.opening_id)
    .join(Team, Team.id == Tour.host_team_id)
    .where(*_THE_PERSON)
    .order_by(Tour.starts_on)
)

_APPLICATIONS_OF = _first_rows(
    select(
        Application.id,
        Opening.title,
        Team.name,
        Application.starts_on,
        Application.ends_on,
        Application.status,
    )
    .join(Person, Person.id == Application.person_id)
    .join(Opening, Opening.id == Application.opening_id)
    .join(Team, Team.id == Opening.host_team_id)
    .where(*_THE_PERSON)
    .order_by(Application.created_at.desc(), Application.id.desc())
)

_OPENINGS_LED = _first_rows(
    select(
        Opening.id,
        Opening.title,
        Team.name,
        Opening.seats - Opening.seats_taken,
        Opening.seats,
        Opening.status,
    )
    .join(Team, Team.id == Opening.host_team_id)
    .where(Opening.host_team_id.in_(_LED), Opening.status != "closed")
    .order_by(Opening.earliest_start, Opening.id)
)


def _waiting(status: str, team: InstrumentedAttribute[Any]) -> Query:
    """Applications in `status` whose `team` the person leads."""
    host_team = aliased(Team)
    return (
        select(
            Application.id,
            Person.user_id,
            Opening.title,
            host_team.name,
            Application.starts_on,
            Application.ends_on,
            (Application.status == "submitted").label("as_host"),
            Application.updated_at,
        )
        .join(Person, Person.id == Application.person_id)
        .join(Opening, Opening.id == Application.opening_id)
        .join(host_team, host_team.id == Opening.host_team_id)
        .where(Application.status == status, team.in_(_LED))
    )


# Waiting for the lead as host, then as home lead: read through the teams they lead, so the work
# follows their teams, not the organisation's applications.
_BOTH_WAITING = union_all(
    _waiting("submitted", Opening.host_team_id),
    _waiting("host_accepted", Person.home_team_id),
).subquery()
_PENDING = _first_rows(
    select(*list(_BOTH_WAITING.c)[:-1]).order_by(_BOTH_WAITING.c.updated_at, _BOTH_WAITING.c.id)
)


def _count_of(table: type[Opening | Application | Tour], *statuses: str) -> Query:
    return (
        select(func.count())
        .select_from(table)
        .where(table.workspace_id == _workspace(), table.status.in_(statuses))
    )


_ORGANISER_COUNTS = select(
    _count_of(Opening, "open").scalar_subquery(),
    _count_of(Application, "submitted", "host_accepted").scalar_subquery(),
    _count_of(Tour, *LIVE).scalar_subquery(),
)

_host, _answer, _hosted = aliased(Team), aliased(CheckinAnswer), aliased(Tour)
_LATEST_WEEK = (
    select(func.max(CheckinAnswer.week))
    .where(CheckinAnswer.tour_id == Tour.id)
    .correlate(Tour)
    .scalar_subquery()
)


def _hosted_between(start: str, end: str) -> ScalarSelect[int]:
    """Visits the team hosts starting in [start, end), cancelled ones aside."""
    return (
        select(func.count())
        .where(
            _hosted.host_team_id == Team.id,
            _hosted.status != "cancelled",
            _hosted.starts_on >= bindparam(start),
            _hosted.starts_on < bindparam(end),
        )
        .correlate(Team)
        .scalar_subquery()
    )


# Each team the person leads with what it hosts this quarter and this year, once per visit of
# one of its people under way or to come (once with no visit when none), with the visit's
# latest check-in when there is one.
_LED_TEAMS = (
    select(
        Team.id,
        Team.name,
        Team.away_cap,
        Team.visitors_per_quarter,
        _hosted_between("quarter_start", "quarter_end"),
        _hosted_between("year_start", "year_end"),
        Person.user_id,
        _host.name,
        Tour.starts_on,
        Tour.ends_on,
        _answer.week,
        _answer.mood,
        _answer.meetings_share,
        _answer.pulled_back,
    )
    .join(TeamLead, TeamLead.team_id == Team.id)
    .outerjoin(
        Tour,
        (Tour.home_team_id == Team.id)
        & Tour.status.in_(LIVE)
        & (Tour.ends_on >= bindparam("today")),
    )
    .outerjoin(Person, Person.id == Tour.person_id)
    .outerjoin(_host, _host.id == Tour.host_team_id)
    .outerjoin(_answer, (_answer.tour_id == Tour.id) & (_answer.week == _LATEST_WEEK))
    .where(TeamLead.workspace_id == _workspace(), TeamLead.user_id == _user())
    .order_by(Team.name_key, Team.id, Tour.starts_on, Tour.id)
)


class OverviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _rows(self, query: Query, **values: Any) -> list[Any]:
        return list(self.session.execute(query, values))

    def viewer(self, workspace_id: str, user_id: str) -> HomeViewer:
        """Whether the person leads, their profile and home team's name: one query."""
        ((leads, person, team_name),) = self._rows(
            _VIEWER, workspace_id=workspace_id, user_id=user_id
        )
        profile = None if person is None else HomePerson(profile_of(person), team_name)
        return HomeViewer(profile, bool(leads))

    def opening_names(
        self, workspace_id: str, opening_ids: Sequence[int]
    ) -> Mapping[int, OpeningName]:
        rows = self._rows(_OPENING_NAMES, workspace_id=workspace_id, opening_ids=opening_ids)
        return {id_: OpeningName(title, team) for id_, title, team in rows}

    def tours_of(self, workspace_id: str, user_id: str) -> list[HomeTour]:
        rows = self._rows(_TOURS_OF, workspace_id=workspace_id, user_id=user_id)
        return [HomeTour(*row) for row in rows]

    def applications_of(self, workspace_id: str, user_id: str) -> Counted[HomeApplication]:
        found = self._rows(_APPLICATIONS_OF, workspace_id=workspace_id, user_id=user_id)
        rows, total = _counted(found)
        return Counted([HomeApplication(*row) for row in rows], total)

    def openings_led_by(self, workspace_id: str, user_id: str) -> Counted[HomeOpening]:
        found = self._rows(_OPENINGS_LED, workspace_id=workspace_id, user_id=user_id)
        rows, total = _counted(found)
        return Counted([HomeOpening(*row) for row in rows], total)

    def pending_for(self, workspace_id: str, user_id: str) -> Counted[PendingDecision]:
        found = self._rows(_PENDING, workspace_id=workspace_id, user_id=user_id)
        rows, total = _counted(found)
        return Counted([PendingDecision(*row) for row in rows], total)

    def organiser_counts(self, workspace_id: str) -> OrganiserCounts:
        (counts,) = self._rows(_ORGANISER_COUNTS, workspace_id=workspace_id)
        return OrganiserCounts(*counts)

    def led_teams(self, workspace_id: str, user_id: str, today: date) -> LedTeams:
        """Each team the person leads: who is away (with their latest check-in) and what it
        hosts; one query, however many teams and visits."""
        quarter_start, quarter_end = quarter_around(today)
        rows = self._rows(
            _LED_TEAMS,
            workspace_id=workspace_id,
            user_id=user_id,
            today=today,
            quarter_start=quarter_start,
            quarter_end=quarter_end,
            year_start=date(today.year, 1, 1),
            year_end=date(today.year + 1, 1, 1),
        )
        hosting: dict[int, Hosting] = {}
        caps: dict[int, int] = {}
        absences: dict[int, list[Absence]] = {}
        for team_id, name, cap, per_quarter, quarter, year, *visit in rows:
            if team_id not in hosting:
                hosting[team_id] = Hosting(name, quarter, year, per_quarter)
                caps[team_id], absences[team_id] = cap, []
            if visit[0] is not None and len(absences[team_id]) < SHOWN_PER_LIST:
                absences[team_id].append(_absence(*visit))
        return LedTeams(
            away=[TeamAway(h.team_name, caps[i], absences[i]) for i, h in hosting.items()],
            hosting=list(hosting.values()),
        )


def _absence(
    visitor: str, host_name: str, starts_on: date, ends_on: date, week: int | None, *said: Any
) -> Absence:
    latest = None if week is None else week_answer(week, *said)
    return Absence(visitor, host_name, starts_on, ends_on, latest)
