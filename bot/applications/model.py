"""An application's life: the visitor applies, the host lead accepts, the home lead agrees to
the absence, the four people confirm the visit card, and the tour exists.

Every change is compare-and-set on the status in the database, so a double click or a stale
button finds the application already moved on and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.approval.steps import Stage, Wording
from bot.core.calendar import Period
from bot.core.visits import TourStatus


class Status(StrEnum):
    SUBMITTED = "submitted"  # waiting for the host lead
    HOST_ACCEPTED = "host_accepted"  # waiting for the home lead (or organisers)
    HOME_AGREED = "home_agreed"  # waiting for everyone to confirm the visit card
    CONFIRMED = "confirmed"  # the tour exists
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class Role(StrEnum):
    VISITOR = "visitor"
    HOST_LEAD = "host_lead"
    HOME_LEAD = "home_lead"
    ORGANISER = "organiser"
    BUDDY = "buddy"


LIVE = frozenset({Status.SUBMITTED, Status.HOST_ACCEPTED, Status.HOME_AGREED, Status.CONFIRMED})
ENDED = frozenset({Status.DECLINED, Status.WITHDRAWN, Status.CANCELLED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.HOST_ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.HOST_ACCEPTED: frozenset({Status.HOME_AGREED, Status.DECLINED, Status.WITHDRAWN}),
    Status.HOME_AGREED: frozenset({Status.CONFIRMED, Status.WITHDRAWN, Status.CANCELLED}),
    Status.CONFIRMED: frozenset({Status.CANCELLED}),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.CANCELLED: frozenset(),
}

# The decision each state waits for (bot.core.approval.steps decides who may take it).
STAGE_OF: dict[Status, Stage] = {
    Status.SUBMITTED: Stage.HOST,
    Status.HOST_ACCEPTED: Stage.HOME,
}

WAITING_FOR: dict[Status, str] = {
    Status.SUBMITTED: "waiting for the host team lead",
    Status.HOST_ACCEPTED: "waiting for your home team lead",
    Status.HOME_AGREED: "waiting for everyone to confirm the visit card",
    Status.CONFIRMED: "confirmed",
    Status.DECLINED: "declined",
    Status.WITHDRAWN: "withdrawn",
    Status.CANCELLED: "cancelled",
}


# Who may withdraw or cancel a visit.
ENDERS = frozenset({Role.VISITOR, Role.HOST_LEAD, Role.HOME_LEAD, Role.ORGANISER})


class StepNotAllowedError(Exception):
    """A step that is not allowed; `reason` is a sentence fit to show the person who tried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Step:
    """A requested move of one application, as the workflow checks it."""

    current: Status
    target: Status
    actor_roles: frozenset[Role]


def check_step(step: Step) -> None:
    """Raises StepNotAllowedError with a helpful sentence when the step may not happen. Who may
    take a decision is the approval engine's rule (bot.core.approval.steps.why_not_decide)."""
    if step.target not in TRANSITIONS[step.current]:
        raise StepNotAllowedError(already(step.current))
    if step.target in (Status.WITHDRAWN, Status.CANCELLED) and not step.actor_roles & ENDERS:
        raise StepNotAllowedError(
            "Only the visitor, the two team leads or an organiser can do that."
        )


WORDING = Wording(
    already="Nothing changed: this application is already {state}.",
    not_host="Only a lead of the host team can accept or decline this application.",
    not_home="Only a lead of the visitor's home team (or an organiser) can agree to this absence.",
    just_decided="Nothing changed: someone has just decided on this application.",
)


def already(status: Status) -> str:
    return WORDING.already.format(state=WAITING_FOR[status])


@dataclass(frozen=True)
class Applicant:
    """A person with a profile, as applying and the visit card see them."""

    person_id: int
    user_id: str
    home_team_id: int | None
    learning_goal: str
    availability: Period | None  # None: they gave no dates
    learns: tuple[str, ...] = ()
    teaches: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpeningTerms:
    """An opening as applying to it and visiting it read it."""

    opening_id: int
    title: str
    host_team_id: int
    is_open: bool
    open_seats: int
    apply_by: date | None
    window: Period  # earliest start, latest end
    weeks: int
    buddy_id: str | None
    deliverable_expected: bool


@dataclass(frozen=True)
class ApplicationRecord:
    """An application as stored, with its opening and its visitor."""

    id: int
    workspace_id: str
    status: Status
    opening: OpeningTerms
    visitor: Applicant
    motivation: str
    learning_goal: str
    starts_on: date
    ends_on: date
    covering_home_duties: str
    decision_reason: str


@dataclass(frozen=True)
class NewApplication:
    """What applying (or accepting a proposal) stores; it starts submitted."""

    workspace_id: str
    opening_id: int
    person_id: int
    motivation: str
    learning_goal: str
    visit: Period


@dataclass(frozen=True)
class BookedTour:
    """A tour as asking for more time and the "might stay" flag see it."""

    id: int
    workspace_id: str
    application_id: int
    opening_id: int
    opening_title: str
    host_team_id: int
    home_team_id: int | None
    visitor_person_id: int
    visitor_id: str  # the visitor's Slack user id
    buddy_id: str | None
    status: TourStatus
    starts_on: date
    ends_on: date
