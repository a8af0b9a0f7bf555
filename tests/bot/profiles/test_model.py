from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.core.forms import picked_topics
from bot.core.topics import default_vocabulary, vocabulary_from_yaml
from bot.profiles.model import (
    Profile,
    changed_fields,
    for_editing,
    validate_profile,
)

TODAY = date(2026, 11, 23)
VALID = Profile(
    learn_topics=("kubernetes",),
    learning_goal="Run a service on Kubernetes myself",
    available_from=date(2026, 12, 7),
    available_until=date(2027, 1, 3),  # exactly four weeks, both days included
)


def errors_of(profile: Profile, *, home_team_found: bool = True) -> dict[str, str]:
    return validate_profile(profile, today=TODAY, home_team_found=home_team_found)


def test_a_complete_profile_has_no_errors():
    assert errors_of(VALID) == {}


def test_a_window_of_exactly_the_preferred_length_fits_and_a_day_less_does_not():
    assert errors_of(VALID) == {}
    short = replace(VALID, available_until=VALID.available_until - timedelta(days=1))
    assert "27 days, less than the 4 weeks" in errors_of(short)["available_until"]
    assert errors_of(replace(short, preferred_weeks=3)) == {}


def test_without_a_start_the_window_counts_from_today():
    assert errors_of(replace(VALID, available_from=None, available_until=date(2026, 12, 20))) == {}
    too_soon = replace(VALID, available_from=None, available_until=date(2026, 12, 19))
    assert list(errors_of(too_soon)) == ["available_until"]


def test_an_open_ended_window_needs_no_end():
    assert errors_of(replace(VALID, available_until=None)) == {}
    assert errors_of(replace(VALID, available_from=None, available_until=None)) == {}


def test_the_end_must_not_come_before_the_start():
    backwards = replace(VALID, available_from=date(2027, 1, 4), available_until=date(2027, 1, 3))
    assert "after the one you are available from" in errors_of(backwards)["available_until"]


def test_today_is_not_in_the_past_but_yesterday_is():
    starting_today = replace(VALID, available_from=TODAY, snoozed_until=TODAY)
    assert errors_of(starting_today) == {}
    yesterday = TODAY - timedelta(days=1)
    errors = errors_of(replace(VALID, available_from=yesterday, snoozed_until=yesterday))
    assert set(errors) == {"available_from", "snoozed_until"}


def test_an_end_in_the_past_is_reported_as_past_not_as_too_short():
    past = replace(VALID, available_from=None, available_until=TODAY - timedelta(days=1))
    assert errors_of(past) == {"available_until": "This date has passed: pick today or later."}


@pytest.mark.parametrize("weeks", [0, 9, -1])
def test_the_preferred_length_is_one_to_eight_weeks(weeks: int):
    assert list(errors_of(replace(VALID, preferred_weeks=weeks))) == ["preferred_weeks"]


@pytest.mark.parametrize("weeks", [1, 8])
def test_one_and_eight_weeks_are_allowed(weeks: int):
    assert errors_of(replace(VALID, preferred_weeks=weeks, available_until=None)) == {}


def test_twenty_topics_are_enough_and_twenty_one_too_many():
    twenty = tuple(f"topic {n}" for n in range(20))
    assert errors_of(replace(VALID, learn_topics=twenty, teach_topics=twenty)) == {}
    errors = errors_of(replace(VALID, learn_topics=(*twenty, "one more"), teach_topics=twenty))
    assert list(errors) == ["learn_topics"]
    errors = errors_of(replace(VALID, teach_topics=(*twenty, "one more")))
    assert list(errors) == ["teach_topics"]


def test_something_to_learn_is_required_something_to_teach_is_not():
    assert list(errors_of(replace(VALID, learn_topics=()))) == ["learn_topics"]
    assert errors_of(replace(VALID, teach_topics=())) == {}


def test_a_topic_must_fit_a_menu_option():
    assert errors_of(replace(VALID, learn_topics=("x" * 75,))) == {}
    assert list(errors_of(replace(VALID, learn_topics=("x" * 76,)))) == ["learn_topics"]


@pytest.mark.parametrize(
    ("field", "limit"), [("learning_goal", 300), ("note", 3000), ("city", 100)]
)
def test_text_limits_are_inclusive(field: str, limit: int):
    assert errors_of(replace(VALID, **{field: "a" * limit})) == {}
    errors = errors_of(replace(VALID, **{field: "a" * (limit + 1)}))
    assert errors == {field: f"Keep it to {limit} characters (this is {limit + 1})."}


def test_a_blank_goal_is_missing():
    assert list(errors_of(replace(VALID, learning_goal="   "))) == ["learning_goal"]


def test_on_site_needs_a_city_remote_and_either_do_not():
    assert list(errors_of(replace(VALID, work_mode="onsite"))) == ["city"]
    assert list(errors_of(replace(VALID, work_mode="onsite", city="  "))) == ["city"]
    assert errors_of(replace(VALID, work_mode="onsite", city="Kraków")) == {}
    assert errors_of(replace(VALID, work_mode="remote")) == {}
    assert errors_of(replace(VALID, work_mode="either")) == {}


def test_an_unknown_work_mode_is_refused():
    assert list(errors_of(replace(VALID, work_mode="hybrid"))) == ["work_mode"]


def test_a_home_team_missing_from_the_directory_is_refused():
    assert list(errors_of(replace(VALID, home_team_id=42), home_team_found=False)) == ["home_team"]


def test_topics_are_normalised_deduplicated_and_kept_in_order():
    vocabulary = default_vocabulary()
    picked = ["machine learning", "go"]
    typed = "K8s, ML; Quantum Basket-Weaving\n go ,, "
    assert picked_topics(vocabulary, picked, typed) == (
        "machine learning",
        "go",
        "kubernetes",
        "quantum basket weaving",
    )


def test_topics_follow_the_vocabulary_they_are_given():
    vocabulary = vocabulary_from_yaml("topics:\n  Ops: [messaging]\naliases:\n  kafka: messaging\n")
    assert picked_topics(vocabulary, [], "Kafka") == ("messaging",)


def test_editing_offers_a_start_that_passed_as_today_and_drops_an_ended_snooze():
    saved = replace(VALID, available_from=date(2026, 11, 2), snoozed_until=date(2026, 11, 22))
    edited = for_editing(saved, TODAY)
    assert edited.available_from == TODAY
    assert edited.snoozed_until is None
    assert errors_of(edited) == {}
    assert for_editing(VALID, TODAY) == VALID
    snoozed = replace(VALID, snoozed_until=TODAY)
    assert for_editing(snoozed, TODAY) == snoozed


def test_changed_fields_names_what_differs():
    assert changed_fields(VALID, VALID) == []
    assert changed_fields(VALID, replace(VALID, note="hi", looking=False)) == ["looking", "note"]
    assert "learn_topics" in changed_fields(None, VALID)
