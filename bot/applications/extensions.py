"""Use cases of a visit under way: asking for more time (the host lead agrees, then the home lead
or organisers, like the visit itself) and the private "I might like to stay" flag.

Each step is one unit of work and returns an outcome: the request as everyone involved now sees
it, whom to tell what, or a refusal in words fit to show the person who tried. Who may act is
decided here from the acting user id, never from a button's value; every change of state is
compare-and-set, so double clicks and stale buttons change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot.applications.changes import (
    EXTENSION_STATE,
    MAX_EXTRA_WEEKS,
    PENDING,
    REASON_LIMIT,
    WORDING,
    ExtensionSnapshot,
    ExtensionStatus,
    extra_period,
    is_running,
    validate_extension,
    weeks_on_offer,
)
from bot.applications.model import BookedTour
from bot.applications.ports import (
    Extension,
    ExtensionSteps,
    KeepsRequests,
    ReadsExtensions,
    ReadsRequests,
)
from bot.applications.service import (
    Context,
    TourHook,
    home_absence,
    host_calendar,
    no_tour_hook,
    teams_of,
)
from bot.core.approval import requests
from bot.core.approval.requests import SentRequest
from bot.core.approval.steps import Stage, StepOutcome, reason_needed, why_not_decide
from bot.core.visit_rules import host_warnings
from bot.core.visits import LIVE_TOUR_STATUSES
from bot.core.words import counted
from bot.scheduling.model import TourRef


class ExtensionNotice(StrEnum):
    """What a person is told; bot/views/extensions.py renders each kind."""

    REQUESTED = "ext_requested"  # to the visitor
    HOST_REQUEST = "ext_host"  # to each host lead (or organiser): Agree / Decline
    HOME_REQUEST = "ext_home"  # to each home lead (or organiser): Agree / Decline
    AGREED = "ext_agreed"  # to the visitor and both teams' leads
    DECLINED = "ext_declined"  # to the visitor


EXTENSION_REQUESTS = (ExtensionNotice.HOST_REQUEST, ExtensionNotice.HOME_REQUEST)

# Requests settled (and so updated in place) by each step.
SETTLES: dict[ExtensionStatus, tuple[ExtensionNotice, ...]] = {
    ExtensionStatus.HOST_AGREED: (ExtensionNotice.HOST_REQUEST,),
    ExtensionStatus.AGREED: (ExtensionNotice.HOME_REQUEST,),
    ExtensionStatus.DECLINED: EXTENSION_REQUESTS,
}


@dataclass(frozen=True)
class ExtensionOutcome(StepOutcome[ExtensionNotice]):
    extension: ExtensionSnapshot | None = None


def refused(reason: str) -> ExtensionOutcome:
    return ExtensionOutcome(refusal=reason)


@dataclass(frozen=True)
class ExtensionForm:
    """What the modal asking for more time opens with."""

    tour_id: int
    opening_title: str
    host_team_name: str
    ends_on: date
    on_offer: tuple[int, ...]


@dataclass(frozen=True)
class ExtensionInput:
    weeks: int | None
    reason: str


# --- finding the visit --------------------------------------------------------------------------


def _tours_of_actor(uow: ReadsExtensions, ctx: Context) -> list[BookedTour]:
    tours = uow.tours.booked_by(ctx.workspace_id, ctx.actor)
    return [tour for tour in tours if tour.status in LIVE_TOUR_STATUSES]


def _visitors_tour(
    uow: ReadsExtensions, ctx: Context, tour_id: int, *, lock: bool = True
) -> BookedTour | ExtensionOutcome:
    """The tour (locked unless only looked at) if it is on and the acting user is its visitor."""
    tour = uow.tours.booked(ctx.workspace_id, tour_id, lock=lock)
    if tour is None or tour.status not in LIVE_TOUR_STATUSES:
        return refused("That visit is no longer on.")
    if tour.visitor_id != ctx.actor:
        return refused(
            "Only the visitor can do that for their visit; if you think they should, tell them."
        )
    return tour


@dataclass(frozen=True)
class _Eligible:
    tour: BookedTour
    on_offer: tuple[int, ...]


def _eligible(
    uow: ReadsExtensions, ctx: Context, tour_id: int | None, *, lock: bool = True
) -> _Eligible | ExtensionOutcome:
    """The visitor's running tour and the extensions still on offer, or why none."""
    if tour_id is None:
        running = [
            tour
            for tour in _tours_of_actor(uow, ctx)
            if is_running(tour.starts_on, tour.ends_on, ctx.today)
        ]
        if not running:
            return refused(
                "You can ask for more time while your visit is under way, and you have no "
                "visit running today. `/tourism status` shows your visits."
            )
        tour_id = running[0].id
    tour = _visitors_tour(uow, ctx, tour_id, lock=lock)
    if isinstance(tour, ExtensionOutcome):
        return tour
    extensions = uow.extensions.of_tour(tour.id)
    refusal = _why_not_extend(ctx, tour, extensions)
    if refusal is not None:
        return refused(refusal)
    return _Eligible(tour, weeks_on_offer(_agreed_weeks(extensions)))


