"""The matcher's week masks are a compiled form of the rules in bot/core/visit_rules.py: for every
pair and every start week inside both windows, the index allows the start exactly when the plain
rules do (both teams' blackouts, the host's visitors per quarter and rest days)."""

import numpy as np
from hypothesis import given, settings

from bot.core.calendar import Period
from bot.core.visit_rules import HostCalendar, fits, visit_period
from bot.matching import MatchIndex
from bot.matching.calendar import bits, monday
from tests.bot.matching.builders import organisations
from tests.bot.matching.test_round_host_limits import crowded_hosts


def host_calendar(organisation, team) -> HostCalendar:
    return HostCalendar(
        blackouts=tuple(Period(first, last) for first, last in team.blackouts),
        visitors_per_quarter=team.visitors_per_quarter,
        rest_days=team.rest_days,
        hosted=tuple(
            Period(t.start, t.end) for t in organisation.tours if t.host_team_id == team.id
        ),
    )


@settings(max_examples=100, deadline=None)
@given(organisation=organisations() | crowded_hosts())
def test_the_index_allows_a_start_exactly_when_the_plain_rules_do(organisation):
    index = MatchIndex(organisation)
    teams = {t.id: t for t in organisation.teams}
    for v, visitor in enumerate(organisation.visitors):
        home = teams.get(visitor.home_team_id)
        home_blackouts = [Period(*b) for b in home.blackouts] if home else []
        for o, opening in enumerate(organisation.openings):
            host = host_calendar(organisation, teams[opening.host_team_id])
            window = int(index.window_masks(np.array(v), np.array(o)))
            compiled = int(index.start_masks(np.array(v), np.array(o)))
            for week in bits(window):
                visit = visit_period(monday(index.base_week + week), opening.weeks)
                assert bool(compiled >> week & 1) == fits(visit, host, home_blackouts), (
                    visitor.id,
                    opening.id,
                    visit,
                )
