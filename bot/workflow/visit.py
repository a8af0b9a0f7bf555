"""What everyone involved in one visit sees: a snapshot the views render, free of storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.workflow.applications import Role, Status
from bot.workflow.calendar import AbsenceCheck


@dataclass(frozen=True)
class VisitSnapshot:
    application_id: int
    status: Status
    visitor_id: str
    motivation: str
    learning_goal: str
    opening_id: int
    opening_title: str
    host_team_name: str
    host_lead_ids: tuple[str, ...]
    home_team_name: str | None
    home_lead_ids: tuple[str, ...]
    organiser_ids: tuple[str, ...]
    buddy_id: str | None
    starts_on: date
    ends_on: date
    weeks: int
    deliverable_expected: bool
    covering_home_duties: str
    decision_reason: str
    absence: AbsenceCheck | None = None
    visitor_learns: tuple[str, ...] = ()
    visitor_teaches: tuple[str, ...] = ()
    fit: str = ""  # the matcher's explanation of why visitor and opening fit, when known

    @property
    def host_deciders(self) -> tuple[str, ...]:
        """The host team's leads, or the organisers when the team has none listed."""
        return self.host_lead_ids or self.organiser_ids

    @property
    def home_deciders(self) -> tuple[str, ...]:
        """The home team's leads, or the organisers when the team has none listed."""
        return self.home_lead_ids or self.organiser_ids

    @property
    def organisers_decide_for_home(self) -> bool:
        return not self.home_lead_ids

    def card_roles(self) -> dict[Role, tuple[str, ...]]:
        """Who confirms the visit card, by role: any one person of a role confirms for it."""
        roles: dict[Role, tuple[str, ...]] = {
            Role.VISITOR: (self.visitor_id,),
            Role.HOST_LEAD: self.host_deciders,
            Role.HOME_LEAD: self.home_deciders,
        }
        if self.buddy_id:
            roles[Role.BUDDY] = (self.buddy_id,)
        return roles

    def card_people(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for people in self.card_roles().values() for p in people))


def roles_of(user_id: str, visit: VisitSnapshot) -> frozenset[Role]:
    roles = {role for role, people in visit.card_roles().items() if user_id in people}
    if user_id in visit.organiser_ids:
        roles.add(Role.ORGANISER)
    return frozenset(roles)


def home_team_reason(visit: VisitSnapshot) -> str:
    """Why organisers, not a home lead, decide on the absence."""
    if visit.home_team_name is None:
        return "the visitor has not chosen a home team in their profile"
    return f"{visit.home_team_name} has no lead listed in the team directory"