def _agreed_weeks(extensions: list[Extension]) -> int:
    return sum(e.weeks for e in extensions if e.status is ExtensionStatus.AGREED)


def _why_not_extend(ctx: Context, tour: BookedTour, extensions: list[Extension]) -> str | None:
    if ctx.today < tour.starts_on:
        return (
            "Your visit has not started yet: ask for more time once it is under way, or change "
            "its dates with the Change dates button on the visit card."
        )
    if ctx.today > tour.ends_on:
        return "Your visit has ended, so it can no longer be extended."
    pending = next((e for e in extensions if e.status in PENDING), None)
    if pending is not None:
        state = EXTENSION_STATE[pending.status]
        return f"You have already asked for {_weeks(pending.weeks)} more: that request is {state}."
    if not weeks_on_offer(_agreed_weeks(extensions)):
        return f"Your visit has already grown by {MAX_EXTRA_WEEKS} weeks, the most it can."
    return None


def _weeks(weeks: int) -> str:
    return counted(weeks, "week")


# --- reading ------------------------------------------------------------------------------------


def snapshot(
    uow: ReadsExtensions, ctx: Context, extension: Extension, tour: BookedTour
) -> ExtensionSnapshot:
    status = extension.status
    host, home = teams_of(uow, ctx.workspace_id, tour.host_team_id, tour.home_team_id)
    # Once agreed the tour already ends later; the request is about the end before it.
    agreed = status is ExtensionStatus.AGREED
    ends_before = tour.ends_on - timedelta(weeks=extension.weeks) if agreed else tour.ends_on
    absence = None
    # Also once answered: the request is re-rendered then and keeps the cap it was decided
    # against (None would read as "no home team").
    if home is not None:
        absence = home_absence(
            uow, home, tour.visitor_person_id, extra_period(ends_before, extension.weeks)
        )
    warnings: tuple[str, ...] = ()
    if status is ExtensionStatus.SUBMITTED:
        # More weeks bring no new visitor, so only the host's blackouts and rest days apply.
        host_rules = replace(
            host_calendar(uow, host, tour.application_id), visitors_per_quarter=None
        )
        warnings = host_warnings(extra_period(ends_before, extension.weeks), host_rules)
    return ExtensionSnapshot(
        extension_id=extension.id,
        tour_id=tour.id,
        application_id=tour.application_id,
        status=status,
        weeks=extension.weeks,
        reason=extension.reason,
        decision_reason=extension.decision_reason,
        visitor_id=tour.visitor_id,
        opening_title=tour.opening_title,
        host_team_name=host.name,
        host_lead_ids=host.lead_ids,
        home_team_name=home.name if home is not None else None,
        home_lead_ids=home.lead_ids if home is not None else (),
        organiser_ids=tuple(sorted(ctx.organisers)),
        starts_on=tour.starts_on,
        ends_before=ends_before,
        absence=absence,
        host_warnings=warnings,
    )


# --- asking -------------------------------------------------------------------------------------


def extension_form(
    uow: ReadsExtensions, ctx: Context, tour_id: int | None
) -> ExtensionForm | ExtensionOutcome:
    """What to ask the visitor; `tour_id` None means their visit running today. Only reads:
    the request itself checks again, locked."""
    eligible = _eligible(uow, ctx, tour_id, lock=False)
    if isinstance(eligible, ExtensionOutcome):
        return eligible
    tour = eligible.tour
    host, _ = teams_of(uow, ctx.workspace_id, tour.host_team_id, None)
    return ExtensionForm(
        tour_id=tour.id,
        opening_title=tour.opening_title,
        host_team_name=host.name,
        ends_on=tour.ends_on,
        on_offer=eligible.on_offer,
    )


def request_extension(
    uow: ExtensionSteps, ctx: Context, tour_id: int, form: ExtensionInput
) -> ExtensionOutcome:
    eligible = _eligible(uow, ctx, tour_id)
    if isinstance(eligible, ExtensionOutcome):
        return eligible
    errors = validate_extension(form.weeks, form.reason, eligible.on_offer)
    if errors:
        return ExtensionOutcome(errors=errors)
    assert form.weeks is not None
    tour = eligible.tour
    extension = uow.extensions.request(ctx.workspace_id, tour.id, form.weeks, form.reason, ctx.now)
    ctx.audit(
        uow,
        action="extension_requested",
        subject=f"tour:{tour.id}",
        detail={"extension": str(extension.id), "weeks": str(form.weeks)},
    )
    uow.commit()
    view = snapshot(uow, ctx, extension, tour)
    notices = [(ExtensionNotice.REQUESTED, view.visitor_id)]
    notices += [(ExtensionNotice.HOST_REQUEST, person) for person in view.host_deciders]
    return ExtensionOutcome(extension=view, notices=tuple(notices), actor=ctx.actor)


