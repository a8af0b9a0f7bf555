"""The check-in's rules: when the organisers hear about it, and what the visitor may type."""

from datetime import UTC, date, datetime

import pytest

from bot.checkins.model import (
    WHO_CAN_ACT,
    Alert,
    AlertKind,
    CheckinRef,
    CheckinState,
    DueAlert,
    MeetingsShare,
    Mood,
    PulledBack,
    Question,
    Role,
    WeekAnswer,
    organiser_alerts,
    parse_answer,
    plan_alert,
    validate_help,
    validate_shipped,
    weeks_in,
    worrying,
)

WELL, SO_SO, HELP = Mood.GOING_WELL, Mood.SO_SO, Mood.NEED_HELP
OVER, HALF = MeetingsShare.OVER_HALF, MeetingsShare.HALF


def moods(*answers: Mood | None, alerted: tuple[int, ...] = ()) -> list[WeekAnswer]:
    return [
        WeekAnswer(week=week, mood=mood, low_mood_alerted=week in alerted)
        for week, mood in enumerate(answers, start=1)
    ]


def meetings(*answers: MeetingsShare | None, alerted: tuple[int, ...] = ()) -> list[WeekAnswer]:
    return [
        WeekAnswer(week=week, meetings=share, meetings_alerted=week in alerted)
        for week, share in enumerate(answers, start=1)
    ]


@pytest.mark.parametrize(
    ("answers", "due"),
    [
        (moods(WELL, SO_SO), []),
        (moods(SO_SO, WELL, HELP), []),
        (moods(SO_SO, HELP), [DueAlert(AlertKind.LOW_MOOD, (1, 2))]),
        (moods(WELL, HELP, SO_SO, SO_SO), [DueAlert(AlertKind.LOW_MOOD, (2, 3, 4))]),
        # an unanswered week does not break "in a row": the answers are
        (moods(SO_SO, None, SO_SO), [DueAlert(AlertKind.LOW_MOOD, (1, 3))]),
        # the run was told about: a third low week is the same occurrence
        (moods(SO_SO, SO_SO, SO_SO, alerted=(2,)), []),
        # an earlier week answered late joins the run that was told about
        (moods(SO_SO, SO_SO, SO_SO, alerted=(3,)), []),
        # a new run after a good week is a new occurrence
        (
            moods(SO_SO, SO_SO, WELL, HELP, HELP, alerted=(2,)),
            [DueAlert(AlertKind.LOW_MOOD, (4, 5))],
        ),
    ],
)
def test_two_low_answers_in_a_row_call_for_one_alert_per_run(answers, due):
    assert organiser_alerts(answers) == due


@pytest.mark.parametrize(
    ("answers", "due"),
    [
        (meetings(OVER, HALF), []),
        (meetings(OVER, OVER), [DueAlert(AlertKind.MEETINGS, (1, 2))]),
        (meetings(OVER, HALF, None, OVER), [DueAlert(AlertKind.MEETINGS, (1, 4))]),
        (meetings(OVER, OVER, OVER, alerted=(2,)), []),  # once a visit
    ],
)
def test_meetings_over_half_twice_call_for_one_alert(answers, due):
    assert organiser_alerts(answers) == due


def test_both_rules_can_be_due_at_once_and_are_recorded_on_their_last_week():
    answers = [
        WeekAnswer(week=1, mood=SO_SO, meetings=OVER),
        WeekAnswer(week=2, mood=HELP, meetings=OVER),
    ]
    due = organiser_alerts(answers)
    assert [(alert.kind, alert.recorded_on) for alert in due] == [
        (AlertKind.LOW_MOOD, 2),
        (AlertKind.MEETINGS, 2),
    ]


def test_answers_are_only_those_the_question_offers():
    assert parse_answer(Question.MOOD, "so_so") is Mood.SO_SO
    assert parse_answer(Question.MEETINGS, "over_half") is MeetingsShare.OVER_HALF
    assert parse_answer(Question.MEETINGS, "so_so") is None
    assert parse_answer(Question.PULLED_BACK, "") is None


