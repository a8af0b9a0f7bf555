"""Who decides a step of someone's visit (or extension): one rule for every step.

A team's leads decide for their team, but nobody decides on their own visit: when the visitor
leads the team too, its other leads decide; when nobody else leads it, the organisers do (and
never the visitor, even when the visitor is an organiser). Whoever stands in is told why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    """The two decisions of a request, in order."""

    HOST = "host"  # the host team's leads (or whoever stands in for them)
    HOME = "home"  # the visitor's home team's leads, or any organiser


class StandIn(StrEnum):
    """Why someone other than the team's own leads decides."""

    NONE = "none"  # the team's leads decide
    OTHER_LEADS = "other_leads"  # the visitor leads the team too: its other leads decide
    VISITOR_ONLY_LEAD = "visitor_only_lead"  # the visitor is its only lead: organisers decide
    NO_LEAD = "no_lead"  # the team has no lead listed: organisers decide
    NO_TEAM = "no_team"  # the visitor has no home team: organisers decide


@dataclass(frozen=True)
class Deciders:
    people: tuple[str, ...]
    stand_in: StandIn

    @property
    def organisers(self) -> bool:
        """The organisers decide, not a lead of the team."""
        return self.stand_in in (StandIn.VISITOR_ONLY_LEAD, StandIn.NO_LEAD, StandIn.NO_TEAM)


def deciders(
    *, visitor: str, leads: Sequence[str], organisers: Sequence[str], has_team: bool = True
) -> Deciders:
    """Who decides for a team on `visitor`'s visit, and why when it is not simply its leads."""
    others = tuple(lead for lead in leads if lead != visitor)
    if others:
        stand_in = StandIn.OTHER_LEADS if len(others) < len(leads) else StandIn.NONE
        return Deciders(others, stand_in)
    if not has_team:
        stand_in = StandIn.NO_TEAM
    else:
        stand_in = StandIn.VISITOR_ONLY_LEAD if leads else StandIn.NO_LEAD
    return Deciders(tuple(o for o in sorted(organisers) if o != visitor), stand_in)


OWN_VISIT = "Nobody decides on their own visit: another lead of that team (or an organiser) does."


class TwoTeams:
    """The host and home deciders of a visit snapshot (a dataclass with these fields)."""

    visitor_id: str
    host_lead_ids: tuple[str, ...]
    home_team_name: str | None
    home_lead_ids: tuple[str, ...]
    organiser_ids: tuple[str, ...]

    @property
    def host(self) -> Deciders:
        return deciders(
            visitor=self.visitor_id, leads=self.host_lead_ids, organisers=self.organiser_ids
        )

    @property
    def home(self) -> Deciders:
        return deciders(
            visitor=self.visitor_id,
            leads=self.home_lead_ids,
            organisers=self.organiser_ids,
            has_team=self.home_team_name is not None,
        )

    @property
    def host_deciders(self) -> tuple[str, ...]:
        return self.host.people

    @property
    def home_deciders(self) -> tuple[str, ...]:
        return self.home.people

    @property
    def organisers_decide_for_home(self) -> bool:
        return self.home.organisers

    def deciding(self, stage: Stage) -> tuple[str, ...]:
        """Who may take `stage`'s decision: any organiser may stand in for the home team."""
        if stage is Stage.HOST:
            return self.host_deciders
        return tuple(dict.fromkeys((*self.home_deciders, *self.organiser_ids)))
