"""The two decisions of a request: the host team's leads decide first, then the visitor's home
team's leads (or any organiser), who give up the visitor's output for those weeks.

Who decides is worked out from the acting user's id (the payload's user), never from a button's
value, and nobody decides on their own visit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from bot.core.approval.deciders import OWN_VISIT, Stage
from bot.core.visit_rules import AbsenceCheck, absence_warnings

__all__ = [
    "Request",
    "Stage",
    "StepOutcome",
    "Wording",
    "reason_needed",
    "say_why_anyway",
    "why_not_decide",
]

Kind = TypeVar("Kind", bound=StrEnum)


@dataclass(frozen=True)
class StepOutcome(Generic[Kind]):
    """How a step of a request ends: whom to tell what and which requests it answered, or a
    refusal in words fit to show the person who tried, or inline errors for its modal. Each kind
    of request adds the request as everyone involved now sees it."""

    refusal: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    notices: tuple[tuple[Kind, str], ...] = ()  # (kind, user id)
    settled: tuple[Kind, ...] = ()
    actor: str = ""

    @property
    def ok(self) -> bool:
        return self.refusal is None and not self.errors


class Request(Protocol):
    """A request as the engine checks it: who asks, whose decision it waits for, and who decides."""

    @property
    def visitor_id(self) -> str: ...

    @property
    def waiting(self) -> Stage | None:
        """The decision the request waits for; None once both are taken (or it ended)."""

    @property
    def state(self) -> str:
        """Where the request stands, in words ("waiting for the host team lead")."""

    @property
    def host_warnings(self) -> tuple[str, ...]:
        """The host team's soft rules the request breaks."""

    @property
    def absence(self) -> AbsenceCheck | None:
        """The home team's cost of the visitor's absence (None without a home team)."""

    def deciding(self, stage: Stage) -> tuple[str, ...]:
        """Who may take `stage`'s decision."""


@dataclass(frozen=True)
class Wording:
    """How one kind of request words the engine's refusals."""

    already: str  # a template with {state}: the request has moved on
    not_host: str  # someone else than the host team's deciders tried the host decision
    not_home: str  # someone else than the home team's deciders or organisers tried the home one
    just_decided: str  # someone decided between our read and our write


def why_not_decide(request: Request, actor: str, stage: Stage, wording: Wording) -> str | None:
    """Why `actor` may not take `stage`'s decision on `request` now (a sentence), or None."""
    if request.waiting is not stage:
        return wording.already.format(state=request.state)
    if actor == request.visitor_id:
        return OWN_VISIT
    if actor not in request.deciding(stage):
        return wording.not_host if stage is Stage.HOST else wording.not_home
    return None


def say_why_anyway(warnings: tuple[str, ...]) -> str:
    """What a decider agreeing past soft rules is asked (a modal hint or an inline error)."""
    return "Say why it is fine anyway: " + " and ".join(warnings) + "."


def reason_needed(request: Request, stage: Stage, override_reason: str) -> dict[str, str]:
    """Agreeing to a request that breaks the deciding team's soft rules (the host's limits and
    blackouts, the home team's cap and blackouts) takes a reason: the inline error asking for
    it, or nothing."""
    if stage is Stage.HOST:
        broken = request.host_warnings
    else:
        broken = absence_warnings(request.absence) if request.absence is not None else ()
    if broken and not override_reason:
        return {"override_reason": say_why_anyway(broken)}
    return {}
