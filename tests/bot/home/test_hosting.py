"""How a team's hosting stands against its limits, and which quarter a day is in."""

from datetime import date

import pytest

from bot.home.model import HostingLoad, hosting_load, quarter_around


@pytest.mark.parametrize(
    ("hosted", "limit", "load"),
    [
        (0, None, HostingLoad.ROOM),
        (5, 8, HostingLoad.ROOM),
        (6, 8, HostingLoad.APPROACHING),
        (7, 8, HostingLoad.APPROACHING),
        (0, 1, HostingLoad.ROOM),
        (1, 2, HostingLoad.APPROACHING),
        (0, 2, HostingLoad.ROOM),
        (2, 2, HostingLoad.AT_LIMIT),
        (3, 2, HostingLoad.OVER),
    ],
)
def test_a_team_approaching_its_limit_is_warned(hosted, limit, load):
    assert hosting_load(hosted, limit) is load


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2026, 11, 23), (date(2026, 10, 1), date(2027, 1, 1))),
        (date(2026, 1, 1), (date(2026, 1, 1), date(2026, 4, 1))),
        (date(2026, 6, 30), (date(2026, 4, 1), date(2026, 7, 1))),
    ],
)
def test_the_quarter_around_a_day(day, quarter):
    assert quarter_around(day) == quarter
