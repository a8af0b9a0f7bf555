"""Saving a profile and a time zone: what is refused stores nothing, on in-memory fakes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bot.core.forms import TopicCheck
from bot.core.pause import RESUMED, PauseState, pause_state
from bot.core.topics import default_vocabulary
from bot.directory.model import Team
from bot.profiles.model import Profile
from bot.profiles.service import (
    PauseOutcome,
    profile_editor,
    record_timezone,
    save_profile,
    set_pause,
)

WORKSPACE, USER = "T0TEST", "U0ENGINEER"
TODAY, NOW = date(2026, 11, 23), datetime(2026, 11, 23, 10, 0)
VALID = Profile(
    learn_topics=("kubernetes",),
    learning_goal="Run a service on Kubernetes myself",
    available_from=date(2026, 12, 7),
    available_until=date(2027, 1, 3),
)


@dataclass
class FakeStore:
    teams: list[Team] = field(default_factory=lambda: [Team(1, "Ads")])
    profiles: dict[tuple[str, str], Profile] = field(default_factory=dict)
    timezones: dict[tuple[str, str], tuple[str, datetime]] = field(default_factory=dict)
    audited: list[tuple[Any, ...]] = field(default_factory=list)
    saved_at: list[datetime] = field(default_factory=list)
    commits: int = 0

    @contextmanager
    def unit_of_work(self) -> Iterator[Any]:
        people = SimpleNamespace(
            profile=lambda workspace_id, user_id: self.profiles.get((workspace_id, user_id)),
            save=self._save,
            set_timezone=self._set_timezone,
        )
        teams = SimpleNamespace(
            get=lambda workspace_id, team_id: next(
                (t for t in self.teams if t.id == team_id and workspace_id == WORKSPACE), None
            ),
            all=lambda workspace_id: self.teams if workspace_id == WORKSPACE else [],
        )
        audit = SimpleNamespace(record=self._record)
        yield SimpleNamespace(people=people, teams=teams, audit=audit, commit=self._commit)

    def _save(self, workspace_id: str, user_id: str, profile: Profile, *, now: datetime) -> None:
        self.profiles[(workspace_id, user_id)] = profile
        self.saved_at.append(now)

    def _set_timezone(self, workspace_id: str, user_id: str, zone: str, *, now: datetime) -> None:
        self.timezones[(workspace_id, user_id)] = (zone, now)

    def _record(self, workspace_id: str, *, action: str, **more: Any) -> None:
        assert (workspace_id, more["actor_user_id"], more["now"]) == (WORKSPACE, USER, NOW)
        self.audited.append((action, more["subject"], more["detail"]))

    def _commit(self) -> None:
        self.commits += 1


def save(store: FakeStore, profile: Profile):
    return save_profile(
        store.unit_of_work,
        workspace_id=WORKSPACE,
        user_id=USER,
        profile=profile,
        topic_check=TopicCheck(default_vocabulary()),
        today=TODAY,
        now=NOW,
    )


def test_a_valid_profile_is_saved_then_updated_with_its_home_team():
    store = FakeStore()
    first = save(store, replace(VALID, home_team_id=1))
    assert first.home_team_name == "Ads" and first.errors == {}
    assert save(store, VALID).home_team_name is None
    assert store.profiles[(WORKSPACE, USER)] == VALID and store.commits == 2
    assert store.saved_at == [NOW, NOW]
    subject, every_field = f"person:{USER}", [f.name for f in fields(Profile)]
    assert store.audited == [
        ("profile_created", subject, {"changed": every_field}),
        ("profile_updated", subject, {"changed": ["home_team_id"]}),
    ]


def test_the_editor_offers_a_new_profile_or_the_saved_one_as_of_today():
    store = FakeStore()
    editor = profile_editor(store.unit_of_work, workspace_id=WORKSPACE, user_id=USER, today=TODAY)
    assert editor.is_new and editor.profile == Profile() and editor.teams == [(1, "Ads")]
    store.profiles[(WORKSPACE, USER)] = replace(VALID, available_from=date(2026, 11, 2))
    editor = profile_editor(store.unit_of_work, workspace_id=WORKSPACE, user_id=USER, today=TODAY)
    assert not editor.is_new and editor.profile == replace(VALID, available_from=TODAY)


def test_a_home_team_gone_from_the_directory_stores_nothing():
    store = FakeStore()
    result = save(store, replace(VALID, home_team_id=99))
    assert "not in the directory" in result.errors["home_team"]
    assert store.profiles == {} and store.commits == 0 and store.audited == []


def test_a_mistaken_profile_stores_nothing():
    store = FakeStore()
    assert "learning_goal" in save(store, replace(VALID, learning_goal=" ")).errors
    assert store.profiles == {} and store.commits == 0


@pytest.mark.parametrize("zone", [None, "", "Mars/Olympus", "../etc"])
def test_an_unknown_time_zone_is_not_kept(zone):
    store = FakeStore()
    kept = record_timezone(
        store.unit_of_work, workspace_id=WORKSPACE, user_id=USER, timezone=zone, now=NOW
    )
    assert not kept and store.timezones == {} and store.commits == 0


def test_a_known_time_zone_is_kept():
    store = FakeStore()
    zone = "Europe/Paris"
    assert record_timezone(
        store.unit_of_work, workspace_id=WORKSPACE, user_id=USER, timezone=zone, now=NOW
    )
    assert store.timezones == {(WORKSPACE, USER): (zone, NOW)} and store.commits == 1


def set_pause_of(store: FakeStore, state: PauseState, today: date = TODAY) -> PauseOutcome:
    return set_pause(
        store.unit_of_work,
        workspace_id=WORKSPACE,
        user_id=USER,
        state=state,
        today=today,
        now=NOW,
    )


def test_pausing_without_a_profile_stores_nothing():
    store = FakeStore()
    assert set_pause_of(store, pause_state(None)) == PauseOutcome(has_profile=False)
    assert store.profiles == {} and store.commits == 0 and store.audited == []


def test_pause_and_resume_set_the_forms_two_fields_and_nothing_else():
    store = FakeStore(profiles={(WORKSPACE, USER): replace(VALID, snoozed_until=date(2027, 1, 1))})
    until = date(2027, 2, 1)
    assert set_pause_of(store, pause_state(until)).was_paused
    assert store.profiles[(WORKSPACE, USER)] == replace(VALID, snoozed_until=until)
    set_pause_of(store, pause_state(None))
    assert store.profiles[(WORKSPACE, USER)] == replace(VALID, looking=False)
    resumed = set_pause_of(store, RESUMED)
    assert resumed.was_paused and store.profiles[(WORKSPACE, USER)] == VALID
    assert not set_pause_of(store, RESUMED).was_paused
    subject = f"person:{USER}"
    assert store.audited == [
        ("profile_paused", subject, {"paused_until": "2027-02-01"}),
        ("profile_paused", subject, {"paused_until": None}),  # until they resume
        *[("profile_resumed", subject, {"paused_until": None})] * 2,
    ]
    assert store.commits == 4


def test_a_dated_pause_that_ended_is_no_pause_to_resume_from():
    store = FakeStore(profiles={(WORKSPACE, USER): replace(VALID, snoozed_until=TODAY)})
    assert not set_pause_of(store, RESUMED).was_paused
