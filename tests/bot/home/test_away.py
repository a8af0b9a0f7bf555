"""A home lead's view of her team's absences counts them by the cap rule requests are checked by."""

from __future__ import annotations

from datetime import date

from bot.home.model import Absence, TeamAway

MONDAY = date(2027, 1, 4)


def away(*periods: tuple[date, date]) -> TeamAway:
    absences = [Absence(f"U{i}", "Search", start, end) for i, (start, end) in enumerate(periods)]
    return TeamAway("Listings", away_cap=1, absences=absences)


def test_two_visits_on_the_same_working_day_are_two_away_at_once():
    team = away((MONDAY, date(2027, 1, 15)), (date(2027, 1, 11), date(2027, 1, 22)))
    assert team.most_away_at_once(MONDAY) == 2
    assert team.away_on(date(2027, 1, 12)) == 2


def test_visits_meeting_only_on_a_weekend_never_take_two_away_at_once():
    # One ends on a Sunday, the other starts that Saturday: nobody is missed at work then.
    team = away((MONDAY, date(2027, 1, 10)), (date(2027, 1, 9), date(2027, 1, 22)))
    assert team.away_on(date(2027, 1, 9)) == 2
    assert team.most_away_at_once(MONDAY) == 1


def test_a_team_with_nobody_away_has_nobody_away_at_once():
    assert away().most_away_at_once(MONDAY) == 0
