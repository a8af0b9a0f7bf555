"""Use cases of the approval workflow: apply, the host decides, the home team agrees to the
absence, everyone confirms the visit card, the tour exists; and withdrawing or cancelling.

Each function is one workflow step in one unit of work. It returns an Outcome: the visit as
everyone involved now sees it, whom to tell what, or a refusal in words fit to show the person
who tried. Who may act is decided here from the acting user id, never from a button's value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.applications.changes import RECONFIRMING, RescheduledVisit, why_not_reschedule
from bot.applications.model import (
    WORDING,
    Applicant,
    ApplicationRecord,
    NewApplication,
    OpeningTerms,
    Status,
    Step,
    StepNotAllowedError,
    check_step,
)
from bot.applications.ports import (
    ApplicationSteps,
    Audited,
    KeepsRequests,
    PendingDecision,
    PlansNudges,
    ReadsApplications,
    ReadsRequests,
    TeamRules,
)
from bot.applications.visit import VisitSnapshot, roles_of
from bot.core.approval import requests
from bot.core.approval.deciders import deciders
from bot.core.approval.reminders import Nudge, WaitingDecision, nudges_due
from bot.core.approval.requests import SentRequest
from bot.core.approval.steps import (
    Stage,
    StepOutcome,
    reason_needed,
    say_why_anyway,
    why_not_decide,
)
from bot.core.calendar import Period
from bot.core.visit_rules import (
    AbsenceCheck,
    HostCalendar,
    absence_warnings,
    check_absence,
    closed_for_applications,
    host_warnings,
    suggest_start,
    visit_period,
    window_error,
)
from bot.scheduling.model import TourRef
from bot.scheduling.planning import Kind, PlannedMessage
from bot.scheduling.ports import Planning

MOTIVATION_LIMIT = 3000
GOAL_LIMIT = 300
REASON_LIMIT = 500


class Notice(StrEnum):
    """What a person is told; bot/views/applications.py renders each kind."""

    APPLIED = "applied"  # to the visitor
    HOST_REQUEST = "host_request"  # to each host lead: Accept / Decline
    HOME_REQUEST = "home_request"  # to each home lead (or organiser): Agree / Decline
    HOST_ACCEPTED = "host_accepted"  # to the visitor
    DECLINED = "declined"  # to the visitor
    VISIT_CARD = "visit_card"  # to every party: Confirm
    DATES_CHANGED = "dates_changed"  # the card again, to the visitor and both leads: Confirm
    CONFIRMED = "confirmed"  # to every party: the summary
    ENDED = "ended"  # withdrawn or cancelled: to every other party
    SEAT_GONE = "seat_gone"  # the opening filled up before the card was confirmed


CARDS = (Notice.VISIT_CARD, Notice.DATES_CHANGED)

# Messages that asked for a decision, settled (and so updated in place) by each step.
SETTLES: dict[Status, tuple[Notice, ...]] = {
    Status.HOST_ACCEPTED: (Notice.HOST_REQUEST,),
    Status.HOME_AGREED: (Notice.HOME_REQUEST,),
    Status.CONFIRMED: CARDS,
    Status.DECLINED: (Notice.HOST_REQUEST, Notice.HOME_REQUEST),
    Status.WITHDRAWN: (Notice.HOST_REQUEST, Notice.HOME_REQUEST, *CARDS),
    Status.CANCELLED: (Notice.HOST_REQUEST, Notice.HOME_REQUEST, *CARDS),
}


@dataclass(frozen=True)
class Outcome(StepOutcome[Notice]):
    visit: VisitSnapshot | None = None


def refused(reason: str) -> Outcome:
    return Outcome(refusal=reason)


@dataclass(frozen=True)
class ApplyForm:
    """What the apply modal opens with."""

    opening_id: int
    opening_title: str
    host_team_name: str
    window: Period
    weeks: int
    suggested_start: date | None
    learning_goal: str


@dataclass(frozen=True)
class ApplicationInput:
    motivation: str
    learning_goal: str
    starts_on: date | None


@dataclass(frozen=True)
class Context:
    """What every step needs besides the unit of work."""

    workspace_id: str
    actor: str
    now: datetime
    today: date
    organisers: frozenset[str]

    def audit(
        self, uow: Audited, action: str, subject: str = "", detail: dict[str, Any] | None = None
    ) -> None:
        """Records in the audit log that the acting person took this step, now."""
        uow.audit.record(
            self.workspace_id,
            action=action,
            actor_user_id=self.actor,
            now=self.now,
            subject=subject,
            detail=detail,
        )


# Called with (uow, tour) when a tour is created, changed or cancelled: the scheduler plans or
# cancels its messages in the same transaction.
TourHook = Callable[[Planning, TourRef], None]


def no_tour_hook(_uow: Planning, _tour: TourRef) -> None:
    return None


# --- reading ----------------------------------------------------------------------------------


def snapshot(
    uow: ReadsApplications, application: ApplicationRecord, organisers: frozenset[str]
) -> VisitSnapshot:
    opening, person = application.opening, application.visitor
    host, home = teams_of(uow, application.workspace_id, opening.host_team_id, person.home_team_id)
    visit = Period(application.starts_on, application.ends_on)
    # Also once answered: the request is re-rendered then and keeps the cap it was decided
    # against (None would read as "no home team").
    absence = None
    if home is not None:
        absence = home_absence(uow, home, person.person_id, visit)
    warnings: tuple[str, ...] = ()
    if application.status is Status.SUBMITTED:
        warnings = host_warnings(visit, host_calendar(uow, host, application.id))
    return VisitSnapshot(
        application_id=application.id,
        status=application.status,
        visitor_id=person.user_id,
        motivation=application.motivation,
        learning_goal=application.learning_goal,
        opening_id=opening.opening_id,
        opening_title=opening.title,
        host_team_name=host.name,
        host_lead_ids=host.lead_ids,
        home_team_name=home.name if home is not None else None,
        home_lead_ids=home.lead_ids if home is not None else (),
        organiser_ids=tuple(sorted(organisers)),
        buddy_id=opening.buddy_id,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        weeks=opening.weeks,
        deliverable_expected=opening.deliverable_expected,
        covering_home_duties=application.covering_home_duties,
        decision_reason=application.decision_reason,
        absence=absence,
        host_warnings=warnings,
        visitor_learns=person.learns,
        visitor_teaches=person.teaches,
    )


def home_absence(
    uow: ReadsApplications, home: TeamRules, visitor: int, period: Period
) -> AbsenceCheck:
    """The home team's cost of the visitor (a person id) being away for `period`: who else is
    away then against its cap, and its blackouts."""
    absences = uow.tours.absences_from_team(
        home.workspace_id, home.team_id, excluding_person=visitor
    )
    return check_absence(
        period,
        absences=[Period(start, end) for start, end in absences],
        cap=home.away_cap,
        blackouts=home.blackouts,
    )


def host_calendar(
    uow: ReadsApplications, team: TeamRules, excluding_application: int | None = None
) -> HostCalendar:
    """The host team's blackouts, limits and the visits it hosts (but the one being checked)."""
    hosted = uow.tours.hosted_by_team(
        team.workspace_id, team.team_id, excluding_application=excluding_application
    )
    return HostCalendar(
        blackouts=team.blackouts,
        visitors_per_quarter=team.visitors_per_quarter,
        rest_days=team.rest_days,
        hosted=tuple(Period(start, end) for start, end in hosted),
        sprints=team.sprints,
    )


