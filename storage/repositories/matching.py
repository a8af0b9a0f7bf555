"""The matcher's view of a workspace: an Organisation built from a handful of queries, and its
index, kept in process between requests while the workspace's matching stamp stays put."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Select, delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.matching import Application as MatchApplication
from bot.matching import MatchIndex, Organisation, Visitor
from bot.matching import Opening as MatchOpening
from bot.matching import Team as MatchTeam
from bot.matching import Tour as MatchTour
from bot.matching.changes import OrganisationChanges
from bot.matching.model import NewProposal, OpeningMode, ProposalStatus, WorkMode
from bot.matching.model import Proposal as ProposalValue
from bot.openings.model import Status as OpeningStatus
from storage.matching_cache import KeptMatching, Loaded, MatchIndexes
from storage.models import Application, Blackout, Invitation, Opening, Person, Proposal, Team, Tour
from storage.repositories.applications import LIVE_STATUSES

# Someone who has not said when they are free is taken to be free for the coming year.
DEFAULT_AVAILABILITY = timedelta(days=365)


class MatchingRepository:
    def __init__(self, session: Session, indexes: MatchIndexes | None = None) -> None:
        self.session = session
        self.indexes = indexes

    def organisation(
        self, workspace_id: str, *, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> Organisation:
        """Visitors are keyed by Slack user id; openings and teams by their database ids."""
        return self._kept(workspace_id, today, related_topics).organisation

    def index(
        self, workspace_id: str, *, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> MatchIndex:
        """The organisation's matching index: the one kept in process while it is current."""
        return self._kept(workspace_id, today, related_topics).index

    def _kept(
        self, workspace_id: str, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> KeptMatching:
        source = _Source(self, workspace_id, today, related_topics)
        if self.indexes is None:
            return KeptMatching(0, source.everything())
        return self.indexes.get(
            self.session, workspace_id, today=today, related=related_topics, source=source
        )

    def _teams(self, workspace_id: str, ids: Collection[int] | None = None) -> list[MatchTeam]:
        """Every team of the workspace, or those of `ids`."""
        # Plain rows, not ORM objects: thousands of teams load in milliseconds.
        hosted = dict(
            self.session.execute(
                _only(
                    select(Tour.host_team_id, func.count())
                    .where(Tour.workspace_id == workspace_id, Tour.status != "cancelled")
                    .group_by(Tour.host_team_id),
                    Tour.host_team_id,
                    ids,
                )
            ).all()
        )
        blackouts: dict[int, list[tuple[date, date]]] = defaultdict(list)
        for team_id, starts_on, ends_on in self.session.execute(
            _only(
                select(Blackout.team_id, Blackout.starts_on, Blackout.ends_on)
                .where(Blackout.workspace_id == workspace_id)
                .order_by(Blackout.id),
                Blackout.team_id,
                ids,
            )
        ):
            blackouts[team_id].append((starts_on, ends_on))
        rows = self.session.execute(
            _only(
                select(
                    Team.id,
                    Team.city,
                    Team.away_cap,
                    Team.visitors_per_quarter,
                    Team.rest_days_between_visitors,
                ).where(Team.workspace_id == workspace_id),
                Team.id,
                ids,
            )
        )
        return [
            MatchTeam(
                id=str(team_id),
                city=city,
                away_cap=away_cap,
                blackouts=tuple(blackouts[team_id]),
                visitors_per_quarter=per_quarter,
                rest_days=rest_days,
                visitors_hosted=hosted.get(team_id, 0),
            )
            for team_id, city, away_cap, per_quarter, rest_days in rows
        ]

    def _visitors(
        self, workspace_id: str, today: date, ids: Collection[int] | None = None
    ) -> list[tuple[int, Visitor]]:
        """(person id, visitor) of everyone in the workspace, or of the people `ids`."""
        # Plain rows, not ORM objects: tens of thousands of people load in a fraction of a second.
        query = select(
            Person.id,
            Person.user_id,
            Person.home_team_id,
            Person.learn_topics,
            Person.teach_topics,
            Person.available_from,
            Person.available_until,
            Person.preferred_weeks,
            Person.work_mode,
            Person.city,
            Person.willing_to_travel,
            Person.looking,
            Person.snoozed_until,
        ).where(Person.workspace_id == workspace_id)
        rows = self.session.execute(_only(query, Person.id, ids))
        return [
            (
                person_id,
                Visitor(
                    id=user_id,
                    home_team_id=str(home_team_id) if home_team_id else None,
                    learn=frozenset(learn),
                    teach=frozenset(teach),
                    available_from=available_from or today,
                    available_until=available_until or today + DEFAULT_AVAILABILITY,
                    preferred_weeks=preferred_weeks,
                    work_mode=cast(WorkMode, work_mode),
                    city=city,
                    willing_to_travel=willing_to_travel,
                    looking=looking,
                    snoozed_until=snoozed_until,
                ),
            )
            for (
                person_id,
                user_id,
                home_team_id,
                learn,
                teach,
                available_from,
                available_until,
                preferred_weeks,
                work_mode,
                city,
                willing_to_travel,
                looking,
                snoozed_until,
            ) in rows
        ]

    def _openings(
        self, workspace_id: str, ids: Collection[int] | None = None
    ) -> list[MatchOpening]:
        """The open openings of the workspace, or those of `ids` that are open."""
        query = select(
            Opening.id,
            Opening.host_team_id,
            Opening.topics,
            Opening.hopes_to_learn,
            Opening.earliest_start,
            Opening.latest_end,
            Opening.weeks,
            Opening.seats - Opening.seats_taken,
            Opening.work_mode,
            Opening.status,
        ).where(Opening.workspace_id == workspace_id, Opening.status == "open")
        rows = self.session.execute(_only(query, Opening.id, ids))
        return [
            MatchOpening(
                id=str(row[0]),
                host_team_id=str(row[1]),
                topics=frozenset(row[2]),
                hopes_to_learn=frozenset(row[3]),
                earliest_start=row[4],
                latest_end=row[5],
                weeks=row[6],
                seats_left=max(row[7], 0),
                mode=cast(OpeningMode, row[8]),
                status=row[9],
            )
            for row in rows
        ]

    def _tours(self, workspace_id: str, people: Collection[int] | None = None) -> list[MatchTour]:
        """The visits of the workspace (cancelled ones aside), or those of the people `people`."""
        query = (
            select(
                Person.user_id, Tour.home_team_id, Tour.host_team_id, Tour.starts_on, Tour.ends_on
            )
            .join(Person, Person.id == Tour.person_id)
            .where(Tour.workspace_id == workspace_id, Tour.status != "cancelled")
        )
        rows = self.session.execute(_only(query, Tour.person_id, people))
        return [
            MatchTour(user, str(home) if home else None, str(host), start, end)
            for user, home, host, start, end in rows
        ]

    def _applications(
        self, workspace_id: str, people: Collection[int] | None = None
    ) -> list[MatchApplication]:
        """The live applications of the workspace, or those of the people `people`."""
        query = (
            select(Person.user_id, Application.opening_id)
            .join(Person, Person.id == Application.person_id)
            .where(Application.workspace_id == workspace_id, Application.status.in_(LIVE_STATUSES))
        )
        rows = self.session.execute(_only(query, Application.person_id, people))
        return [MatchApplication(user, str(opening)) for user, opening in rows]


Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def _only(query: Query, column: Any, ids: Collection[int] | None) -> Query:
    """`query` limited to rows whose `column` is among `ids` (None: no limit)."""
    return query if ids is None else query.where(column.in_(sorted(ids)))


class _Source:
    """A workspace's organisation read from the database, whole or by the records a change names
    (storage.matching_cache.OrganisationSource)."""

    def __init__(
        self,
        repository: MatchingRepository,
        workspace_id: str,
        today: date,
        related_topics: Mapping[str, frozenset[str]],
    ) -> None:
        self.repository, self.workspace_id = repository, workspace_id
        self.today, self.related_topics = today, related_topics

    def everything(self) -> Loaded:
        repository, workspace_id = self.repository, self.workspace_id
        people = repository._visitors(workspace_id, self.today)
        organisation = Organisation(
            visitors=tuple(visitor for _, visitor in people),
            openings=tuple(repository._openings(workspace_id)),
            teams=tuple(repository._teams(workspace_id)),
            today=self.today,
            tours=tuple(repository._tours(workspace_id)),
            applications=tuple(repository._applications(workspace_id)),
            related_topics=self.related_topics,
        )
        return Loaded(organisation, {person_id: v.id for person_id, v in people})

    def changed(
        self, named: Mapping[str, set[int]], people: Mapping[int, str]
    ) -> tuple[OrganisationChanges, dict[int, str]]:
        repository, workspace_id = self.repository, self.workspace_id
        person_ids, opening_ids = named.get("person", set()), named.get("opening", set())
        team_ids = named.get("team", set())
        found = dict(repository._visitors(workspace_id, self.today, person_ids))
        visitors: dict[str, Visitor | None] = {people[i]: None for i in person_ids if i in people}
        visitors.update((v.id, v) for v in found.values())
        openings: dict[str, MatchOpening | None] = {str(i): None for i in opening_ids}
        openings.update((o.id, o) for o in repository._openings(workspace_id, opening_ids))
        teams: dict[str, MatchTeam | None] = {str(i): None for i in team_ids}
        teams.update((t.id, t) for t in repository._teams(workspace_id, team_ids))
        changes = OrganisationChanges(
            visitors=visitors,
            openings=openings,
            teams=teams,
            tours=tuple(repository._tours(workspace_id, found) if found else ()),
            applications=tuple(repository._applications(workspace_id, found) if found else ()),
        )
        return changes, {i: v.id for i, v in found.items()}


class ProposalRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create_once(self, workspace_id: str, proposal: NewProposal) -> int | None:
        """The new proposal's id, or None when the visitor already holds a live one for the
        opening (a round sent twice at once: the unique index decides, the loser's savepoint
        rolls back)."""
        person_id = self.session.scalars(
            select(Person.id).where(
                Person.workspace_id == workspace_id, Person.user_id == proposal.visitor_id
            )
        ).one()
        row = Proposal(
            workspace_id=workspace_id,
            person_id=person_id,
            opening_id=proposal.opening_id,
            starts_on=proposal.starts_on,
            ends_on=proposal.ends_on,
            mode=proposal.mode.value,
            explanation=proposal.explanation,
            status=ProposalStatus.SENT.value,
            sent_by=proposal.sent_by,
            created_at=proposal.created_at,
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        return row.id

    def waiting(self, workspace_id: str) -> list[tuple[str, int]]:
        """(visitor's user id, opening id) of every proposal not answered yet whose opening is
        still open (one that closed can no longer be accepted, so it holds nobody back)."""
        rows = self.session.execute(
            select(Person.user_id, Proposal.opening_id)
            .join(Person, Person.id == Proposal.person_id)
            .join(Opening, Opening.id == Proposal.opening_id)
            .where(
                Proposal.workspace_id == workspace_id,
                Proposal.status == ProposalStatus.SENT.value,
                Opening.status == OpeningStatus.OPEN.value,
            )
            .order_by(Proposal.id)
        )
        return [(user, opening) for user, opening in rows]

    def invite_once(
        self, workspace_id: str, opening_id: int, visitor: str, lead: str, now: datetime
    ) -> bool:
        """Records the invitation; False when this person was already invited to the opening."""
        invitation = Invitation(
            workspace_id=workspace_id,
            opening_id=opening_id,
            visitor_user_id=visitor,
            invited_by=lead,
            created_at=now,
        )
        try:
            with self.session.begin_nested():
                self.session.add(invitation)
        except IntegrityError:
            return False
        return True

    def forget_invitation(self, workspace_id: str, opening_id: int, visitor: str) -> None:
        """The invitation could not be delivered: it may be tried again."""
        self.session.execute(
            delete(Invitation).where(
                Invitation.workspace_id == workspace_id,
                Invitation.opening_id == opening_id,
                Invitation.visitor_user_id == visitor,
            )
        )

    def get(self, workspace_id: str, proposal_id: int) -> ProposalValue | None:
        # Locked like applications: a double click on Accept takes its turn and finds it answered.
        self.session.execute(
            select(Proposal.id).where(Proposal.id == proposal_id).with_for_update()
        )
        applied = exists().where(
            Application.person_id == Proposal.person_id,
            Application.opening_id == Proposal.opening_id,
            Application.status.in_(LIVE_STATUSES),
        )
        row = self.session.execute(
            select(Proposal, applied).where(
                Proposal.id == proposal_id, Proposal.workspace_id == workspace_id
            )
        ).first()
        if row is None:
            return None
        proposal, has_applied = row
        return ProposalValue(
            id=proposal.id,
            visitor_id=proposal.person.user_id,
            person_id=proposal.person_id,
            opening_id=proposal.opening_id,
            status=ProposalStatus(proposal.status),
            starts_on=proposal.starts_on,
            ends_on=proposal.ends_on,
            explanation=proposal.explanation,
            learning_goal=proposal.person.learning_goal,
            opening_status=OpeningStatus(proposal.opening.status),
            seats_left=proposal.opening.open_seats,
            applied=bool(has_applied),
        )

    def answer(self, workspace_id: str, proposal_id: int, status: ProposalStatus) -> bool:
        """Compare-and-set: records the answer only if the proposal still waits for one."""
        answered = self.session.execute(
            update(Proposal)
            .where(
                Proposal.id == proposal_id,
                Proposal.workspace_id == workspace_id,
                Proposal.status == ProposalStatus.SENT.value,
            )
            .values(status=status.value)
        )
        return int(answered.rowcount) == 1  # type: ignore[attr-defined]
