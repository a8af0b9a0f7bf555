"""Kept matching indexes stay correct: a change committed through one app instance is seen by
another on the same database, and nothing else makes an instance rebuild."""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import delete

from app import TourismApp, create_app
from bot.core.clock import FixedClock
from bot.matching.service import my_matches
from infra.fake_slack import FakeSlack
from storage.models import Blackout, MatchingChange, Opening, Team
from tests.conftest import NOW, make_settings, settings_env
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

VISITOR = "U0VISITOR"
TODAY = NOW.date()
RELATED: dict[str, frozenset[str]] = {}
WINDOW = {"earliest_start": date(2027, 1, 4), "latest_end": date(2027, 3, 1)}


@pytest.fixture
def replicas(database_url: str, fake_slack: FakeSlack) -> Iterator[tuple[TourismApp, TourismApp]]:
    """Two instances of the bot on one database, as two replicas behind a load balancer."""
    settings = make_settings(
        settings_env(DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url)
    )
    first, second = (create_app(settings, FixedClock(NOW)) for _ in range(2))
    with first.deps.uow() as uow:
        team = seed_team(uow, "Streaming")
        seed_person(uow, VISITOR, learn_topics=["kafka"], **_available())
        seed_opening(uow, team, "Kafka internals", topics=["kafka"], work_mode="remote", **WINDOW)
        seed_opening(uow, team, "React", topics=["react"], work_mode="remote", **WINDOW)
        uow.commit()
    yield first, second
    first.close()
    second.close()


def _available() -> dict[str, date]:
    return {"available_from": date(2027, 1, 1), "available_until": date(2027, 6, 30)}


def suggested(app: TourismApp) -> list[str]:
    with app.deps.reader() as uow:
        mine = my_matches(uow, WORKSPACE, VISITOR, today=TODAY, related=RELATED)
    return sorted(match.opening.title for match in mine.matches)


def kept_index(app: TourismApp) -> object:
    with app.deps.reader() as uow:
        return uow.matching.index(WORKSPACE, today=TODAY, related_topics=RELATED)


def test_a_new_opening_through_one_instance_is_suggested_by_the_other(replicas):
    first, second = replicas
    assert suggested(first) == ["Kafka internals"]
    with second.deps.uow() as uow:
        team = seed_team(uow, "Messaging")
        seed_opening(uow, team, "Kafka streams", topics=["kafka"], work_mode="remote", **WINDOW)
        uow.commit()
    assert suggested(first) == ["Kafka internals", "Kafka streams"]


def test_a_profile_change_through_one_instance_moves_the_others_suggestions(replicas):
    first, second = replicas
    assert suggested(first) == ["Kafka internals"]
    with second.deps.uow() as uow:
        uow.people.get_by_user(WORKSPACE, VISITOR).learn_topics = ["react"]
        uow.commit()
    assert suggested(first) == ["React"]


def test_an_opening_closed_by_a_bulk_update_is_no_longer_suggested_by_the_other(replicas):
    first, second = replicas
    assert suggested(first) == ["Kafka internals"]
    with second.deps.uow() as uow:
        [kafka] = [o for o in uow.openings.open(WORKSPACE) if o.title == "Kafka internals"]
        uow.openings.set_status(WORKSPACE, [kafka.id], "closed")
        uow.commit()
    assert suggested(first) == []


def test_the_index_is_kept_while_nothing_the_matcher_reads_changes(replicas):
    first, second = replicas
    kept = kept_index(first)
    assert kept_index(first) is kept
    with second.deps.uow() as uow:  # a time zone is not matched on
        uow.people.set_timezone(WORKSPACE, VISITOR, "Europe/Lisbon", now=NOW)
        uow.commit()
    with second.deps.uow() as uow:  # rolled back: nothing happened
        uow.people.get_by_user(WORKSPACE, VISITOR).learn_topics = ["react"]
    assert kept_index(first) is kept
    with second.deps.uow() as uow:
        uow.people.get_by_user(WORKSPACE, VISITOR).preferred_weeks = 3
        uow.commit()
    assert kept_index(first) is not kept


def test_a_transactions_own_uncommitted_change_is_never_kept(replicas):
    first, _ = replicas
    with first.deps.uow() as uow:
        uow.people.get_by_user(WORKSPACE, VISITOR).learn_topics = ["react"]
        mine = my_matches(uow, WORKSPACE, VISITOR, today=TODAY, related=RELATED)
        assert [match.opening.title for match in mine.matches] == ["React"]
    assert suggested(first) == ["Kafka internals"]


def test_a_profile_change_through_one_instance_updates_the_others_index_without_rebuilding(
    replicas,
):
    first, second = replicas
    kept = kept_index(first)
    with second.deps.uow() as uow:
        uow.people.get_by_user(WORKSPACE, VISITOR).available_until = date(2027, 1, 10)
        uow.commit()
    updated = kept_index(first)
    assert updated is not kept
    assert updated.cover is kept.cover  # the openings were not compiled again
    assert suggested(first) == []  # a week is too short for either opening


def test_a_newcomer_through_one_instance_is_matched_by_the_other(replicas):
    first, second = replicas
    kept_index(first)
    with second.deps.uow() as uow:
        seed_person(uow, "U0NEWCOMER", learn_topics=["react"], **_available())
        uow.commit()
    with first.deps.reader() as uow:
        mine = my_matches(uow, WORKSPACE, "U0NEWCOMER", today=TODAY, related=RELATED)
    assert [match.opening.title for match in mine.matches] == ["React"]


def test_an_instance_whose_changes_are_no_longer_recorded_builds_its_index_again(replicas):
    first, second = replicas
    kept = kept_index(first)
    with second.deps.uow() as uow:
        uow.people.get_by_user(WORKSPACE, VISITOR).learn_topics = ["react"]
        uow.commit()
    with second.deps.uow() as uow:  # as if pruned: too far behind to follow the changes
        uow.session.execute(delete(MatchingChange))
        uow.commit()
    assert suggested(first) == ["React"]
    assert kept_index(first).cover is not kept.cover


def _opening(uow, title: str) -> Opening:
    return uow.session.query(Opening).filter_by(title=title).one()


def test_an_opening_change_through_one_instance_updates_the_others_index_from_its_rows(
    replicas,
):
    first, second = replicas
    kept = kept_index(first)
    with second.deps.uow() as uow:
        _opening(uow, "React").topics = ["kafka", "react"]
        uow.commit()
    updated = kept_index(first)
    assert updated is not kept
    assert updated.learn is kept.learn  # nobody's profile was compiled again
    assert suggested(first) == ["Kafka internals", "React"]


def test_a_blackout_through_one_instance_updates_the_others_index(replicas):
    first, second = replicas
    kept = kept_index(first)
    with second.deps.uow() as uow:
        team = uow.session.query(Team).filter_by(name="Streaming").one()
        uow.session.add(
            Blackout(
                workspace_id=WORKSPACE,
                team_id=team.id,
                starts_on=WINDOW["earliest_start"],
                ends_on=WINDOW["latest_end"],
            )
        )
        uow.commit()
    assert kept_index(first).learn is kept.learn
    assert suggested(first) == []


def test_a_visit_through_one_instance_updates_the_others_index(replicas):
    first, second = replicas
    assert suggested(first) == ["Kafka internals"]
    with second.deps.uow() as uow:  # a visit to the host team: never matched to it again
        visitor = uow.people.get_by_user(WORKSPACE, VISITOR)
        kafka = _opening(uow, "Kafka internals")
        seed_tour(uow, visitor, kafka, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 13))
        uow.commit()
    assert suggested(first) == []