def test_a_visit_has_a_check_in_for_each_started_week():
    assert weeks_in(date(2026, 11, 2), date(2026, 11, 27)) == 4
    assert weeks_in(date(2026, 11, 2), date(2026, 11, 2)) == 1


def test_help_needs_a_few_words_and_not_too_many():
    assert "Say in a few words" in validate_help("")["details"]
    assert "under 2000" in validate_help("x" * 2001)["details"]
    assert validate_help("I am stuck in meetings") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Add at least one item"),
        ("\n".join(f"item {n}" for n in range(21)), "At most 20 items at a time (21 given)"),
        ("fine\n" + "x" * 300, "under 300 characters (item 2)"),
    ],
)
def test_shipped_log_validation(text, message):
    assert message in validate_shipped(text)["items"]


def test_twenty_items_under_300_characters_are_fine():
    assert validate_shipped("\n".join(["y" * 299] * 20)) == {}


def test_each_alert_is_one_row_a_recipient_keyed_by_its_occurrence():
    state = CheckinState(
        ref=CheckinRef(7, 3),
        visitor="U0VISITOR",
        host_team="Payments",
        opening_title="Ledger",
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 27),
    )
    now = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
    help_rows = plan_alert(Alert(AlertKind.HELP, (3,), ("U0BUDDY", "U0LEAD"), "stuck"), state, now)
    assert [(row.unique_key, row.recipient) for row in help_rows] == [
        ("tour:7:checkin_help:3:U0BUDDY", "U0BUDDY"),
        ("tour:7:checkin_help:3:U0LEAD", "U0LEAD"),
    ]
    low = plan_alert(Alert(AlertKind.LOW_MOOD, (1, 2, 3), ("U0ORG",)), state, now)
    assert [row.unique_key for row in low] == ["tour:7:checkin_alert:low_mood:3:U0ORG"]
    assert {row.due_at for row in help_rows + low} == {now}
    assert {(row.content_key, row.tour_id) for row in help_rows + low} == {("checkin_alert", 7)}
    assert low[0].payload["weeks"] == [1, 2, 3] and help_rows[0].payload["details"] == "stuck"


def pulls(*answers: PulledBack | None, alerted: tuple[int, ...] = ()) -> list[WeekAnswer]:
    return [
        WeekAnswer(week=week, pulled_back=answer, pulls_alerted=week in alerted)
        for week, answer in enumerate(answers, start=1)
    ]


OFTEN, ONCE = PulledBack.OFTEN, PulledBack.ONCE_OR_TWICE


@pytest.mark.parametrize(
    ("answers", "due"),
    [
        (pulls(OFTEN), []),
        (pulls(OFTEN, ONCE), []),
        (pulls(OFTEN, ONCE, OFTEN), [DueAlert(AlertKind.PULLS, (1, 3))]),
        (pulls(OFTEN, OFTEN, OFTEN, alerted=(2,)), []),
    ],
)
def test_often_pulled_back_twice_copies_the_organisers(answers, due):
    assert organiser_alerts(answers) == due


@pytest.mark.parametrize(
    ("answer", "signals"),
    [
        (WeekAnswer(1, Mood.GOING_WELL, MeetingsShare.HALF, PulledBack.NEVER), []),
        (WeekAnswer(1, Mood.NEED_HELP), [AlertKind.HELP]),
        (
            WeekAnswer(2, Mood.SO_SO, MeetingsShare.OVER_HALF, PulledBack.OFTEN),
            [AlertKind.SO_SO, AlertKind.BUSY, AlertKind.PULLED],
        ),
    ],
)
def test_the_signals_of_a_week(answer, signals):
    assert worrying(answer) == signals


def test_each_signal_has_someone_who_can_act_on_it():
    assert set(WHO_CAN_ACT) == set(AlertKind)
    assert WHO_CAN_ACT[AlertKind.PULLED] == (Role.HOME_LEADS,)
    assert WHO_CAN_ACT[AlertKind.BUSY] == (Role.HOST_LEADS,)