def teams_of(
    uow: ReadsApplications, workspace_id: str, host_team_id: int, home_team_id: int | None
) -> tuple[TeamRules, TeamRules | None]:
    """A visit's host team (an opening always has one) and the visitor's home team, if any."""
    host = uow.applications.team_rules(workspace_id, host_team_id)
    assert host is not None  # an opening's host team is deleted with it
    home = uow.applications.team_rules(workspace_id, home_team_id) if home_team_id else None
    return host, home


# --- applying ---------------------------------------------------------------------------------


def _why_not_apply(
    uow: ReadsApplications, ctx: Context, opening: OpeningTerms | None, person: Applicant | None
) -> str | None:
    if person is None:
        return "First tell us about yourself with `/tourism profile`, then apply again."
    if opening is None:
        return closed_for_applications(is_open=False, seats_left=0, apply_by=None, today=ctx.today)
    closed = closed_for_applications(
        is_open=opening.is_open,
        seats_left=opening.open_seats,
        apply_by=opening.apply_by,
        today=ctx.today,
    )
    if closed is not None:
        return closed
    if person.home_team_id == opening.host_team_id:
        return "This opening is in your own team: team tourism is about visiting another team."
    if uow.applications.live_for(ctx.workspace_id, person.person_id, opening.opening_id):
        return "You have already applied to this opening: `/tourism status` shows where it stands."
    return None