# --- deciding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Loaded:
    extension: Extension
    tour: BookedTour
    view: ExtensionSnapshot


def _load(
    uow: ReadsExtensions, ctx: Context, extension_id: int, *, lock: bool = True
) -> _Loaded | ExtensionOutcome:
    extension = uow.extensions.get(ctx.workspace_id, extension_id)
    if extension is None:
        return refused("That request for more time no longer exists.")
    # Locked: the two steps of one request (and two leads clicking at once) take turns.
    tour = uow.tours.booked(ctx.workspace_id, extension.tour_id, lock=lock)
    if tour is None or tour.status not in LIVE_TOUR_STATUSES:
        return refused("That visit is no longer on, so there is nothing to extend.")
    return _Loaded(extension, tour, snapshot(uow, ctx, extension, tour))


def prepare_decision(
    uow: ReadsExtensions, ctx: Context, extension_id: int, stage: Stage
) -> ExtensionSnapshot | ExtensionOutcome:
    """Before opening a modal for a decision: the request, or why this person may not decide.
    Only reads: the decision itself checks again, locked."""
    loaded = _deciding(uow, ctx, extension_id, stage, lock=False)
    return loaded if isinstance(loaded, ExtensionOutcome) else loaded.view


def _deciding(
    uow: ReadsExtensions, ctx: Context, extension_id: int, stage: Stage, *, lock: bool = True
) -> _Loaded | ExtensionOutcome:
    """The request, if the acting person may take `stage`'s decision on it now."""
    loaded = _load(uow, ctx, extension_id, lock=lock)
    if isinstance(loaded, ExtensionOutcome):
        return loaded
    not_yours = why_not_decide(loaded.view, ctx.actor, stage, WORDING)
    return refused(not_yours) if not_yours is not None else loaded


def _move(
    uow: ExtensionSteps,
    ctx: Context,
    loaded: _Loaded,
    target: ExtensionStatus,
    decision_reason: str | None = None,
) -> _Loaded | None:
    """The request moved to `target` (with the reason of its decision, if given), or None when
    someone has just decided on it."""
    reason = None if decision_reason is None else decision_reason[:REASON_LIMIT]
    moved = uow.extensions.move(loaded.extension.id, loaded.view.status, target, reason)
    if moved is None:
        return None
    given = {} if reason is None else {"decision_reason": reason}
    detail = {"extension": str(moved.id), **given}
    ctx.audit(uow, action=f"extension_{target}", subject=f"tour:{loaded.tour.id}", detail=detail)
    return replace(loaded, extension=moved)


def _done(
    uow: ExtensionSteps, ctx: Context, loaded: _Loaded, notices: list[tuple[ExtensionNotice, str]]
) -> ExtensionOutcome:
    uow.commit()
    view = snapshot(uow, ctx, loaded.extension, loaded.tour)
    return ExtensionOutcome(
        extension=view,
        notices=tuple(notices),
        settled=SETTLES.get(view.status, ()),
        actor=ctx.actor,
    )


def host_decides(
    uow: ExtensionSteps,
    ctx: Context,
    extension_id: int,
    *,
    agree: bool,
    reason: str = "",
    override_reason: str = "",
) -> ExtensionOutcome:
    loaded = _deciding(uow, ctx, extension_id, Stage.HOST)
    if isinstance(loaded, ExtensionOutcome):
        return loaded
    view = loaded.view
    if agree and (errors := reason_needed(view, Stage.HOST, override_reason)):
        return ExtensionOutcome(errors=errors)
    if agree:
        moved = _move(uow, ctx, loaded, ExtensionStatus.HOST_AGREED)
        if moved is not None and override_reason:
            ctx.audit(
                uow,
                action="extension_host_override",
                subject=f"tour:{loaded.tour.id}",
                detail={"reason": override_reason[:REASON_LIMIT]},
            )
        notices = [(ExtensionNotice.HOME_REQUEST, person) for person in view.home_deciders]
    else:
        moved = _move(uow, ctx, loaded, ExtensionStatus.DECLINED, reason)
        notices = [(ExtensionNotice.DECLINED, view.visitor_id)]
    return _done(uow, ctx, moved, notices) if moved else refused(WORDING.just_decided)


