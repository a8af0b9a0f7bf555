"""Use cases of `/tourism profile`: what the form starts from, and saving what was submitted."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.forms import TopicCheck, check_new_topics
from bot.core.pause import RESUMED, PauseState, paused_on
from bot.core.ports import Audit
from bot.directory.model import Team
from bot.profiles.model import Profile, changed_fields, for_editing, validate_profile


class People(Protocol):
    def profile(self, workspace_id: str, user_id: str) -> Profile | None: ...

    def save(self, workspace_id: str, user_id: str, profile: Profile, *, now: datetime) -> None: ...

    def set_timezone(
        self, workspace_id: str, user_id: str, timezone: str, *, now: datetime
    ) -> None: ...


class Teams(Protocol):
    def get(self, workspace_id: str, team_id: int) -> Team | None: ...

    def all(self, workspace_id: str) -> list[Team]: ...


class ProfileReader(Protocol):
    @property
    def people(self) -> People: ...
    @property
    def teams(self) -> Teams: ...
    @property
    def audit(self) -> Audit: ...


class ProfileUnitOfWork(ProfileReader, Protocol):
    def commit(self) -> None: ...


ProfileReaderFactory = Callable[[], AbstractContextManager[ProfileReader]]
ProfileUnitOfWorkFactory = Callable[[], AbstractContextManager[ProfileUnitOfWork]]


@dataclass(frozen=True)
class ProfileEditor:
    """What the profile form needs: the profile to prefill and the teams to pick from."""

    profile: Profile
    teams: list[tuple[int, str]]
    is_new: bool

    @property
    def home_team(self) -> tuple[int, str] | None:
        return next((team for team in self.teams if team[0] == self.profile.home_team_id), None)


def profile_editor(
    uow_factory: ProfileReaderFactory,
    *,
    workspace_id: str,
    user_id: str,
    today: date,
) -> ProfileEditor:
    with uow_factory() as uow:
        saved = uow.people.profile(workspace_id, user_id)
        teams = [(team.id, team.name) for team in uow.teams.all(workspace_id)]
    profile = Profile() if saved is None else for_editing(saved, today)
    return ProfileEditor(profile=profile, teams=teams, is_new=saved is None)


@dataclass(frozen=True)
class SaveResult:
    """Validation errors (nothing was saved), or none and the saved home team's name."""

    errors: dict[str, str]
    home_team_name: str | None = None


def save_profile(
    uow_factory: ProfileUnitOfWorkFactory,
    *,
    workspace_id: str,
    user_id: str,
    profile: Profile,
    topic_check: TopicCheck,
    today: date,
    now: datetime,
) -> SaveResult:
    """Validates and saves in one transaction; with errors nothing is saved."""
    with uow_factory() as uow:
        home_team = (
            None
            if profile.home_team_id is None
            else uow.teams.get(workspace_id, profile.home_team_id)
        )
        home_team_found = profile.home_team_id is None or home_team is not None
        errors = validate_profile(profile, today=today, home_team_found=home_team_found)
        before = uow.people.profile(workspace_id, user_id)
        kept = () if before is None else (*before.learn_topics, *before.teach_topics)
        for name in ("learn_topics", "teach_topics"):
            check_new_topics(errors, name, getattr(profile, name), topic_check, kept=kept)
        if errors:
            return SaveResult(errors)
        uow.people.save(workspace_id, user_id, profile, now=now)
        uow.audit.record(
            workspace_id,
            action="profile_created" if before is None else "profile_updated",
            actor_user_id=user_id,
            now=now,
            subject=f"person:{user_id}",
            detail={"changed": changed_fields(before, profile)},
        )
        uow.commit()
        return SaveResult({}, home_team.name if home_team is not None else None)


@dataclass(frozen=True)
class PauseOutcome:
    """After `/tourism pause` or `/tourism resume`: no profile, or what holds now and before."""

    has_profile: bool
    now: PauseState = RESUMED
    was_paused: bool = False


def set_pause(
    uow_factory: ProfileUnitOfWorkFactory,
    *,
    workspace_id: str,
    user_id: str,
    state: PauseState,
    today: date,
    now: datetime,
) -> PauseOutcome:
    """Pauses or resumes through the same two profile fields the form's checkbox and date set
    (`looking`, `snoozed_until`), so both always agree."""
    with uow_factory() as uow:
        profile = uow.people.profile(workspace_id, user_id)
        if profile is None:
            return PauseOutcome(has_profile=False)
        was_paused = paused_on(
            looking=profile.looking, paused_until=profile.snoozed_until, today=today
        )
        changed = replace(profile, looking=state.looking, snoozed_until=state.paused_until)
        uow.people.save(workspace_id, user_id, changed, now=now)
        uow.audit.record(
            workspace_id,
            action="profile_paused" if state != RESUMED else "profile_resumed",
            actor_user_id=user_id,
            now=now,
            subject=f"person:{user_id}",
            detail={"paused_until": state.paused_until.isoformat() if state.paused_until else None},
        )
        uow.commit()
    return PauseOutcome(has_profile=True, now=state, was_paused=was_paused)


def record_timezone(
    uow_factory: ProfileUnitOfWorkFactory,
    *,
    workspace_id: str,
    user_id: str,
    timezone: str | None,
    now: datetime,
) -> bool:
    """Keeps the person's time zone as Slack reports it; False when it is not a known zone."""
    if not timezone:
        return False
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    with uow_factory() as uow:
        uow.people.set_timezone(workspace_id, user_id, timezone, now=now)
        uow.commit()
    return True
