"""Use cases of the weekly check-in: answering it, asking for help, logging what was shipped.

Each takes one unit of work and commits it. Only the tour's visitor may answer (decided from the
acting user, never from the button). The outcome carries the check-in as it now stands (to
replace the message's buttons). Alerts (a worrying answer to whoever can act on it, and the
organisers' when a signal repeats) are planned as outbox rows in the same transaction as the
answer that called for them: the deliverer sends each occurrence once, retrying until it is
through.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    WeekAnswer,
    organiser_alerts,
    parse_answer,
    plan_alert,
    plan_midpoint_answer,
    told_of_midpoint,
    validate_concerns,
    validate_help,
    validate_shipped,
    week_answer,
    week_signal,
    weeks_in,
)
from bot.core.forms import one_item_a_line


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


@dataclass(frozen=True)
class _Visit:
    tour: Any
    visitor: str
    opening: Any
    host: Any
    home: Any


def _load(uow: Any, ctx: Context, ref: CheckinRef, *, lock: bool = True) -> _Visit | CheckinOutcome:
    # Answers of one visit are recorded one after the other (locked); a look before a modal
    # opens only reads.
    tour = uow.checkins.tour(ctx.workspace_id, ref.tour_id, lock=lock)
    parts = uow.outbox.tour_parts(tour.id) if tour is not None else None
    if parts is None:
        return refused("This check-in belongs to a visit that no longer exists.")
    tour, person, opening, host, home = parts
    if ctx.actor != person.user_id:
        return refused(
            "Only the visitor answers their check-in. If you are worried about how the visit "
            "is going, tell the visitor's buddy, the host team's lead or the organisers."
        )
    if not 1 <= ref.week <= weeks_in(tour.starts_on, tour.ends_on):
        return refused("That week is not part of your visit.")
    return _Visit(tour, person.user_id, opening, host, home)


def _already(ref: CheckinRef) -> CheckinOutcome:
    return refused(f"You have already answered that for week {ref.week}: your first answer stands.")


# --- reading ----------------------------------------------------------------------------------


def prepare(
    uow: Any, ctx: Context, ref: CheckinRef, unanswered: Question | None = None
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


def shipped_during(uow: Any, workspace_id: str, tour_id: int) -> list[str]:
    """What the visitor logged as shipped during the visit, oldest first (for the retro)."""
    tour = uow.tours.get(workspace_id, tour_id)
    return uow.checkins.shipped(tour.id) if tour is not None else []


def _week_answer(row: Any) -> WeekAnswer:
    answer = week_answer(row.week, row.mood, row.meetings_share, row.pulled_back)
    return replace(
        answer,
        details=row.details,
        low_mood_alerted=row.low_mood_alerted_at is not None,
        meetings_alerted=row.meetings_alerted_at is not None,
        pulls_alerted=row.pulls_alerted_at is not None,
    )


def _state(uow: Any, visit: _Visit, ref: CheckinRef) -> CheckinState:
    row = uow.checkins.answer_of_week(visit.tour.id, ref.week)
    return CheckinState(
        ref=ref,
        visitor=visit.visitor,
        host_team=visit.host.name,
        opening_title=visit.opening.title,
        starts_on=visit.tour.starts_on,
        ends_on=visit.tour.ends_on,
        answer=_week_answer(row) if row is not None else None,
        shipped=tuple(uow.checkins.shipped(visit.tour.id)[-SHOWN_SHIPPED:]),
    )


# --- answering --------------------------------------------------------------------------------


def record_answer(
    uow: Any, ctx: Context, ref: CheckinRef, question: Question, raw: str
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


def ask_for_help(uow: Any, ctx: Context, ref: CheckinRef, details: str) -> CheckinOutcome:
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
    visit: _Visit, ctx: Context, kind: AlertKind, weeks: tuple[int, ...], details: str = ""
) -> Alert:
    """The alert, to whoever can act on it; the organisers stand in when the visit has nobody
    in that role: a signal never goes nowhere."""
    people = _people_in(visit, ctx.organisers, WHO_CAN_ACT[kind])
    if people:
        return Alert(kind, weeks, people, details)
    return Alert(kind, weeks, tuple(sorted(ctx.organisers)), details, stand_in=True)


def _people_in(
    visit: _Visit, organisers: frozenset[str], roles: tuple[Role, ...]
) -> tuple[str, ...]:
    holders = {
        Role.BUDDY: {visit.tour.buddy_user_id},
        Role.HOST_LEADS: {lead.user_id for lead in visit.host.leads},
        Role.HOME_LEADS: {lead.user_id for lead in visit.home.leads} if visit.home else set(),
        Role.ORGANISERS: set(organisers),
    }
    people = set().union(*(holders[role] for role in roles)) - {None, visit.visitor}
    return tuple(sorted(person for person in people if person))


def _recorded(
    uow: Any, ctx: Context, visit: _Visit, ref: CheckinRef, alerts: list[Alert]
) -> CheckinOutcome:
    """Claims the organiser alerts the answers now call for, plans every alert, commits."""
    answers = [_week_answer(row) for row in uow.checkins.answers(visit.tour.id)]
    for due in organiser_alerts(answers):
        if uow.checkins.claim_alert(visit.tour.id, due.recorded_on, str(due.kind), ctx.now):
            alerts.append(_alert(visit, ctx, due.kind, due.weeks))
            _audit(uow, ctx, ref, "checkin_alert", {"kind": str(due.kind), "weeks": due.weeks})
    state = _state(uow, visit, ref)
    planned = [message for alert in alerts for message in plan_alert(alert, state, ctx.now)]
    uow.outbox.upsert(ctx.workspace_id, planned)
    uow.commit()
    return CheckinOutcome(state=state)


# --- what was shipped -------------------------------------------------------------------------


def log_shipped(uow: Any, ctx: Context, ref: CheckinRef, text: str) -> CheckinOutcome:
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


def _audit(uow: Any, ctx: Context, ref: CheckinRef, action: str, detail: dict[str, Any]) -> None:
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


def midpoint_of(uow: Any, ctx: Context, tour_id: int | None) -> Midpoint | MidpointOutcome:
    """The visit, or why this person may not answer for its host team (decided from the acting
    user: only a lead of the host team answers, and never about their own visit)."""
    found = uow.tours.get(ctx.workspace_id, tour_id) if tour_id is not None else None
    parts = uow.outbox.tour_parts(found.id) if found is not None else None
    if parts is None or parts[0].status == "cancelled":
        return MidpointOutcome(refusal="This visit was cancelled or no longer exists.")
    tour, person, opening, host, _home = parts
    if ctx.actor not in {lead.user_id for lead in host.leads} or ctx.actor == person.user_id:
        return MidpointOutcome(
            refusal="Only a lead of the host team answers how the visit is going from the "
            "host team's side. If you have something to add, tell the visitor's buddy or the "
            "organisers."
        )
    return Midpoint(
        tour_id=tour.id,
        visitor=person.user_id,
        buddy=tour.buddy_user_id,
        host_team=host.name,
        opening_title=opening.title,
        ends_on=tour.ends_on,
    )


def answer_midpoint(
    uow: Any, ctx: Context, tour_id: int | None, view: HostView, note: str = ""
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