def _applying(
    uow: ReadsApplications, ctx: Context, opening_id: int
) -> tuple[OpeningTerms, Applicant] | Outcome:
    """The opening and the acting person, or why they may not apply to it."""
    opening = uow.applications.opening(ctx.workspace_id, opening_id)
    person = uow.applications.applicant(ctx.workspace_id, ctx.actor)
    reason = _why_not_apply(uow, ctx, opening, person)
    if reason is not None:
        return refused(reason)
    assert opening is not None and person is not None
    return opening, person


def apply_form(uow: ReadsApplications, ctx: Context, opening_id: int) -> ApplyForm | Outcome:
    applying = _applying(uow, ctx, opening_id)
    if isinstance(applying, Outcome):
        return applying
    opening, person = applying
    window = opening.window
    host, home = teams_of(uow, ctx.workspace_id, opening.host_team_id, person.home_team_id)
    return ApplyForm(
        opening_id=opening.opening_id,
        opening_title=opening.title,
        host_team_name=host.name,
        window=window,
        weeks=opening.weeks,
        suggested_start=suggest_start(
            window=window,
            weeks=opening.weeks,
            today=ctx.today,
            availability=person.availability,
            host=host_calendar(uow, host),
            home_blackouts=home.blackouts if home is not None else (),
        ),
        learning_goal=person.learning_goal,
    )


