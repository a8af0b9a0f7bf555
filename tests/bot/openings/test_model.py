"""The opening's rules, the announcement decisions, and the views, without Slack or a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.core.topics import default_vocabulary
from bot.openings.model import (
    Announcement,
    OpeningDraft,
    PostedOpening,
    is_expired,
    last_day_to_apply,
    lists_topic,
    validate_opening,
)
from bot.openings.service import (
    AnnouncementProblem,
    AnnouncementStep,
    ListKind,
    ListQuery,
    NotInChannel,
    OpeningPage,
    announcement_problem,
    plan_announcement,
    when_not_in_channel,
)
from bot.openings.views import announcement_message, openings_list, page_value, query_of

TODAY = date(2026, 11, 23)
DRAFT = OpeningDraft(
    team_id=1,
    title="Tune the ranking",
    description="Ranking experiments.",
    topics=("python",),
    earliest_start=date(2026, 12, 7),
    latest_end=date(2027, 1, 3),  # exactly four weeks
    weeks=4,
    seats=2,
    apply_by=date(2026, 12, 7),
)


def posted(draft: OpeningDraft = DRAFT, **fields) -> PostedOpening:
    values = {
        "id": 7,
        "workspace_id": "T0TEST",
        "team_name": "Search",
        "team_lead_ids": ("U0LEAD",),
        "draft": draft,
        "status": "open",
        "seats_taken": 0,
        "created_by": "U0LEAD",
        "announcement": None,
    } | fields
    return PostedOpening(**values)


def errors(draft: OpeningDraft, **options) -> dict[str, str]:
    arguments = {"today": TODAY, "team_ids_allowed": [1], "title_taken": False} | options
    return validate_opening(draft, **arguments)


def test_a_window_exactly_as_long_as_the_visit_and_apply_by_on_the_latest_start_are_fine():
    assert errors(DRAFT) == {}
    assert last_day_to_apply(replace(DRAFT, apply_by=None)) == date(2026, 12, 7)


def test_organisers_may_post_for_any_team_leads_only_for_theirs():
    assert errors(replace(DRAFT, team_id=2), team_ids_allowed=None) == {}
    assert "do not lead" in errors(replace(DRAFT, team_id=2))["team"]
    assert "Pick the team" in errors(replace(DRAFT, team_id=None))["team"]


def test_an_edit_may_keep_dates_that_have_passed_since_but_not_set_new_past_ones():
    saved = posted(replace(DRAFT, earliest_start=date(2026, 11, 16)))
    kept = replace(DRAFT, earliest_start=date(2026, 11, 16), apply_by=None)
    assert errors(kept, saved=saved) == {}
    moved = replace(kept, earliest_start=date(2026, 11, 17))
    assert "has passed" in errors(moved, saved=saved)["earliest_start"]


def test_seats_cannot_drop_below_those_taken():
    saved = posted(seats_taken=2)
    assert "2 visitors already have a seat" in errors(replace(DRAFT, seats=1), saved=saved)["seats"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"buddy_user_id": "<!channel>"}, "buddy"),
        ({"work_mode": "moon"}, "work_mode"),
        ({"expected_output": "novel"}, "expected_output"),
        ({"first_day_kit": "x" * 1001}, "first_day_kit"),
        ({"hopes_to_learn": tuple(f"t{n}" for n in range(21))}, "hopes_to_learn"),
        ({"topics": ("x" * 76,)}, "topics"),
        ({"description": " "}, "description"),
        ({"weeks": None}, "weeks"),
        ({"seats": None}, "seats"),
    ],
)
def test_forged_or_out_of_range_values_are_refused(changes: dict, field: str):
    assert field in errors(replace(DRAFT, **changes))


def test_an_opening_expires_the_day_after_its_last_day_to_apply():
    opening = posted()
    assert not is_expired(opening, date(2026, 12, 7))
    assert is_expired(opening, date(2026, 12, 8))
    assert not is_expired(posted(status="closed"), date(2027, 1, 1))
    # Without an apply-by, the latest start that fits is the last day.
    open_ended = posted(replace(DRAFT, apply_by=None, latest_end=date(2027, 1, 10)))
    assert not is_expired(open_ended, date(2026, 12, 14))
    assert is_expired(open_ended, date(2026, 12, 15))


def test_a_topic_matches_through_aliases_and_related_topics():
    vocabulary = default_vocabulary()
    messaging = posted(replace(DRAFT, topics=("messaging",)))
    assert lists_topic(messaging.draft.topics, "Kafka", vocabulary)
    assert lists_topic(messaging.draft.topics, "messaging", vocabulary)
    assert not lists_topic(messaging.draft.topics, "python", vocabulary)
    assert lists_topic(("kubernetes",), "K8s", vocabulary)
    assert lists_topic(messaging.draft.topics, "  ", vocabulary)  # no topic: everything


def test_the_announcement_plan():
    ticked = posted(replace(DRAFT, announce=True))
    assert plan_announcement(ticked, "C1").step is AnnouncementStep.POST
    assert plan_announcement(ticked, None).step is AnnouncementStep.NOT_CONFIGURED
    assert plan_announcement(posted(replace(DRAFT, announce=False)), "C1").step is (
        AnnouncementStep.NONE
    )
    announced = posted(announcement=Announcement("C9", "1.2"))
    plan = plan_announcement(replace(announced, status="closed"), None)
    assert (plan.step, plan.channel_id) == (AnnouncementStep.UPDATE, "C9")


def test_slack_errors_become_problems_and_only_channel_problems_reach_the_organisers():
    assert announcement_problem("not_in_channel") is AnnouncementProblem.PRIVATE_CHANNEL
    assert announcement_problem("channel_not_found").organisers_must_know
    assert announcement_problem("is_archived").organisers_must_know
    assert not announcement_problem("ratelimited").organisers_must_know
    assert announcement_problem("ratelimited") is AnnouncementProblem.FAILED
    assert when_not_in_channel(is_private=False) is NotInChannel.JOIN_AND_RETRY
    assert when_not_in_channel(is_private=True) is NotInChannel.ASK_FOR_INVITE
    assert when_not_in_channel(is_private=None) is NotInChannel.ASK_FOR_INVITE


def test_a_closed_announcement_says_so_and_offers_no_apply_button():
    message = announcement_message(posted(status="closed", draft=replace(DRAFT, title="<!here>")))
    assert [b["type"] for b in message["blocks"]] == ["header", "section", "context"]
    assert "&lt;!here&gt;" in message["text"] and "<!here>" not in message["text"]


def test_a_full_page_of_the_longest_openings_stays_within_slacks_limits():
    longest = replace(
        DRAFT,
        title="&" * 150,
        topics=tuple(f"{n:02d}" + "t" * 73 for n in range(20)),
        buddy_user_id="U0BUDDY",
    )
    page = OpeningPage(ListQuery(ListKind.MINE, "", 1), [posted(longest)] * 10, total=35)
    message = openings_list(page, notice="Closed *x*.")
    assert len(message["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in message["blocks"] if "text" in b)
    navigation = message["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in navigation] == ["Previous", "Next"]
    assert all(len(b["value"]) <= 2000 for b in navigation)


def test_page_buttons_round_trip_and_garbage_means_the_first_page():
    query = ListQuery(ListKind.OPEN, "kafka " * 30, 2)
    assert query_of(page_value(query)) == ListQuery(ListKind.OPEN, query.topic[:100], 2)
    assert query_of("not json") == ListQuery()
    assert query_of('{"kind": "everything", "topic": "", "page": 0}') == ListQuery()