def home_decides(
    uow: ExtensionSteps,
    ctx: Context,
    extension_id: int,
    *,
    agree: bool,
    override_reason: str = "",
    reason: str = "",
    on_tour: TourHook = no_tour_hook,
) -> ExtensionOutcome:
    """The home side's answer; agreeing moves the tour's (and application's) last day and the
    scheduler re-plans the visit's messages in the same transaction."""
    loaded = _deciding(uow, ctx, extension_id, Stage.HOME)
    if isinstance(loaded, ExtensionOutcome):
        return loaded
    view = loaded.view
    if not agree:
        moved = _move(uow, ctx, loaded, ExtensionStatus.DECLINED, reason)
        notices = [(ExtensionNotice.DECLINED, view.visitor_id)]
        return _done(uow, ctx, moved, notices) if moved else refused(WORDING.just_decided)
    return _home_agrees(uow, ctx, loaded, override_reason, on_tour)


def _home_agrees(
    uow: ExtensionSteps, ctx: Context, loaded: _Loaded, override_reason: str, on_tour: TourHook
) -> ExtensionOutcome:
    view = loaded.view
    if errors := reason_needed(view, Stage.HOME, override_reason):
        return ExtensionOutcome(errors=errors)
    moved = _move(uow, ctx, loaded, ExtensionStatus.AGREED, override_reason)
    if moved is None:
        return refused(WORDING.just_decided)
    if not uow.extensions.extend_tour(loaded.tour, view.ends_before, view.new_end):
        # Nothing is committed: the request stays where it was.
        return refused("Nothing changed: the visit's dates have just changed. Please try again.")
    extended = replace(moved, tour=replace(moved.tour, ends_on=view.new_end))
    on_tour(uow, TourRef(extended.tour.workspace_id, extended.tour.id))
    # The buddy plans the extra weeks with the visitor, so they hear of them too.
    buddy = (extended.tour.buddy_id,) if extended.tour.buddy_id else ()
    people = dict.fromkeys((view.visitor_id, *view.leads(), *buddy))
    return _done(uow, ctx, extended, [(ExtensionNotice.AGREED, person) for person in people])


# --- messages that asked for a decision -------------------------------------------------------


def _purposes(view: ExtensionSnapshot) -> requests.Purpose[ExtensionNotice]:
    # Kept with the visit's application's decision messages, told apart by the request's id.
    return lambda kind: f"{kind.value}:{view.extension_id}"


def remember_requests(
    uow: KeepsRequests,
    ctx: Context,
    view: ExtensionSnapshot,
    sent: list[SentRequest[ExtensionNotice]],
) -> None:
    """Keeps where each request went, so that answering one updates every copy."""
    requests.remember(
        uow.applications,
        ctx.workspace_id,
        view.application_id,
        sent,
        purpose=_purposes(view),
        now=ctx.now,
    )
    uow.commit()


def settled_requests(
    uow: ReadsRequests, view: ExtensionSnapshot, kinds: tuple[ExtensionNotice, ...]
) -> list[SentRequest[ExtensionNotice]]:
    return requests.answered(uow.applications, view.application_id, kinds, _purposes(view))


# --- "I might like to stay" -------------------------------------------------------------------


@dataclass(frozen=True)
class StayOutcome:
    refusal: str | None = None
    might_stay: bool = False
    visitor_id: str = ""
    opening_title: str = ""
    host_team_name: str = ""
    leads: tuple[str, ...] = ()  # the two teams' leads: the only people told


def set_might_stay(
    uow: ExtensionSteps, ctx: Context, tour_id: int | None, *, might_stay: bool
) -> StayOutcome:
    """Sets or clears the visitor's private flag on a booked or running visit (`tour_id` None:
    their current or next one). Only the two teams' leads hear of it."""
    if tour_id is None:
        coming = [tour for tour in _tours_of_actor(uow, ctx) if tour.ends_on >= ctx.today]
        if not coming:
            return StayOutcome(refusal="You have no visit booked or under way.")
        tour_id = coming[0].id
    tour = _visitors_tour(uow, ctx, tour_id)
    if isinstance(tour, ExtensionOutcome):
        return StayOutcome(refusal=tour.refusal)
    if tour.ends_on < ctx.today:
        return StayOutcome(refusal="That visit has ended.")
    if not uow.extensions.flag_might_stay(tour.id, might_stay):
        return StayOutcome(
            refusal="Nothing changed: the leads already know you might like to stay."
            if might_stay
            else "Nothing changed: you had not said you might like to stay."
        )
    ctx.audit(
        uow,
        action="tour_might_stay" if might_stay else "tour_might_stay_withdrawn",
        subject=f"tour:{tour.id}",
    )
    uow.commit()
    host, home = teams_of(uow, ctx.workspace_id, tour.host_team_id, tour.home_team_id)
    leads = dict.fromkeys((*host.lead_ids, *(home.lead_ids if home is not None else ())))
    leads.pop(ctx.actor, None)
    return StayOutcome(
        might_stay=might_stay,
        visitor_id=ctx.actor,
        opening_title=tour.opening_title,
        host_team_name=host.name,
        leads=tuple(leads),
    )
