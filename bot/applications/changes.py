"""A visit's changes once both teams have agreed: new dates re-open the visit card, more weeks
mid-visit are approved by both leads like the visit itself, and who may ask for either.

Extensions move submitted → host_agreed → agreed (or declined), compare-and-set in the database
like applications, so a double click or a stale button finds the request already decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.applications.model import Role, Status
from bot.applications.visit import VisitSnapshot
from bot.core.approval.deciders import Stage, TwoTeams
from bot.core.approval.steps import Wording
from bot.core.calendar import Period
from bot.core.visit_rules import AbsenceCheck, last_working_day

# --- new dates --------------------------------------------------------------------------------

# The visit card is out (or the visit booked): only then are there dates to change.
RESCHEDULABLE = frozenset({Status.HOME_AGREED, Status.CONFIRMED})
DATE_CHANGERS = frozenset({Role.VISITOR, Role.HOST_LEAD, Role.HOME_LEAD, Role.ORGANISER})
# New dates need the visitor and both leads again; the buddy's confirmation stands.
RECONFIRMING = (Role.VISITOR, Role.HOST_LEAD, Role.HOME_LEAD)


@dataclass(frozen=True)
class RescheduledVisit(VisitSnapshot):
    """A visit whose dates have just changed; `previous` is what they were before."""

    previous: Period | None = None
    warnings: tuple[str, ...] = ()  # the soft rules the new dates break
    override_reason: str = ""  # why the person who changed them finds that fine


def why_not_reschedule(
    status: Status, roles: frozenset[Role], starts_on: date, today: date
) -> str | None:
    """Why these dates may not change now (a sentence for the person who tried), or None."""
    if status not in RESCHEDULABLE:
        if status in (Status.SUBMITTED, Status.HOST_ACCEPTED):
            return (
                "The dates can change once both teams have agreed to the visit; until then, "
                "withdraw and apply again with other dates."
            )
        return f"Nothing changed: this visit is {status.value}."
    if not roles & DATE_CHANGERS:
        return "Only the visitor, the two team leads or an organiser can change the dates."
    if starts_on <= today:
        return (
            "The visit has already started, so its dates stay. To stay longer, ask for more "
            "time with `/tourism extend`."
        )
    return None


# --- more time ----------------------------------------------------------------------------------


class ExtensionStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for the host lead
    HOST_AGREED = "host_agreed"  # waiting for the home lead (or organisers)
    AGREED = "agreed"  # the tour ends later
    DECLINED = "declined"


PENDING = frozenset({ExtensionStatus.SUBMITTED, ExtensionStatus.HOST_AGREED})
EXTENSION_WEEKS = (1, 2)
MAX_EXTRA_WEEKS = 2  # all agreed extensions of one visit together
REASON_LIMIT = 500

# The decision each state waits for (bot.core.approval.steps decides who may take it).
STAGE_OF: dict[ExtensionStatus, Stage] = {
    ExtensionStatus.SUBMITTED: Stage.HOST,
    ExtensionStatus.HOST_AGREED: Stage.HOME,
}

WORDING = Wording(
    already="Nothing changed: this request for more time is {state}.",
    not_host="Only a lead of the host team can agree to or decline more time.",
    not_home=(
        "Only a lead of the visitor's home team (or an organiser) can agree to the longer absence."
    ),
    just_decided="Nothing changed: someone has just decided on this request for more time.",
)

EXTENSION_STATE: dict[ExtensionStatus, str] = {
    ExtensionStatus.SUBMITTED: "waiting for the host team lead",
    ExtensionStatus.HOST_AGREED: "waiting for the home team lead",
    ExtensionStatus.AGREED: "agreed",
    ExtensionStatus.DECLINED: "declined",
}


def is_running(starts_on: date, ends_on: date, today: date) -> bool:
    return starts_on <= today <= ends_on


def extra_period(ends_on: date, weeks: int) -> Period:
    """The days an extension of `weeks` adds after the visit's last day (it still ends on the
    last working day of its last week)."""
    return Period(ends_on + timedelta(days=1), last_working_day(ends_on + timedelta(weeks=weeks)))


def weeks_on_offer(agreed_weeks: int) -> tuple[int, ...]:
    """The extensions still possible after `agreed_weeks` were already agreed."""
    return tuple(weeks for weeks in EXTENSION_WEEKS if agreed_weeks + weeks <= MAX_EXTRA_WEEKS)


def validate_extension(weeks: int | None, reason: str, on_offer: Sequence[int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if weeks not in on_offer:
        choices = " or ".join(str(w) for w in on_offer)
        errors["weeks"] = f"Pick {choices} more week{'s' if on_offer[-1] > 1 else ''}."
    if not reason:
        errors["reason"] = "Say in a sentence why more time would help: both leads will read it."
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = f"Keep it under {REASON_LIMIT} characters."
    return errors


@dataclass(frozen=True)
class ExtensionSnapshot(TwoTeams):
    """A request for more time as everyone involved sees it."""

    extension_id: int
    tour_id: int
    application_id: int  # the visit's: its requests are kept with the application's
    status: ExtensionStatus
    weeks: int
    reason: str
    decision_reason: str
    visitor_id: str
    opening_title: str
    host_team_name: str
    host_lead_ids: tuple[str, ...]
    home_team_name: str | None
    home_lead_ids: tuple[str, ...]
    organiser_ids: tuple[str, ...]
    starts_on: date
    ends_before: date  # the visit's last day before this extension
    absence: AbsenceCheck | None = None  # the home team's cost of the extra weeks
    host_warnings: tuple[str, ...] = ()  # the host's rules the extra weeks break (while it decides)

    @property
    def waiting(self) -> Stage | None:
        return STAGE_OF.get(self.status)

    @property
    def state(self) -> str:
        return EXTENSION_STATE[self.status]

    @property
    def extra(self) -> Period:
        return extra_period(self.ends_before, self.weeks)

    @property
    def new_end(self) -> date:
        return self.extra.end

    def leads(self) -> tuple[str, ...]:
        """Both teams' deciders: who hears the outcome besides the visitor."""
        return tuple(dict.fromkeys((*self.host_deciders, *self.home_deciders)))
