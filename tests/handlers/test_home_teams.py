"""A lead's App Home through signed HTTP: her team's people away on visits against its cap, with
their latest check-in, and the visitors her team hosts against its limits."""

from __future__ import annotations

from datetime import date

import pytest

from storage.models import CheckinAnswer
from tests.conftest import NOW, RunningBot
from tests.handlers.test_home import open_home, text_of
from tests.support.seed import seed_opening, seed_person, seed_team, seed_tour, team_row

HOME_LEAD, HOST_LEAD, AWAY, COMING, BACK, GONE = (
    "U0HOMELEAD",
    "U0HOSTLEAD",
    "U0AWAY",
    "U0COMING",
    "U0BACK",
    "U0GONE",
)


@pytest.fixture
def programme(bot: RunningBot) -> None:
    """Today is Mon 23 Nov 2026. Two of Listings are away or booked (its cap is 1); Payments
    (at most 2 visitors a quarter) hosts them and has hosted two more this year."""
    with bot.deps.uow() as uow:
        home = seed_team(uow, "Listings <Web>", leads=(HOME_LEAD,), away_cap=1)
        host = seed_team(uow, "Payments", leads=(HOST_LEAD,), visitors_per_quarter=2)
        opening = seed_opening(
            uow, host, "Ledger", earliest_start=date(2026, 1, 5), latest_end=date(2027, 3, 1)
        )
        visits = [
            (AWAY, date(2026, 11, 16), date(2026, 12, 11), "active"),
            (COMING, date(2026, 11, 30), date(2026, 12, 24), "scheduled"),
            (BACK, date(2026, 10, 19), date(2026, 11, 13), "completed"),
            (GONE, date(2026, 12, 7), date(2027, 1, 1), "cancelled"),
            ("U0MARCH", date(2026, 3, 2), date(2026, 3, 27), "completed"),
        ]
        tours = {
            user: seed_tour(
                uow,
                seed_person(uow, user, home_team_id=home.id),
                opening,
                starts_on=starts,
                ends_on=ends,
                status=status,
            )
            for user, starts, ends, status in visits
        }
        for week, mood, pulled in [(1, "going_well", "never"), (2, "so_so", "often")]:
            uow.session.add(
                CheckinAnswer(
                    workspace_id="T0TEST",
                    tour_id=tours[AWAY].id,
                    week=week,
                    mood=mood,
                    meetings_share="half",
                    pulled_back=pulled,
                    answered_by=AWAY,
                    answered_at=NOW,
                )
            )
        uow.commit()


def test_the_home_lead_sees_who_is_away_against_the_cap_and_how_it_goes(bot, programme):
    text = text_of(open_home(bot, HOME_LEAD))
    assert "*Away from Listings &lt;Web&gt;*: 1 today (the team allows 1 at once)" in text
    assert ":warning: 2 will be away at once, over the cap of 1." in text
    assert (
        f"<@{AWAY}> at *Payments*, until 11 Dec · week 2: *a so-so week*, "
        "*pulled back often by your team*"
    ) in text
    assert f"<@{COMING}> at *Payments*, 30 Nov – 24 Dec · no check-in yet" in text
    assert BACK not in text and GONE not in text  # back home, or never going


def test_the_host_lead_sees_visitors_hosted_against_the_limits(bot, programme):
    text = text_of(open_home(bot, HOST_LEAD))
    # This quarter: AWAY, COMING and BACK started (GONE was cancelled); this year also March.
    assert (
        "*Hosting at Payments*: 3 visitors of 2 :warning: over the limit this quarter · "
        "4 visitors of 8 this year"
    ) in text
    assert "Nobody from *Payments* is away on a visit, now or booked." in text
    assert "Away from Listings" not in text


def test_a_host_nearing_its_limits_is_warned_and_one_without_limits_is_not(bot, programme):
    with bot.deps.uow() as uow:
        team_row(uow, "Payments").visitors_per_quarter = 4
        uow.commit()
    assert (
        "*Hosting at Payments*: 3 visitors of 4 :warning: close to the limit this quarter · "
        "4 visitors of 16 this year"
    ) in text_of(open_home(bot, HOST_LEAD))
    with bot.deps.uow() as uow:
        team_row(uow, "Payments").visitors_per_quarter = None
        uow.commit()
    bot.requests.event({"type": "app_home_opened", "user": HOST_LEAD, "tab": "home"})
    again = bot.slack.wait_for("views.publish", count=2)[-1].params["view"]
    assert (
        "*Hosting at Payments* (no limit set): 3 visitors this quarter · 4 visitors this year"
    ) in text_of(again)


def test_a_visitor_sees_neither(bot, programme):
    text = text_of(open_home(bot, AWAY))
    assert "Hosting at" not in text and "Away from" not in text
