"""Who decides, in words: the visitor is told who will, and whoever stands in for a team's lead
is told why they got the request."""

from __future__ import annotations

from bot.core.blocks import escape, user_mention
from bot.core.deciders import Deciders, StandIn


def who_decides(deciders: Deciders, team_name: str | None) -> str:
    """For the visitor: whose decision they wait for, and why when it is not simply the lead."""
    people = ", ".join(map(user_mention, deciders.people)) or "an organiser"
    team = escape(team_name or "")
    why = {
        StandIn.NONE: "",
        StandIn.OTHER_LEADS: f" (you lead {team} too, and nobody decides on their own visit)",
        StandIn.VISITOR_ONLY_LEAD: (
            f" (an organiser: you are {team}'s only lead, and nobody decides on their own visit)"
        ),
        StandIn.NO_LEAD: f" (an organiser: {team} has no lead listed)",
        StandIn.NO_TEAM: " (an organiser: you have not chosen a home team in your profile)",
    }[deciders.stand_in]
    return people + why


def stand_in_note(deciders: Deciders, team_name: str | None, visitor_id: str) -> str | None:
    """For whoever decides in a lead's place: why they got this request (None for the leads)."""
    team, visitor = escape(team_name or ""), user_mention(visitor_id)
    return {
        StandIn.NONE: None,
        StandIn.OTHER_LEADS: (
            f"You get this because {visitor} also leads {team}, and nobody decides on their "
            "own visit."
        ),
        StandIn.VISITOR_ONLY_LEAD: (
            f"You get this as an organiser because {visitor} is {team}'s only lead, and nobody "
            "decides on their own visit."
        ),
        StandIn.NO_LEAD: (
            f"You get this as an organiser because {team} has no lead listed in the team directory."
        ),
        StandIn.NO_TEAM: (
            "You get this as an organiser because the visitor has not chosen a home team in "
            "their profile."
        ),
    }[deciders.stand_in]
