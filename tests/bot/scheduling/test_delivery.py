from datetime import UTC, date, datetime, timedelta

import pytest

from bot.checkins.model import Alert, AlertKind, CheckinRef, CheckinState, plan_alert
from bot.scheduling.delivery import (
    MAX_ATTEMPTS,
    Failed,
    Problem,
    RetryLater,
    UndeliveredMessage,
    after_unsuccessful_try,
    classify,
    failure_notices,
    is_stale,
    retry_delay,
    visitor_gone_notices,
)
from bot.scheduling.planning import Kind
from bot.scheduling.views import render

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("error", "status", "problem"),
    [
        ("ratelimited", 429, Problem.RATE_LIMITED),
        (None, 429, Problem.RATE_LIMITED),
        ("internal_error", 500, Problem.UNCERTAIN),
        ("service_unavailable", 503, Problem.UNCERTAIN),
        ("fatal_error", 200, Problem.UNCERTAIN),
        ("channel_not_found", 200, Problem.PERMANENT),
        ("is_archived", 200, Problem.PERMANENT),
        ("msg_too_long", 200, Problem.PERMANENT),
        ("not_in_channel", 200, Problem.NOT_IN_CHANNEL),
        ("user_disabled", 200, Problem.RECIPIENT_GONE),
        ("invalid_auth", 200, Problem.TOKEN_DEAD),
        ("token_revoked", 200, Problem.TOKEN_DEAD),
        ("account_inactive", 200, Problem.TOKEN_DEAD),
        ("something_new", 200, Problem.TRANSIENT),
    ],
)
def test_slack_errors_are_classified(error, status, problem):
    assert classify(error, status) is problem


def test_check_ins_go_stale_after_a_day_and_retro_prompts_never():
    due = NOW - timedelta(days=1, minutes=1)
    assert is_stale(Kind.CHECKIN, due, NOW)
    assert is_stale(Kind.MIDPOINT, due, NOW)
    assert not is_stale(Kind.CHECKIN, NOW - timedelta(hours=23), NOW)
    assert not is_stale(Kind.RETRO, NOW - timedelta(days=30), NOW)
    assert not is_stale(Kind.KICKOFF, due, NOW)


def test_retries_back_off_and_stop_at_the_limit():
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert retry_delay(20) == timedelta(hours=1)
    assert after_unsuccessful_try(1, "internal_error", NOW) == RetryLater(
        "internal_error", NOW + timedelta(minutes=1)
    )
    gave_up = after_unsuccessful_try(MAX_ATTEMPTS, "internal_error", NOW)
    assert isinstance(gave_up, Failed) and "internal_error" in gave_up.reason


def undelivered(kind: str = Kind.CHECKIN, recipient: str = "U0VISITOR") -> UndeliveredMessage:
    payload = {"visitor": "U0VISITOR", "host_leads": ["U0LEAD", "U0LEAD2"], "host_team": "Pay"}
    return UndeliveredMessage(41, kind, recipient, 7, payload)


def test_each_organiser_is_told_once_per_failed_row():
    notices = failure_notices(undelivered(), "channel_not_found", ["U0B", "U0A", "U0A"], NOW)
    assert [(n.recipient, n.unique_key) for n in notices] == [
        ("U0A", "notice:failed:41:U0A"),
        ("U0B", "notice:failed:41:U0B"),
    ]
    assert notices[0].payload["reason"] == "channel_not_found"
    assert notices[0].due_at == NOW


def test_a_notice_that_fails_is_not_reported_again():
    assert failure_notices(undelivered(Kind.NOTICE, "U0A"), "user_disabled", ["U0A"], NOW) == []


def test_host_leads_hear_that_the_visitor_is_gone():
    notices = visitor_gone_notices(undelivered(), NOW)
    assert {n.recipient for n in notices} == {"U0LEAD", "U0LEAD2"}
    assert {n.content_key for n in notices} == {"notice_visitor_gone"}


def test_the_organisers_hear_which_visit_an_undelivered_alert_was_about():
    state = CheckinState(
        CheckinRef(7, 1), "U0VISITOR", "Pay <Core>", "Ledger", date(2026, 3, 2), date(2026, 3, 27)
    )
    [alert] = plan_alert(Alert(AlertKind.HELP, (1,), ("U0BUDDY",), "stuck"), state, NOW)
    failed = UndeliveredMessage(41, alert.kind, alert.recipient, 7, alert.payload)
    [notice] = failure_notices(failed, "user_not_found", ["U0ORG"], NOW)
    text = str(render(notice.content_key, notice.payload).blocks)
    assert "could not deliver the check-in alert to <@U0BUDDY>" in text
    assert "*Ledger* with *Pay &lt;Core&gt;*, Mon 2 Mar – Fri 27 Mar" in text
