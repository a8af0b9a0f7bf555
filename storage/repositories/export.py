"""The rows `tourism export` writes: one query per data set, in the columns bot/export names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from bot.export.model import Dataset, Row, plain_value
from storage.models import (
    AuditEntry,
    CheckinAnswer,
    Opening,
    Person,
    Retro,
    Team,
    Tour,
)

HostTeam, HomeTeam = aliased(Team), aliased(Team)
Query = Select[*tuple[Any, ...]]


def _visits() -> Query:
    return (
        select(
            Tour.workspace_id,
            Tour.id.label("visit_id"),
            Tour.application_id,
            Person.user_id.label("visitor_id"),
            Tour.opening_id,
            Opening.title.label("opening_title"),
            HostTeam.name.label("host_team"),
            HomeTeam.name.label("home_team"),
            Tour.buddy_user_id.label("buddy_id"),
            Tour.starts_on,
            Tour.ends_on,
            Tour.status,
            Tour.created_at,
        )
        .join(Person, Person.id == Tour.person_id)
        .join(Opening, Opening.id == Tour.opening_id)
        .join(HostTeam, HostTeam.id == Tour.host_team_id)
        .outerjoin(HomeTeam, HomeTeam.id == Tour.home_team_id)
        .order_by(Tour.id)
    )


def _retros() -> Query:
    return (
        select(
            Retro.workspace_id,
            Retro.tour_id.label("visit_id"),
            Person.user_id.label("visitor_id"),
            Retro.rating,
            Retro.length_verdict,
            Retro.shareable,
            Retro.learned,
            Retro.bring_back,
            Retro.stuck,
            Retro.created_at,
        )
        .join(Tour, Tour.id == Retro.tour_id)
        .join(Person, Person.id == Tour.person_id)
        .order_by(Retro.id)
    )


def _openings() -> Query:
    return (
        select(
            Opening.workspace_id,
            Opening.id.label("opening_id"),
            HostTeam.name.label("host_team"),
            Opening.title,
            Opening.topics,
            Opening.hopes_to_learn,
            Opening.weeks,
            Opening.seats,
            Opening.seats_taken,
            Opening.status,
            Opening.earliest_start,
            Opening.latest_end,
            Opening.work_mode,
            Opening.expected_output,
            Opening.buddy_user_id.label("buddy_id"),
            Opening.created_by,
            Opening.created_at,
        )
        .join(HostTeam, HostTeam.id == Opening.host_team_id)
        .order_by(Opening.id)
    )


def _people() -> Query:
    return (
        select(
            Person.workspace_id,
            Person.user_id,
            HomeTeam.name.label("home_team"),
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
            Person.updated_at,
        )
        .outerjoin(HomeTeam, HomeTeam.id == Person.home_team_id)
        .order_by(Person.id)
    )


def _checkins() -> Query:
    return (
        select(
            CheckinAnswer.workspace_id,
            CheckinAnswer.tour_id.label("visit_id"),
            Person.user_id.label("visitor_id"),
            CheckinAnswer.week,
            CheckinAnswer.mood,
            CheckinAnswer.meetings_share,
            CheckinAnswer.pulled_back,
            CheckinAnswer.answered_at,
        )
        .join(Tour, Tour.id == CheckinAnswer.tour_id)
        .join(Person, Person.id == Tour.person_id)
        .order_by(CheckinAnswer.tour_id, CheckinAnswer.week)
    )


def _audit() -> Query:
    return select(
        AuditEntry.workspace_id,
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.actor_user_id.label("actor_id"),
        AuditEntry.action,
        AuditEntry.subject,
        AuditEntry.detail,
    ).order_by(AuditEntry.id)


QUERIES = {
    Dataset.VISITS: _visits,
    Dataset.RETROS: _retros,
    Dataset.OPENINGS: _openings,
    Dataset.PEOPLE: _people,
    Dataset.CHECKINS: _checkins,
    Dataset.AUDIT: _audit,
}


class ExportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def rows(self, dataset: Dataset, workspace_id: str | None) -> list[Row]:
        """Every row of the data set, or of one workspace's, keyed by the data set's columns."""
        query = QUERIES[dataset]()
        if workspace_id is not None:
            first = query.selected_columns[0]  # each query's first column is its workspace
            query = query.where(first == workspace_id)
        return [
            {column: plain_value(value) for column, value in row._asdict().items()}
            for row in self.session.execute(query)
        ]
