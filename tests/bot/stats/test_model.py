"""The rules behind the figures, at their edges."""

from datetime import date, timedelta

import pytest

from bot.stats.model import (
    HostTeam,
    LengthBucket,
    PendingDecision,
    Period,
    ProgrammeFacts,
    Rate,
    Visit,
    host_load,
    overdue_decisions,
    personal_report,
    quarter_and_year,
    what_stuck_rate,
)

START = date(2026, 1, 5)  # a Monday


def visit(days: int = 26, **fields) -> Visit:
    values = {
        "visitor_id": "U0ANA",
        "host_team_id": 1,
        "buddy_id": None,
        "starts_on": START,
        "ends_on": START + timedelta(days=days - 1 if days else 0),
        "status": "completed",
    }
    return Visit(**(values | fields))


@pytest.mark.parametrize(
    ("last_day", "length"),
    [
        (date(2026, 1, 16), LengthBucket.TWO),  # Mon to Fri of the second week
        (date(2026, 1, 23), LengthBucket.THREE),
        (date(2026, 1, 30), LengthBucket.FOUR_PLUS),
        (date(2026, 2, 13), LengthBucket.FOUR_PLUS),  # six weeks
        (date(2026, 1, 9), LengthBucket.TWO),  # one week counts with the shortest
    ],
)
def test_visits_are_grouped_by_their_length_in_weeks(last_day, length):
    assert visit(ends_on=last_day).length is length


@pytest.mark.parametrize(
    ("today", "quarter", "first", "last"),
    [
        (date(2026, 1, 1), "Q1 2026", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 3, 31), "Q1 2026", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), "Q2 2026", date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 12, 31), "Q4 2026", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_the_quarter_and_year_of_a_day(today, quarter, first, last):
    assert quarter_and_year(today) == (
        Period(quarter, first, last),
        Period(str(today.year), date(today.year, 1, 1), date(today.year, 12, 31)),
    )


def test_what_stuck_counts_only_visits_back_for_ninety_days():
    back = visit(brought_back=3, stuck=2)
    day_90 = back.ends_on + timedelta(days=90)
    assert what_stuck_rate([back], day_90) == Rate(2, 3)
    assert what_stuck_rate([back], day_90 - timedelta(days=1)) == Rate(0, 0)
    assert what_stuck_rate([visit(brought_back=3, status="cancelled")], day_90) == Rate(0, 0)


def test_a_decision_is_overdue_after_a_full_week_of_waiting():
    since = date(2026, 11, 10)
    waiting = [
        PendingDecision("U0A", "Kafka", "submitted", since),
        PendingDecision("U0B", "Kafka", "host_accepted", since - timedelta(days=3)),
        PendingDecision("U0C", "Kafka", "home_agreed", since - timedelta(days=30)),
    ]
    assert overdue_decisions(waiting, since + timedelta(days=7)) == (waiting[1],)
    assert overdue_decisions(waiting, since + timedelta(days=8)) == (waiting[1], waiting[0])


def test_host_load_leaves_out_teams_without_visitors_and_cancelled_visits():
    teams = [HostTeam(1, "alpha", 1), HostTeam(2, "Beta", None), HostTeam(3, "Gamma", 2)]
    year = Period("2026", date(2026, 1, 1), date(2026, 12, 31))
    visits = [
        visit(host_team_id=1, buddy_id="U0B1"),
        visit(host_team_id=2, buddy_id="U0B2"),
        visit(host_team_id=2, buddy_id="U0B2", rating=4),
        visit(host_team_id=3, status="cancelled"),
    ]
    rows = host_load(teams, visits, [year])
    assert [(row.team, row.hosted, row.busiest_buddy, row.average_rating) for row in rows] == [
        ("Beta", (2,), 2, 4.0),
        ("alpha", (1,), 1, None),
    ]


def test_personal_report_shows_ones_visits_and_a_leads_visitors():
    year = Period("2026", date(2026, 1, 1), date(2026, 12, 31))
    facts = ProgrammeFacts(
        teams=[HostTeam(1, "Streaming", None, frozenset({"U0LEAD"}))],
        visits=[
            visit(visitor_id="U0ANA"),
            visit(visitor_id="U0ANA", starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 12)),
            visit(visitor_id="U0BEN", status="cancelled"),
            visit(visitor_id="U0CAL", starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 27)),
        ],
        checkins=[],
        open_openings=[],
        pending_decisions=[],
    )
    ana = personal_report(facts, "U0ANA", year)
    assert [item.visit.starts_on for item in ana.own] == [date(2026, 6, 1), START]
    assert not ana.leads and not ana.hosted
    lead = personal_report(facts, "U0LEAD", year)
    assert lead.leads and not lead.own
    assert [item.visit.visitor_id for item in lead.hosted] == ["U0ANA", "U0ANA"]
    assert {item.host_team for item in lead.hosted} == {"Streaming"}
