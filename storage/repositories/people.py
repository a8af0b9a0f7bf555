from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from bot.profiles.model import Profile
from storage.models import Person


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_user(self, workspace_id: str, user_id: str) -> Person | None:
        query = select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
        return self.session.scalars(query).first()

    def profile(self, workspace_id: str, user_id: str) -> Profile | None:
        person = self.get_by_user(workspace_id, user_id)
        return None if person is None else profile_of(person)

    @staticmethod
    def profile_of(person: Person) -> Profile:
        """The profile of a person already loaded (no second query)."""
        return profile_of(person)

    def save(self, workspace_id: str, user_id: str, profile: Profile, *, now: datetime) -> None:
        """Creates the person's row or overwrites its profile fields."""
        person = self.get_by_user(workspace_id, user_id)
        if person is None:
            person = Person(workspace_id=workspace_id, user_id=user_id)
            self.session.add(person)
        person.home_team_id = profile.home_team_id
        person.learn_topics = list(profile.learn_topics)
        person.teach_topics = list(profile.teach_topics)
        person.learning_goal = profile.learning_goal
        person.available_from = profile.available_from
        person.available_until = profile.available_until
        person.preferred_weeks = profile.preferred_weeks
        person.work_mode = str(profile.work_mode)
        person.city = profile.city or None
        person.willing_to_travel = profile.willing_to_travel
        person.looking = profile.looking
        person.snoozed_until = profile.snoozed_until
        person.note = profile.note
        _touch(person, now)
        self.session.flush()

    def set_timezone(
        self, workspace_id: str, user_id: str, timezone: str, *, now: datetime
    ) -> None:
        person = self.get_by_user(workspace_id, user_id)
        if person is not None and person.timezone != timezone:
            person.timezone = timezone
            _touch(person, now)
            self.session.flush()


def _touch(person: Person, now: datetime) -> None:
    """Stamps the business clock's time, not the column's wall-clock `onupdate`, so demos can
    travel in time. Flagged as modified because an unchanged value would let `onupdate` win."""
    person.updated_at = now
    flag_modified(person, "updated_at")


def profile_of(person: Person) -> Profile:
    return Profile(
        home_team_id=person.home_team_id,
        learn_topics=tuple(person.learn_topics),
        teach_topics=tuple(person.teach_topics),
        learning_goal=person.learning_goal,
        available_from=person.available_from,
        available_until=person.available_until,
        preferred_weeks=person.preferred_weeks,
        work_mode=person.work_mode,
        city=person.city or "",
        willing_to_travel=person.willing_to_travel,
        looking=person.looking,
        snoozed_until=person.snoozed_until,
        note=person.note,
    )
