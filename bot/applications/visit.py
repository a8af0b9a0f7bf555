"""What everyone involved in one visit sees: a snapshot the views render, free of storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.applications.model import STAGE_OF, WAITING_FOR, Role, Status
from bot.core.approval.deciders import Stage, TwoTeams
from bot.core.visit_rules import AbsenceCheck, absence_warnings


@dataclass(frozen=True)
class VisitSnapshot(TwoTeams):
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
    host_warnings: tuple[str, ...] = ()  # the host's soft rules the dates break (while it decides)
    visitor_learns: tuple[str, ...] = ()
    visitor_teaches: tuple[str, ...] = ()
    fit: str = ""  # the matcher's explanation of why visitor and opening fit, when known

    @property
    def waiting(self) -> Stage | None:
        return STAGE_OF.get(self.status)

    @property
    def state(self) -> str:
        return WAITING_FOR[self.status]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every soft rule the dates break that is still to be decided on, both teams'."""
        home = absence_warnings(self.absence) if self.absence is not None else ()
        return (*self.host_warnings, *home)

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
    """The visitor is only ever the visitor in their own visit, whatever else they lead."""
    if user_id == visit.visitor_id:
        return frozenset({Role.VISITOR})
    roles = {role for role, people in visit.card_roles().items() if user_id in people}
    if user_id in visit.organiser_ids:
        roles.add(Role.ORGANISER)
    return frozenset(roles)
