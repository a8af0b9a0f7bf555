"""Use cases of the weekly check-in: answering it, asking for help, logging what was shipped.

Each takes one unit of work and commits it. Only the tour's visitor may answer (decided from the
acting user, never from the button). The outcome carries the check-in as it now stands (to
replace the message's buttons). Alerts (a worrying answer to whoever can act on it, and the
organisers' when a signal repeats) are planned as outbox rows in the same transaction as the
answer that called for them: the deliverer sends each occurrence once, retrying until it is
through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.applications.service import Context
from bot.checkins.model import (
    SHOWN_SHIPPED,
    WHO_CAN_ACT,
    Alert,
    AlertKind,
    CheckinRef,
    CheckinState,
    HostView,
    Midpoint,
    Mood,
    Question,
    Role,
    organiser_alerts,
    parse_answer,
    plan_alert,
    plan_midpoint_answer,
    told_of_midpoint,
    validate_concerns,
    validate_help,
    validate_shipped,
    week_signal,
    weeks_in,
)
from bot.checkins.ports import CheckinReader, CheckinUnitOfWork
from bot.core.forms import one_item_a_line
from bot.core.visits import TourStatus, TourVisit


@dataclass(frozen=True)
class CheckinOutcome:
    state: CheckinState | None = None
    refusal: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.refusal is None and not self.errors


def refused(reason: str) -> CheckinOutcome:
    return CheckinOutcome(refusal=reason)


def _load(
    uow: CheckinReader, ctx: Context, ref: CheckinRef, *, lock: bool = True
) -> TourVisit | CheckinOutcome:
    # Answers of one visit are recorded one after the other (locked); a look before a modal
    # opens only reads.
    visit = uow.checkins.visit(ctx.workspace_id, ref.tour_id, lock=lock)
    if visit is None:
        return refused("This check-in belongs to a visit that no longer exists.")
    if ctx.actor != visit.visitor:
        return refused(
            "Only the visitor answers their check-in. If you are worried about how the visit "
            "is going, tell the visitor's buddy, the host team's lead or the organisers."
        )
    if not 1 <= ref.week <= weeks_in(visit.starts_on, visit.ends_on):
        return refused("That week is not part of your visit.")
    return visit


def _already(ref: CheckinRef) -> CheckinOutcome:
    return refused(f"You have already answered that for week {ref.week}: your first answer stands.")


# --- reading ----------------------------------------------------------------------------------


def prepare(
    uow: CheckinReader, ctx: Context, ref: CheckinRef, unanswered: Question | None = None
) -> CheckinState | CheckinOutcome:
    """Before opening a modal: the check-in, or why this person may not go on (also when
    `unanswered` has been answered already)."""
    loaded = _load(uow, ctx, ref, lock=False)
    if isinstance(loaded, CheckinOutcome):
        return loaded
    state = _state(uow, loaded, ref)
    if unanswered is not None and state.answer is not None and state.answer.answered(unanswered):
        return _already(ref)
    return state


def shipped_during(uow: CheckinReader, workspace_id: str, tour_id: int) -> list[str]:
    """What the visitor logged as shipped during the visit, oldest first (for the retro)."""
    visit = uow.checkins.visit(workspace_id, tour_id, lock=False)
    return uow.checkins.shipped(visit.tour_id) if visit is not None else []


def _state(uow: CheckinReader, visit: TourVisit, ref: CheckinRef) -> CheckinState:
    return CheckinState(
        ref=ref,
        visitor=visit.visitor,
        host_team=visit.host_team,
        opening_title=visit.opening_title,
        starts_on=visit.starts_on,
        ends_on=visit.ends_on,
        answer=uow.checkins.answer_of_week(visit.tour_id, ref.week),
        shipped=tuple(uow.checkins.shipped(visit.tour_id)[-SHOWN_SHIPPED:]),
    )


# --- answering --------------------------------------------------------------------------------


def record_answer(
    uow: CheckinUnitOfWork, ctx: Context, ref: CheckinRef, question: Question, raw: str
) -> CheckinOutcome:
    """A button or menu of the check-in; "Need help" goes through ask_for_help instead."""
    value = parse_answer(question, raw)
    if value is None or value is Mood.NEED_HELP:
        return refused("That is not one of the answers this check-in offers.")
    loaded = _load(uow, ctx, ref)
    if isinstance(loaded, CheckinOutcome):
        return loaded
    if not uow.checkins.record(
        ctx.workspace_id,
        ref.tour_id,
        ref.week,
        str(question),
        str(value),
        by=ctx.actor,
        now=ctx.now,
    ):
        return _already(ref)
    _audit(uow, ctx, ref, "checkin_answered", {"question": str(question), "answer": str(value)})
    signal = week_signal(value)
    alerts = [] if signal is None else [_alert(loaded, ctx, signal, (ref.week,))]
    return _recorded(uow, ctx, loaded, ref, alerts)


def ask_for_help(
    uow: CheckinUnitOfWork, ctx: Context, ref: CheckinRef, details: str
) -> CheckinOutcome:
    """The "Need help" modal: the buddy and the host leads are alerted with what the visitor
    wrote (the organisers when the visit has neither)."""
    errors = validate_help(details)
    if errors:
        return CheckinOutcome(errors=errors)
    loaded = _load(uow, ctx, ref)
    if isinstance(loaded, CheckinOutcome):
        return loaded
    recorded = uow.checkins.record(
        ctx.workspace_id,
        ref.tour_id,
        ref.week,
        str(Question.MOOD),
        str(Mood.NEED_HELP),
        by=ctx.actor,
        now=ctx.now,
        details=details,
    )
    if not recorded:
        return _already(ref)
    _audit(uow, ctx, ref, "checkin_answered", {"question": "mood", "answer": "need_help"})
    alert = _alert(loaded, ctx, AlertKind.HELP, (ref.week,), details)
    return _recorded(uow, ctx, loaded, ref, [alert])


def _alert(
    visit: TourVisit, ctx: Context, kind: AlertKind, weeks: tuple[int, ...], details: str = ""
) -> Alert:
    """The alert, to whoever can act on it; the organisers stand in when the visit has nobody
    in that role: a signal never goes nowhere."""
    people = _people_in(visit, ctx.organisers, WHO_CAN_ACT[kind])
    if people:
        return Alert(kind, weeks, people, details)
    return Alert(kind, weeks, tuple(sorted(ctx.organisers)), details, stand_in=True)


def _people_in(
    visit: TourVisit, organisers: frozenset[str], roles: tuple[Role, ...]
) -> tuple[str, ...]:
    holders: dict[Role, tuple[str | None, ...]] = {
        Role.BUDDY: (visit.buddy,),
        Role.HOST_LEADS: visit.host_leads,
        Role.HOME_LEADS: visit.home_leads,
        Role.ORGANISERS: tuple(organisers),
    }
    people = {who for role in roles for who in holders[role] if who and who != visit.visitor}
    return tuple(sorted(people))


def _recorded(
    uow: CheckinUnitOfWork, ctx: Context, visit: TourVisit, ref: CheckinRef, alerts: list[Alert]
) -> CheckinOutcome:
    """Claims the organiser alerts the answers now call for, plans every alert, commits."""
    for due in organiser_alerts(uow.checkins.answers(visit.tour_id)):
        if uow.checkins.claim_alert(visit.tour_id, due.recorded_on, str(due.kind), ctx.now):
            alerts.append(_alert(visit, ctx, due.kind, due.weeks))
            _audit(uow, ctx, ref, "checkin_alert", {"kind": str(due.kind), "weeks": due.weeks})
    state = _state(uow, visit, ref)
    planned = [message for alert in alerts for message in plan_alert(alert, state, ctx.now)]
    uow.outbox.upsert(ctx.workspace_id, planned)
    uow.commit()
    return CheckinOutcome(state=state)


# --- what was shipped -------------------------------------------------------------------------


def log_shipped(uow: CheckinUnitOfWork, ctx: Context, ref: CheckinRef, text: str) -> CheckinOutcome:
    errors = validate_shipped(text)
    if errors:
        return CheckinOutcome(errors=errors)
    loaded = _load(uow, ctx, ref)
    if isinstance(loaded, CheckinOutcome):
        return loaded
    items = one_item_a_line(text)
    uow.checkins.add_shipped(ctx.workspace_id, ref.tour_id, items, by=ctx.actor, now=ctx.now)
    _audit(uow, ctx, ref, "shipped_logged", {"items": len(items)})
    uow.commit()
    return CheckinOutcome(state=_state(uow, loaded, ref))


def _audit(
    uow: CheckinUnitOfWork, ctx: Context, ref: CheckinRef, action: str, detail: dict[str, Any]
) -> None:
    uow.audit.record(
        ctx.workspace_id,
        action=action,
        actor_user_id=ctx.actor,
        now=ctx.now,
        subject=f"tour:{ref.tour_id}",
        detail={"week": ref.week, **detail},
    )


# --- the host lead's mid-visit answer ---------------------------------------------------------


@dataclass  # not frozen: handlers.modal_steps.acknowledge takes it as a StepOutcome
class MidpointOutcome:
    midpoint: Midpoint | None = None
    view: HostView | None = None
    told: tuple[str, ...] = ()
    refusal: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.refusal is None and not self.errors


def midpoint_of(
    uow: CheckinReader, ctx: Context, tour_id: int | None
) -> Midpoint | MidpointOutcome:
    """The visit, or why this person may not answer for its host team (decided from the acting
    user: only a lead of the host team answers, and never about their own visit)."""
    visit = (
        uow.checkins.visit(ctx.workspace_id, tour_id, lock=False) if tour_id is not None else None
    )
    if visit is None or visit.status is TourStatus.CANCELLED:
        return MidpointOutcome(refusal="This visit was cancelled or no longer exists.")
    if ctx.actor not in visit.host_leads or ctx.actor == visit.visitor:
        return MidpointOutcome(
            refusal="Only a lead of the host team answers how the visit is going from the "
            "host team's side. If you have something to add, tell the visitor's buddy or the "
            "organisers."
        )
    return Midpoint(
        tour_id=visit.tour_id,
        visitor=visit.visitor,
        buddy=visit.buddy,
        host_team=visit.host_team,
        opening_title=visit.opening_title,
        ends_on=visit.ends_on,
    )


def answer_midpoint(
    uow: CheckinUnitOfWork, ctx: Context, tour_id: int | None, view: HostView, note: str = ""
) -> MidpointOutcome:
    """The host lead's answer reaches the buddy, and with concerns the organisers: outbox rows
    planned in the same transaction, sent by the deliverer."""
    if view is HostView.CONCERNS and (errors := validate_concerns(note)):
        return MidpointOutcome(errors=errors)
    midpoint = midpoint_of(uow, ctx, tour_id)
    if isinstance(midpoint, MidpointOutcome):
        return midpoint
    told = told_of_midpoint(midpoint, view, ctx.actor, ctx.organisers)
    planned = plan_midpoint_answer(
        midpoint, view, note, lead=ctx.actor, recipients=told, now=ctx.now
    )
    uow.outbox.upsert(ctx.workspace_id, planned)
    uow.audit.record(
        ctx.workspace_id,
        action="midpoint_answered",
        actor_user_id=ctx.actor,
        now=ctx.now,
        subject=f"tour:{midpoint.tour_id}",
        detail={"view": str(view)},
    )
    uow.commit()
    return MidpointOutcome(midpoint=midpoint, view=view, told=told)
