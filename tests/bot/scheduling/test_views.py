from dataclasses import replace
from datetime import date

from bot.scheduling.planning import TourFacts
from bot.scheduling.views import render

FACTS = TourFacts(
    tour_id=7,
    visitor="U0VISITOR",
    buddy="U0BUDDY",
    host_leads=("U0HOSTLEAD",),
    host_team="Streaming",
    host_channel="C0STREAM",
    home_team="Listings",
    home_channel=None,
    opening_title="Kafka internals",
    first_day_kit="",
    work_mode="remote",
    city=None,
    starts_on=date(2027, 1, 4),
    ends_on=date(2027, 1, 29),
)


def kickoff_text(facts: TourFacts) -> str:
    return str(render("kickoff_visitor", facts.payload()).blocks)


def test_the_visitor_is_asked_to_say_hello_in_the_host_teams_channel():
    assert "Say hello in <#C0STREAM> today!" in kickoff_text(FACTS)


def test_without_a_team_channel_the_visitor_greets_their_buddy_instead():
    text = kickoff_text(replace(FACTS, host_channel=None))
    assert "channel" not in text
    assert "Say hello to <@U0BUDDY> today!" in text
