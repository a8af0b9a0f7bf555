"""Each rule on a visit's dates, written once (bot/core/visit_rules.py)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.blocks import visit_dates
from bot.core.calendar import Period, SprintCadence
from bot.core.visit_rules import (
    HostCalendar,
    blackout_conflicts,
    check_absence,
    closed_for_applications,
    fits,
    host_warnings,
    last_working_day,
    latest_start,
    most_away_on_one_day,
    quarter_full,
    rest_conflicts,
    suggest_start,
    visit_period,
    window_error,
)

TODAY = date(2026, 11, 23)  # a Monday
MONDAY_14_DEC = date(2026, 12, 14)
HOME_FREEZE = Period(date(2026, 12, 21), date(2027, 1, 1))


# --- the visit's days ----------------------------------------------------------------------------


def test_a_visit_ends_on_the_last_working_day_of_its_last_week():
    assert visit_period(MONDAY_14_DEC, 4) == Period(MONDAY_14_DEC, date(2027, 1, 8))  # a Friday
    wednesday = date(2026, 12, 16)
    assert visit_period(wednesday, 1) == Period(wednesday, date(2026, 12, 22))  # a Tuesday


def test_a_visit_reads_the_same_on_every_card_and_round():
    assert visit_dates(*_ends(visit_period(date(2027, 1, 4), 4))) == "Mon 4 Jan – Fri 29 Jan 2027"
    crossing = visit_period(MONDAY_14_DEC, 4)
    assert visit_dates(*_ends(crossing)) == "Mon 14 Dec 2026 – Fri 8 Jan 2027"


def _ends(period: Period) -> tuple[date, date]:
    return period.start, period.end


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)))
def test_the_last_working_day_is_a_weekday_within_two_days(day):
    last = last_working_day(day)
    assert last.weekday() < 5
    assert 0 <= (day - last).days <= 2
    assert (last == day) == (day.weekday() < 5)


def test_the_first_day_comes_after_today_and_the_visit_inside_the_window():
    window = Period(date(2027, 1, 4), date(2027, 3, 28))
    assert window_error(None, 4, window, TODAY) == "Pick the day you would start."
    assert window_error(TODAY, 4, window, TODAY) == "Pick a day after today."
    assert "must fit between 4 Jan and 28 Mar" in window_error(date(2027, 3, 8), 4, window, TODAY)
    # Ending on Friday 26 Mar, the last 4-week visit starting on a Monday fits.
    assert window_error(date(2027, 3, 1), 4, window, TODAY) is None


def test_an_opening_takes_applications_while_open_with_a_seat_before_its_apply_by_day():
    assert closed_for_applications(is_open=True, seats_left=1, apply_by=TODAY, today=TODAY) is None
    assert "no longer taking" in closed_for_applications(
        is_open=False, seats_left=1, apply_by=None, today=TODAY
    )
    assert "no longer taking" in closed_for_applications(
        is_open=True, seats_left=0, apply_by=None, today=TODAY
    )
    assert "closed on 22 Nov 2026" in closed_for_applications(
        is_open=True, seats_left=1, apply_by=TODAY - timedelta(days=1), today=TODAY
    )


# --- blackouts, the home team's cap and the host's limits ------------------------------------


def test_a_blackout_in_the_middle_of_a_visit_is_a_conflict():
    # The form once looked only at the first and last day: this visit starts and ends outside.
    visit = visit_period(MONDAY_14_DEC, 4)
    assert blackout_conflicts(visit, [HOME_FREEZE]) == (HOME_FREEZE,)


def test_a_blackout_on_a_weekend_or_outside_the_visit_is_no_conflict():
    visit = visit_period(MONDAY_14_DEC, 1)  # Mon 14 – Fri 18 Dec
    weekend = Period(date(2026, 12, 19), date(2026, 12, 20))
    before = Period(date(2026, 12, 7), date(2026, 12, 11))
    assert blackout_conflicts(visit, [weekend, before]) == ()


def test_the_home_team_cap_counts_the_worst_day_of_the_visit():
    visit = Period(date(2027, 1, 4), date(2027, 1, 29))
    absences = [
        Period(date(2026, 12, 20), date(2027, 1, 5)),
        Period(date(2027, 1, 20), date(2027, 2, 10)),
        Period(date(2027, 1, 25), date(2027, 1, 26)),
    ]
    check = check_absence(visit, absences=absences, cap=2, blackouts=[])
    assert check.away_already == 2
    assert check.exceeds_cap and check.needs_override
    assert not check_absence(visit, absences=absences, cap=3, blackouts=[]).needs_override


periods = st.builds(
    lambda start, length: Period(
        date(2027, 1, 1) + timedelta(days=start), date(2027, 1, 1) + timedelta(days=start + length)
    ),
    st.integers(0, 60),
    st.integers(0, 30),
)


@given(visit=periods, absences=st.lists(periods, max_size=8))
def test_most_away_matches_a_working_day_by_working_day_count(visit, absences):
    working_days = [day for day in visit.days() if day.weekday() < 5]
    brute = max((sum(a.contains(day) for a in absences) for day in working_days), default=0)
    assert most_away_on_one_day(visit, absences) == brute


def test_two_absences_meeting_only_on_a_weekend_count_once():
    thursday_to_sunday = Period(date(2027, 1, 7), date(2027, 1, 10))
    saturday_to_wednesday = Period(date(2027, 1, 9), date(2027, 1, 13))
    visit = visit_period(date(2027, 1, 4), 2)
    assert most_away_on_one_day(visit, [thursday_to_sunday, saturday_to_wednesday]) == 1


@given(visit=periods, blackouts=st.lists(periods, max_size=4))
def test_a_blackout_conflicts_exactly_when_it_holds_a_working_day_of_the_visit(visit, blackouts):
    brute = tuple(
        b for b in blackouts if any(b.contains(d) and d.weekday() < 5 for d in visit.days())
    )
    assert blackout_conflicts(visit, blackouts) == brute


def test_a_host_quarter_is_full_at_its_limit():
    hosted = [date(2026, 10, 5)]
    assert quarter_full(MONDAY_14_DEC, hosted, 1)
    assert not quarter_full(MONDAY_14_DEC, hosted, 2)
    assert not quarter_full(date(2027, 1, 4), hosted, 1)  # the next quarter
    assert not quarter_full(MONDAY_14_DEC, hosted, None)


def test_rest_days_keep_the_next_visit_a_working_week_away():
    other = visit_period(date(2026, 12, 7), 1)  # Mon 7 – Fri 11 Dec
    assert rest_conflicts(visit_period(MONDAY_14_DEC, 1), [other], 3) == (other,)
    assert rest_conflicts(visit_period(MONDAY_14_DEC, 1), [other], 2) == ()  # only the weekend
    assert rest_conflicts(visit_period(date(2026, 12, 21), 1), [other], 3) == ()
    assert rest_conflicts(visit_period(MONDAY_14_DEC, 1), [other], 0) == ()


def test_the_host_lead_is_told_each_host_rule_the_dates_break():
    host = HostCalendar(
        blackouts=(Period(date(2026, 12, 15), date(2026, 12, 15)),),
        visitors_per_quarter=1,
        rest_days=3,
        hosted=(visit_period(date(2026, 12, 7), 1),),
    )
    warnings = host_warnings(visit_period(MONDAY_14_DEC, 2), host)
    assert len(warnings) == 3
    assert "blackout 15 Dec–15 Dec" in warnings[0]
    assert "at most 1 visitor a quarter" in warnings[1]
    assert "3 days of rest" in warnings[2]
    assert host_warnings(visit_period(date(2027, 1, 11), 2), host) == ()


# --- the suggestion -----------------------------------------------------------------------------


def test_the_suggestion_skips_a_home_blackout_over_the_middle_of_the_visit():
    # The case: the form suggested 14 Dec straight over the home team's 21 Dec – 1 Jan.
    window = Period(MONDAY_14_DEC, date(2027, 2, 26))
    start = suggest_start(window=window, weeks=4, today=TODAY, home_blackouts=[HOME_FREEZE])
    assert start == date(2027, 1, 4)


def test_the_suggestion_skips_a_full_quarter_at_a_busy_host():
    window = Period(MONDAY_14_DEC, date(2027, 2, 26))
    busy = HostCalendar(visitors_per_quarter=1, hosted=(visit_period(date(2026, 10, 5), 2),))
    assert suggest_start(window=window, weeks=2, today=TODAY, host=busy) == date(2027, 1, 4)


def test_the_suggestion_is_the_first_monday_that_fits_the_availability():
    window = Period(date(2026, 12, 2), date(2027, 3, 31))
    assert suggest_start(window=window, weeks=4, today=TODAY) == date(2026, 12, 7)
    start = suggest_start(
        window=window,
        weeks=2,
        today=TODAY,
        availability=Period(date(2027, 1, 1), date(2027, 2, 28)),
        host=HostCalendar(blackouts=(Period(date(2027, 1, 4), date(2027, 1, 8)),)),
    )
    assert start == date(2027, 1, 11)


def test_the_suggestion_prefers_a_host_sprint_start():
    window = Period(date(2026, 12, 1), date(2027, 3, 31))
    sprints = SprintCadence(first_start=date(2026, 11, 18), weeks=2)  # Wednesdays
    host = HostCalendar(sprints=sprints)
    assert suggest_start(window=window, weeks=2, today=TODAY, host=host) == date(2026, 12, 2)


def test_no_suggestion_when_the_window_is_too_short():
    window = Period(date(2026, 12, 1), date(2026, 12, 20))
    assert suggest_start(window=window, weeks=4, today=TODAY) is None


hosts = st.builds(
    HostCalendar,
    blackouts=st.lists(periods, max_size=2).map(tuple),
    visitors_per_quarter=st.sampled_from([None, 0, 1, 2]),
    rest_days=st.sampled_from([0, 3, 10]),
    hosted=st.lists(periods, max_size=2).map(tuple),
)


@given(host=hosts, home=st.lists(periods, max_size=2), weeks=st.integers(1, 4))
def test_the_suggestion_keeps_every_rule_and_no_earlier_monday_does(host, home, weeks):
    window = Period(date(2026, 12, 1), date(2027, 4, 30))
    start = suggest_start(window=window, weeks=weeks, today=TODAY, host=host, home_blackouts=home)
    mondays = [window.start + timedelta(days=d) for d in range(0, 150)]
    fitting = [
        m
        for m in mondays
        if m.weekday() == 0
        and window_error(m, weeks, window, TODAY) is None
        and fits(visit_period(m, weeks), host, home)
    ]
    if start is None:
        assert not fitting
        return
    assert window_error(start, weeks, window, TODAY) is None
    assert fits(visit_period(start, weeks), host, home)
    if fitting:
        assert start == fitting[0]


@given(end=st.dates(date(2027, 1, 1), date(2027, 12, 31)), weeks=st.integers(1, 8))
def test_the_latest_start_is_the_last_day_whose_visit_ends_inside_the_window(end, weeks):
    window = Period(date(2026, 1, 1), end)
    last = latest_start(window, weeks)
    assert visit_period(last, weeks).end <= end < visit_period(last + timedelta(days=1), weeks).end