def validate_application(
    form: ApplicationInput, window: Period, weeks: int, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.motivation:
        errors["motivation"] = "Tell the host team in a sentence or two why you want to visit."
    elif len(form.motivation) > MOTIVATION_LIMIT:
        errors["motivation"] = f"Keep it under {MOTIVATION_LIMIT} characters."
    if len(form.learning_goal) > GOAL_LIMIT:
        errors["learning_goal"] = f"Keep the goal to one sentence (under {GOAL_LIMIT} characters)."
    start_error = window_error(form.starts_on, weeks, window, today)
    if start_error:
        errors["starts_on"] = start_error
    return errors


def submit_application(
    uow: ApplicationSteps, ctx: Context, opening_id: int, form: ApplicationInput
) -> Outcome:
    applying = _applying(uow, ctx, opening_id)
    if isinstance(applying, Outcome):
        return applying
    opening, person = applying
    errors = validate_application(form, opening.window, opening.weeks, ctx.today)
    if errors:
        return Outcome(errors=errors)
    assert form.starts_on is not None
    new = NewApplication(
        workspace_id=ctx.workspace_id,
        opening_id=opening.opening_id,
        person_id=person.person_id,
        motivation=form.motivation,
        learning_goal=form.learning_goal or person.learning_goal,
        visit=visit_period(form.starts_on, opening.weeks),
    )
    application = uow.applications.submit(new, ctx.now)
    ctx.audit(
        uow,
        action="application_submitted",
        subject=f"application:{application.id}",
    )
    uow.commit()
    view = snapshot(uow, application, ctx.organisers)
    notices = [(Notice.APPLIED, view.visitor_id)]
    notices += [(Notice.HOST_REQUEST, lead) for lead in view.host_deciders]
    return Outcome(visit=view, notices=tuple(notices), actor=ctx.actor)


# --- deciding ---------------------------------------------------------------------------------


def _load(
    uow: ReadsApplications, ctx: Context, application_id: int, *, lock: bool = True
) -> tuple[ApplicationRecord, VisitSnapshot] | Outcome:
    # Locked: steps on one application (four people confirming the card at once) take turns,
    # so the last of them sees everyone else's confirmation. A look before a modal opens reads
    # (lock=False, in a read-only unit of work): the step itself checks again, locked.
    application = uow.applications.get(ctx.workspace_id, application_id, lock=lock)
    if application is None:
        return refused("That application no longer exists.")
    return application, snapshot(uow, application, ctx.organisers)


def _move(
    uow: ApplicationSteps,
    ctx: Context,
    application: ApplicationRecord,
    view: VisitSnapshot,
    target: Status,
    **changes: str,
) -> Outcome | None:
    """Checks who may take the step and moves the application; a refusal when it may not."""
    try:
        check_step(Step(view.status, target, roles_of(ctx.actor, view)))
    except StepNotAllowedError as refusal:
        return refused(refusal.reason)
    if not uow.applications.move(application.id, view.status, target, ctx.now, **changes):
        # Someone else moved it between our read and our write (a double click, two leads).
        return refused(WORDING.just_decided)
    ctx.audit(
        uow,
        action=f"application_{target}",
        subject=f"application:{application.id}",
        detail=dict(changes),
    )
    return None


def _done(
    uow: ApplicationSteps,
    ctx: Context,
    application: ApplicationRecord,
    notices: list[tuple[Notice, str]],
) -> Outcome:
    uow.commit()
    view = snapshot(uow, _stored(uow, ctx, application), ctx.organisers)
    return Outcome(
        visit=view,
        notices=tuple(notices),
        settled=SETTLES.get(view.status, ()),
        actor=ctx.actor,
    )


def _stored(
    uow: ReadsApplications, ctx: Context, application: ApplicationRecord
) -> ApplicationRecord:
    """The application as the step just left it."""
    stored = uow.applications.get(ctx.workspace_id, application.id)
    assert stored is not None  # this transaction just wrote it
    return stored


def prepare_decision(
    uow: ReadsApplications, ctx: Context, application_id: int, stage: Stage
) -> VisitSnapshot | Outcome:
    """Before opening a modal for a decision: the visit, or why this person may not decide.
    Only reads: the decision itself checks again, locked."""
    loaded = _deciding(uow, ctx, application_id, stage, lock=False)
    return loaded if isinstance(loaded, Outcome) else loaded[1]


def _deciding(
    uow: ReadsApplications, ctx: Context, application_id: int, stage: Stage, *, lock: bool = True
) -> tuple[ApplicationRecord, VisitSnapshot] | Outcome:
    """The application, if the acting person may take `stage`'s decision on it now."""
    loaded = _load(uow, ctx, application_id, lock=lock)
    if isinstance(loaded, Outcome):
        return loaded
    not_yours = why_not_decide(loaded[1], ctx.actor, stage, WORDING)
    return refused(not_yours) if not_yours is not None else loaded


def prepare_withdrawal(
    uow: ReadsApplications, ctx: Context, application_id: int
) -> VisitSnapshot | Outcome:
    """Before opening the modal to withdraw (or cancel): the visit, or why this person may not."""
    loaded = _load(uow, ctx, application_id, lock=False)
    if isinstance(loaded, Outcome):
        return loaded
    _, view = loaded
    try:
        check_step(Step(view.status, _withdrawal(view), roles_of(ctx.actor, view)))
    except StepNotAllowedError as refusal:
        return refused(refusal.reason)
    return view


def _withdrawal(view: VisitSnapshot) -> Status:
    """Before the visit is booked it is withdrawn; once booked, cancelled."""
    return Status.CANCELLED if view.status is Status.CONFIRMED else Status.WITHDRAWN


def host_decides(
    uow: ApplicationSteps,
    ctx: Context,
    application_id: int,
    *,
    accept: bool,
    reason: str = "",
    override_reason: str = "",
) -> Outcome:
    loaded = _deciding(uow, ctx, application_id, Stage.HOST)
    if isinstance(loaded, Outcome):
        return loaded
    application, view = loaded
    if accept and (errors := reason_needed(view, Stage.HOST, override_reason)):
        return Outcome(errors=errors)
    if accept:
        refusal = _move(uow, ctx, application, view, Status.HOST_ACCEPTED)
        if override_reason:
            ctx.audit(
                uow,
                action="host_override",
                subject=f"application:{application.id}",
                detail={"reason": override_reason[:REASON_LIMIT]},
            )
        notices = [(Notice.HOST_ACCEPTED, view.visitor_id)]
        notices += [(Notice.HOME_REQUEST, decider) for decider in view.home_deciders]
    else:
        refusal = _move(
            uow, ctx, application, view, Status.DECLINED, decision_reason=reason[:REASON_LIMIT]
        )
        notices = [(Notice.DECLINED, view.visitor_id)]
    return refusal or _done(uow, ctx, application, notices)


def home_decides(
    uow: ApplicationSteps,
    ctx: Context,
    application_id: int,
    *,
    agree: bool,
    covering: str = "",
    override_reason: str = "",
    reason: str = "",
) -> Outcome:
    loaded = _deciding(uow, ctx, application_id, Stage.HOME)
    if isinstance(loaded, Outcome):
        return loaded
    application, view = loaded
    if not agree:
        refusal = _move(
            uow, ctx, application, view, Status.DECLINED, decision_reason=reason[:REASON_LIMIT]
        )
        return refusal or _done(uow, ctx, application, [(Notice.DECLINED, view.visitor_id)])
    if errors := reason_needed(view, Stage.HOME, override_reason):
        return Outcome(errors=errors)
    refusal = _move(
        uow,
        ctx,
        application,
        view,
        Status.HOME_AGREED,
        covering_home_duties=covering[:REASON_LIMIT],
        override_reason=override_reason[:REASON_LIMIT],
    )
    if refusal is not None:
        return refusal
    notices = [(Notice.VISIT_CARD, person) for person in view.card_people()]
    return _done(uow, ctx, application, notices)


# --- the visit card and the tour -----------------------------------------------------------


def confirm_card(
    uow: ApplicationSteps, ctx: Context, application_id: int, *, on_tour: TourHook = no_tour_hook
) -> Outcome:
    loaded = _load(uow, ctx, application_id)
    if isinstance(loaded, Outcome):
        return loaded
    application, view = loaded
    # A booked visit's card is confirmed again after its dates changed.
    if view.status not in (Status.HOME_AGREED, Status.CONFIRMED):
        return refused(f"Nothing to confirm: this visit is {view.status.value.replace('_', ' ')}.")
    roles = roles_of(ctx.actor, view) & set(view.card_roles())
    if not roles:
        return refused("Only the visitor, the buddy and the two team leads confirm this card.")
    newly = [
        role
        for role in roles
        if uow.applications.confirm_card(application, role, ctx.actor, ctx.now)
    ]
    if not newly:
        return refused("You have already confirmed this visit card.")
    if set(view.card_roles()) - uow.applications.confirmed_roles(application.id):
        uow.commit()
        return Outcome(visit=view, actor=ctx.actor)
    return _card_complete(uow, ctx, application, view, on_tour)


def _card_complete(
    uow: ApplicationSteps,
    ctx: Context,
    application: ApplicationRecord,
    view: VisitSnapshot,
    on_tour: TourHook,
) -> Outcome:
    """Every role has confirmed: the tour is created, or for a booked visit whose dates changed
    (its tour already moved with them) everyone gets the summary again."""
    if view.status is not Status.CONFIRMED:
        return _create_tour(uow, ctx, application, view, on_tour)
    ctx.audit(
        uow,
        action="visit_card_reconfirmed",
        subject=f"application:{application.id}",
    )
    return _done(uow, ctx, application, [(Notice.CONFIRMED, p) for p in view.card_people()])


def _create_tour(
    uow: ApplicationSteps,
    ctx: Context,
    application: ApplicationRecord,
    view: VisitSnapshot,
    on_tour: TourHook,
) -> Outcome:
    if not uow.tours.take_seat(application.opening.opening_id):
        uow.applications.move(
            application.id,
            Status.HOME_AGREED,
            Status.CANCELLED,
            ctx.now,
            decision_reason="the opening filled up before everyone confirmed",
        )
        return _done(uow, ctx, application, [(Notice.SEAT_GONE, p) for p in view.card_people()])
    if not uow.applications.move(application.id, Status.HOME_AGREED, Status.CONFIRMED, ctx.now):
        return refused("Nothing changed: this visit has just been confirmed.")
    tour = uow.tours.book(application, ctx.now)
    on_tour(uow, tour)
    ctx.audit(
        uow,
        action="tour_created",
        subject=f"tour:{tour.id}",
    )
    return _done(uow, ctx, application, [(Notice.CONFIRMED, p) for p in view.card_people()])


# --- new dates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateChangeForm:
    """What the modal for new dates opens with."""

    application_id: int
    opening_title: str
    host_team_name: str
    window: Period
    weeks: int
    current: Period


def _why_not_reschedule(ctx: Context, view: VisitSnapshot) -> str | None:
    return why_not_reschedule(view.status, roles_of(ctx.actor, view), view.starts_on, ctx.today)


def date_change_form(
    uow: ReadsApplications, ctx: Context, application_id: int
) -> DateChangeForm | Outcome:
    """What the date-change modal shows; only reads (the change itself checks again, locked)."""
    loaded = _load(uow, ctx, application_id, lock=False)
    if isinstance(loaded, Outcome):
        return loaded
    application, view = loaded
    refusal = _why_not_reschedule(ctx, view)
    if refusal is not None:
        return refused(refusal)
    return DateChangeForm(
        application_id=view.application_id,
        opening_title=view.opening_title,
        host_team_name=view.host_team_name,
        window=application.opening.window,
        weeks=view.weeks,
        current=Period(view.starts_on, view.ends_on),
    )


def change_dates(
    uow: ApplicationSteps,
    ctx: Context,
    application_id: int,
    starts_on: date | None,
    *,
    override_reason: str = "",
    on_tour: TourHook = no_tour_hook,
) -> Outcome:
    """New dates (the same length): the visitor and both leads confirm the card again (the
    buddy's confirmation stands); a booked visit keeps its tour, which moves with the dates.
    New dates that break a soft rule (a blackout, the home team's cap, the host's limits) need a
    reason, which the leads see with the warnings on the card they confirm again."""
    loaded = _load(uow, ctx, application_id)
    if isinstance(loaded, Outcome):
        return loaded
    application, view = loaded
    refusal = _why_not_reschedule(ctx, view)
    if refusal is not None:
        return refused(refusal)
    error = window_error(starts_on, view.weeks, application.opening.window, ctx.today)
    if error is None and starts_on == view.starts_on:
        error = "That is the first day already: pick another."
    if error is not None:
        return Outcome(errors={"starts_on": error})
    assert starts_on is not None
    previous, new = Period(view.starts_on, view.ends_on), visit_period(starts_on, view.weeks)
    warnings = _warnings(uow, application, new)
    if warnings and not override_reason:
        return Outcome(errors={"override_reason": say_why_anyway(warnings)})
    moved = uow.applications.reschedule(
        application.id,
        view.status,
        expected_start=previous.start,
        starts_on=new.start,
        ends_on=new.end,
        now=ctx.now,
    )
    if not moved:
        return refused("Nothing changed: someone has just changed this visit.")
    tour = uow.tours.move_of_application(application.id, new)
    if tour is not None:
        on_tour(uow, tour)
    uow.applications.clear_confirmations(application.id, RECONFIRMING)
    ctx.audit(
        uow,
        action="application_dates_changed",
        subject=f"application:{application.id}",
        detail={
            "from": f"{previous.start.isoformat()}/{previous.end.isoformat()}",
            "to": f"{new.start.isoformat()}/{new.end.isoformat()}",
            "override_reason": override_reason[:REASON_LIMIT] if warnings else "",
        },
    )
    uow.commit()
    current = snapshot(uow, _stored(uow, ctx, application), ctx.organisers)
    rescheduled = RescheduledVisit(
        **{f.name: getattr(current, f.name) for f in fields(current)},
        previous=previous,
        warnings=warnings,
        override_reason=override_reason[:REASON_LIMIT] if warnings else "",
    )
    parties = dict.fromkeys((view.visitor_id, *current.host_deciders, *current.home_deciders))
    return Outcome(
        visit=rescheduled,
        notices=tuple((Notice.DATES_CHANGED, person) for person in parties),
        settled=CARDS,
        actor=ctx.actor,
    )


def _warnings(
    uow: ReadsApplications, application: ApplicationRecord, visit: Period
) -> tuple[str, ...]:
    """The soft rules `visit` breaks, on both teams' side (this visit itself left out)."""
    visitor = application.visitor
    host, home = teams_of(
        uow, application.workspace_id, application.opening.host_team_id, visitor.home_team_id
    )
    warnings = host_warnings(visit, host_calendar(uow, host, application.id))
    if home is not None:
        warnings += absence_warnings(home_absence(uow, home, visitor.person_id, visit))
    return warnings


# --- withdrawing and cancelling -------------------------------------------------------------


def withdraw(
    uow: ApplicationSteps,
    ctx: Context,
    application_id: int,
    *,
    reason: str,
    on_tour: TourHook = no_tour_hook,
) -> Outcome:
    """The visitor withdraws, or any party cancels: a confirmed visit frees its seat."""
    loaded = _load(uow, ctx, application_id)
    if isinstance(loaded, Outcome):
        return loaded
    application, view = loaded
    if not reason.strip():
        return Outcome(errors={"reason": "Say why, in a few words: everyone involved will see it."})
    refusal = _move(
        uow, ctx, application, view, _withdrawal(view), decision_reason=reason[:REASON_LIMIT]
    )
    if refusal is not None:
        return refusal
    tour = uow.tours.cancel_of_application(application.id)
    if tour is not None:
        uow.tours.free_seat(application.opening.opening_id)
        on_tour(uow, tour)
    others = [p for p in view.card_people() if p != ctx.actor]
    return _done(uow, ctx, application, [(Notice.ENDED, p) for p in others])


# --- messages that asked for a decision -------------------------------------------------------

REQUESTS = (Notice.HOST_REQUEST, Notice.HOME_REQUEST, *CARDS)


def _purpose(kind: Notice) -> str:
    return kind.value


def remember_requests(
    uow: KeepsRequests, ctx: Context, application_id: int, sent: list[SentRequest[Notice]]
) -> None:
    """Keeps where each request went, so that answering one updates every copy."""
    requests.remember(
        uow.applications, ctx.workspace_id, application_id, sent, purpose=_purpose, now=ctx.now
    )
    uow.commit()


def settled_requests(
    uow: ReadsRequests, application_id: int, kinds: tuple[Notice, ...]
) -> list[SentRequest[Notice]]:
    return requests.answered(uow.applications, application_id, kinds, _purpose)


# --- nudging whoever has left a decision waiting -------------------------------------------


def plan_decision_nudges(
    uow: PlansNudges, workspace_id: str, now: datetime, zone: ZoneInfo, organisers: frozenset[str]
) -> int:
    """Puts due reminders and escalations in the outbox (once each, by their unique keys);
    the caller commits."""
    today = now.astimezone(zone).date()
    planned = []
    for pending in uow.applications.decisions_waiting(workspace_id):
        waiting = _waiting(pending, zone, organisers)
        planned += [_nudge_message(nudge, now) for nudge in nudges_due(waiting, today)]
    uow.outbox.upsert(workspace_id, planned)
    return len(planned)


def _waiting(
    pending: PendingDecision, zone: ZoneInfo, organisers: frozenset[str]
) -> WaitingDecision:
    waiting_for = deciders(
        visitor=pending.visitor_id,
        leads=pending.lead_ids,
        organisers=sorted(organisers),
        has_team=pending.has_team,
    )
    return WaitingDecision(
        application_id=pending.application_id,
        status=pending.status.value,
        since=pending.updated_at.astimezone(zone).date(),
        deciders=waiting_for.people,
        organisers=tuple(sorted(organisers)),
        visitor_id=pending.visitor_id,
        opening_title=pending.opening_title,
    )


def _nudge_message(nudge: Nudge, now: datetime) -> PlannedMessage:
    return PlannedMessage(
        unique_key=nudge.unique_key,
        kind=Kind.NOTICE,
        recipient=nudge.recipient,
        due_at=now,
        content_key="decision_escalation" if nudge.escalation else "decision_reminder",
        payload={
            "application_id": nudge.waiting.application_id,
            "status": nudge.waiting.status,
            "visitor": nudge.waiting.visitor_id,
            "opening_title": nudge.waiting.opening_title,
            "working_days": nudge.working_days,
            "deciders": list(nudge.waiting.deciders),
        },
    )
