"""Forgetting a person (their rows deleted, or emptied where the programme's numbers need the
row) and purging a workspace (every row of it, in every table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.forgetting.model import PersonalData
from storage.models import (
    Application,
    AuditEntry,
    Base,
    CardConfirmation,
    CheckinAnswer,
    DecisionMessage,
    Invitation,
    OutboxMessage,
    Person,
    Proposal,
    Retro,
    ShippedItem,
    Tour,
    TourExtension,
    Workspace,
)
from storage.repositories.applications import TourRepository
from storage.repositories.outbox import PENDING, SENDING

LIVE_TOUR_STATUSES = ("scheduled", "active")
# slack-sdk's installation tables name the workspace team_id; the others workspace_id.
WORKSPACE_COLUMNS = ("workspace_id", "team_id")


class ForgettingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- one person -------------------------------------------------------------------------

    def personal_data(self, workspace_id: str, user_id: str) -> PersonalData:
        person = self._person(workspace_id, user_id)
        tours = self._tour_ids(person)
        if person is None:
            return PersonalData(
                invitations=self._count(Invitation, *_invitations(workspace_id, user_id)),
                scheduled_messages=self._count(
                    OutboxMessage, *_unsent(workspace_id, user_id, tours)
                ),
            )
        return PersonalData(
            profile=1,
            applications=self._count(Application, Application.person_id == person.id),
            proposals=self._count(Proposal, Proposal.person_id == person.id),
            invitations=self._count(Invitation, *_invitations(workspace_id, user_id)),
            checkin_answers=self._count(CheckinAnswer, CheckinAnswer.tour_id.in_(tours)),
            retros=self._count(Retro, Retro.tour_id.in_(tours)),
            shipped_items=self._count(ShippedItem, ShippedItem.tour_id.in_(tours)),
            scheduled_messages=self._count(OutboxMessage, *_unsent(workspace_id, user_id, tours)),
            visits=len(tours),
        )

    def forget(self, workspace_id: str, user_id: str, tombstone: str) -> PersonalData:
        """Deletes what `personal_data` counts; visits stay, attached to an anonymous tombstone
        person (one per person, however often they are forgotten)."""
        data = self.personal_data(workspace_id, user_id)
        if data.nothing:
            return data
        person = self._person(workspace_id, user_id)
        tours = self._tour_ids(person)
        # A row being sent now (claimed, `sending`) goes too: its send may complete, but the
        # deliverer then finds no row to record a retry on, so nothing is sent after.
        self._delete(OutboxMessage, *_unsent(workspace_id, user_id, tours))
        self._delete(Invitation, *_invitations(workspace_id, user_id))
        self._delete(
            DecisionMessage,
            DecisionMessage.workspace_id == workspace_id,
            DecisionMessage.user_id == user_id,
        )
        self._update(
            CardConfirmation,
            CardConfirmation.workspace_id == workspace_id,
            CardConfirmation.user_id == user_id,
            user_id=tombstone,
        )
        self._update(
            AuditEntry,
            AuditEntry.workspace_id == workspace_id,
            AuditEntry.actor_user_id == user_id,
            actor_user_id=tombstone,
        )
        if person is not None:
            self._forget_visitor(person, tours, tombstone)
        return data

    def _forget_visitor(self, person: Person, tours: Sequence[int], tombstone: str) -> None:
        kept_applications = select(Tour.application_id).where(Tour.person_id == person.id)
        self._delete(Proposal, Proposal.person_id == person.id)
        self._delete(
            Application,
            Application.person_id == person.id,
            Application.id.not_in(kept_applications),
        )
        self._update(
            Application,
            Application.person_id == person.id,
            motivation="",
            learning_goal="",
            covering_home_duties="",
            decision_reason="",
            override_reason="",
        )
        self._delete(CheckinAnswer, CheckinAnswer.tour_id.in_(tours))
        self._delete(ShippedItem, ShippedItem.tour_id.in_(tours))
        self._update(Retro, Retro.tour_id.in_(tours), learned="", bring_back=[], stuck=[])
        self._update(TourExtension, TourExtension.tour_id.in_(tours), reason="", decision_reason="")
        self._cancel_live_visits(tours)
        self._become_tombstone(person, tombstone)

    def _cancel_live_visits(self, tours: Sequence[int]) -> None:
        """A visit still to come or under way ends, as a cancellation would: nobody is left to
        make it, and its seat is free again."""
        live = self.session.execute(
            select(Tour.id, Tour.application_id, Tour.opening_id).where(
                Tour.id.in_(tours), Tour.status.in_(LIVE_TOUR_STATUSES)
            )
        ).all()
        for _tour_id, _application_id, opening_id in live:
            TourRepository(self.session).free_seat(opening_id)
        self._update(Tour, Tour.id.in_([row[0] for row in live]), status="cancelled")
        self._update(Application, Application.id.in_([row[1] for row in live]), status="cancelled")

    def _become_tombstone(self, person: Person, tombstone: str) -> None:
        """The person's row keeps only their home team; someone forgotten before who came back
        joins their earlier tombstone, so there is one per person."""
        earlier = self._person(person.workspace_id, tombstone)
        if earlier is not None:
            self._update(Tour, Tour.person_id == person.id, person_id=earlier.id)
            self._update(Application, Application.person_id == person.id, person_id=earlier.id)
            self.session.delete(person)
            self.session.flush()
            return
        person.user_id = tombstone
        person.learn_topics = []
        person.teach_topics = []
        person.learning_goal = ""
        person.available_from = None
        person.available_until = None
        person.work_mode = "either"
        person.city = None
        person.willing_to_travel = False
        person.looking = False
        person.snoozed_until = None
        person.note = ""
        person.timezone = None
        person.deactivated_at = None
        self.session.flush()

    def note_deactivation(self, workspace_id: str, user_id: str, at: datetime | None) -> None:
        """Deactivated at `at` (the first time counts), or reactivated (None)."""
        still = (
            Person.deactivated_at.is_(None)
            if at is not None
            else Person.deactivated_at.is_not(None)
        )
        self.session.execute(
            update(Person)
            .where(Person.workspace_id == workspace_id, Person.user_id == user_id, still)
            .values(deactivated_at=at)
            .execution_options(synchronize_session=False)
        )

    def deactivated_before(self, workspace_id: str, cutoff: datetime) -> list[str]:
        return list(
            self.session.scalars(
                select(Person.user_id)
                .where(Person.workspace_id == workspace_id, Person.deactivated_at <= cutoff)
                .order_by(Person.user_id)
            )
        )

    # --- a whole workspace ------------------------------------------------------------------

    def workspace_rows(self, workspace_id: str) -> dict[str, int]:
        counts = {
            table.name: int(
                self.session.scalar(select(func.count()).select_from(table).where(where)) or 0
            )
            for table, where in _workspace_tables(workspace_id)
        }
        return {name: count for name, count in counts.items() if count}

    def purge_workspace(self, workspace_id: str) -> dict[str, int]:
        """Every row of the workspace, children before parents (no cascade relied upon)."""
        counts = self.workspace_rows(workspace_id)
        for table, where in reversed(_workspace_tables(workspace_id)):
            self.session.execute(delete(table).where(where))
        self.session.expunge_all()
        return counts

    def uninstalled_before(self, cutoff: datetime) -> list[str]:
        return list(
            self.session.scalars(
                select(Workspace.id)
                .where(Workspace.uninstalled_at <= cutoff)
                .order_by(Workspace.id)
            )
        )

    # --- helpers ----------------------------------------------------------------------------

    def _person(self, workspace_id: str, user_id: str) -> Person | None:
        return self.session.scalars(
            select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
        ).one_or_none()

    def _tour_ids(self, person: Person | None) -> list[int]:
        if person is None:
            return []
        return list(self.session.scalars(select(Tour.id).where(Tour.person_id == person.id)))

    def _count(self, model: Any, *where: ColumnElement[bool]) -> int:
        return int(self.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    def _delete(self, model: Any, *where: ColumnElement[bool]) -> None:
        self.session.execute(
            delete(model).where(*where).execution_options(synchronize_session=False)
        )

    def _update(self, model: Any, *where: ColumnElement[bool], **values: Any) -> None:
        self.session.execute(
            update(model)
            .where(*where)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _invitations(workspace_id: str, user_id: str) -> tuple[ColumnElement[bool], ...]:
    return Invitation.workspace_id == workspace_id, Invitation.visitor_user_id == user_id


def _unsent(
    workspace_id: str, user_id: str, tours: Sequence[int]
) -> tuple[ColumnElement[bool], ...]:
    """Messages not sent yet (waiting, or being sent now), to the person or about their visits."""
    return (
        OutboxMessage.workspace_id == workspace_id,
        OutboxMessage.status.in_((PENDING, SENDING)),
        or_(OutboxMessage.recipient == user_id, OutboxMessage.tour_id.in_(tours)),
    )


def _workspace_tables(workspace_id: str) -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table with the workspace's rows, parents first, with the condition picking them."""
    tables: list[tuple[Table, ColumnElement[bool]]] = []
    for table in Base.metadata.sorted_tables:
        if table.name == Workspace.__tablename__:
            tables.append((table, table.c.id == workspace_id))
            continue
        column = next((table.c[name] for name in WORKSPACE_COLUMNS if name in table.c), None)
        if column is not None:
            tables.append((table, column == workspace_id))
    return tables
