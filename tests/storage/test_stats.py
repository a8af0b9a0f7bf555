"""Every figure of `/tourism stats`, read from a real database, on a programme with known
answers (tests/support/stats.py explains each one)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.stats.model import (
    CheckinMonth,
    HostLoad,
    LengthBucket,
    LengthFigures,
    PendingDecision,
    Period,
    Rate,
    VisitCounts,
)
from bot.stats.service import organiser_report
from storage.models import CheckinAnswer
from tests.support.stats import seed_programme

TODAY = date(2026, 11, 23)
WARSAW = ZoneInfo("Europe/Warsaw")
Q4 = Period("Q4 2026", date(2026, 10, 1), date(2026, 12, 31))
YEAR = Period("2026", date(2026, 1, 1), date(2026, 12, 31))


def report_of(uow_factory, periods=None):
    with uow_factory() as uow:
        seed_programme(uow)
    with uow_factory() as uow:
        return organiser_report(uow, "T0TEST", TODAY, WARSAW, periods)


def test_each_figure_of_the_quarter_and_the_year(uow_factory):
    report = report_of(uow_factory)

    assert report.periods == (Q4, YEAR)
    assert report.visits == (
        VisitCounts(started=3, completed=2, cancelled=1, visitors=3, host_teams=2),
        VisitCounts(started=4, completed=3, cancelled=1, visitors=4, host_teams=2),
    )
    assert report.host_load == (
        HostLoad("Streaming", 2, hosted=(2, 3), average_rating=4.0, busiest_buddy=3),
        HostLoad("Payments", None, hosted=(2, 2), average_rating=4.0, busiest_buddy=1),
    )
    assert report.by_length == (
        LengthFigures(LengthBucket.TWO, 1, 3.0, {"too_short": 1, "right": 0, "too_long": 0}),
        LengthFigures(LengthBucket.THREE, 1, 4.0, {"too_short": 0, "right": 1, "too_long": 0}),
        LengthFigures(LengthBucket.FOUR_PLUS, 1, 5.0, {"too_short": 0, "right": 1, "too_long": 0}),
    )
    assert report.visits_by_month == tuple(
        (date(2026, month, 1), {2: 1, 10: 2, 11: 1, 12: 1}.get(month, 0)) for month in range(1, 13)
    )
    assert report.checkins_by_month == (
        CheckinMonth(date(2026, 2, 1), answers=1, low_mood=0, heavy_meetings=0, pulled_home=0),
        CheckinMonth(date(2026, 10, 1), answers=2, low_mood=1, heavy_meetings=1, pulled_home=1),
        CheckinMonth(date(2026, 11, 1), answers=1, low_mood=1, heavy_meetings=1, pulled_home=1),
    )
    assert report.share_back == Rate(2, 3)
    assert report.what_stuck == Rate(1, 2)
    assert report.idle_openings == ("Idle",)
    assert report.overdue_decisions == (
        PendingDecision("U0EVE", "Kafka", "submitted", date(2026, 11, 10)),
    )


def test_figures_over_chosen_dates(uow_factory):
    last_year = Period("2025", date(2025, 1, 1), date(2025, 12, 31))
    report = report_of(uow_factory, [last_year])
    assert report.visits == (
        VisitCounts(started=1, completed=1, cancelled=0, visitors=1, host_teams=1),
    )
    assert report.host_load == (
        HostLoad("Streaming", 2, hosted=(1,), average_rating=None, busiest_buddy=1),
    )
    assert report.share_back == Rate(0, 1)


def test_moments_count_on_the_day_they_were_in_the_business_time_zone(uow_factory):
    """Half past midnight in Warsaw on 1 Nov is still 31 Oct in UTC: it counts in November."""
    with uow_factory() as uow:
        seed_programme(uow)
        answer = uow.session.scalars(select(CheckinAnswer).where(CheckinAnswer.week == 2)).one()
        answer.answered_at = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
        uow.commit()
    with uow_factory() as uow:
        months = organiser_report(uow, "T0TEST", TODAY, WARSAW).checkins_by_month
    assert [(row.month.month, row.answers) for row in months] == [(2, 1), (10, 1), (11, 2)]
