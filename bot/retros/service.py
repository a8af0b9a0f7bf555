"""Use cases of a visit's end: the retro and its highlight, the share-back, the 90-day follow-up,
and tours moving from scheduled to active to completed by date.

Only the tour's visitor may write the retro, answer the share-back reminder or the follow-up
(decided from the acting user, never from a button or private_metadata). Each use case commits
its own unit of work, except `advance_tours`, a maintenance hook whose caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.applications.service import Context
from bot.core.visits import TourStatus, TourVisit
from bot.retros.model import (
    FollowUp,
    HighlightStep,
    RetroAnswers,
    RetroInput,
    ShareBackRecord,
    bring_back_key,
    follow_up_key,
    highlight_step,
    mark_stuck,
    plan_bring_back,
    plan_follow_up,
    read_retro,
    validate_session,
)
from bot.retros.ports import RetroReader, RetroUnitOfWork, UpkeepUnitOfWork
from bot.scheduling.service import zone_named


@dataclass(frozen=True)
class Refusal:
    reason: str


def _visit(uow: RetroReader, ctx: Context, tour_id: int, who: str) -> TourVisit | Refusal:
    """The visit, or why the acting user may not go on."""
    found = uow.retros.visit(ctx.workspace_id, tour_id)
    if found is None or found.status is TourStatus.CANCELLED:
        return Refusal("This visit was cancelled or no longer exists.")
    if ctx.actor != found.visitor:
        return Refusal(
            f"Only the visitor answers {who}. If you have something to add about the visit, "
            "tell the visitor, or the organisers."
        )
    return found


def _audit(uow: RetroUnitOfWork, ctx: Context, tour_id: int, action: str, **detail: Any) -> None:
    uow.audit.record(
        ctx.workspace_id,
        action=action,
        actor_user_id=ctx.actor,
        now=ctx.now,
        subject=f"tour:{tour_id}",
        detail=detail,
    )


# --- the retro --------------------------------------------------------------------------------

RETRO = "their retro"


@dataclass(frozen=True)
class RetroForm:
    """What the retro modal opens with: the visit and the retro saved so far, if any."""

    visit: TourVisit
    saved: RetroAnswers | None


def retro_form(uow: RetroReader, ctx: Context, tour_id: int) -> RetroForm | Refusal:
    visit = _visit(uow, ctx, tour_id, RETRO)
    if isinstance(visit, Refusal):
        return visit
    retro = uow.retros.of_tour(visit.tour_id)
    return RetroForm(visit, retro.answers if retro is not None else None)


@dataclass(frozen=True)
class Highlight:
    """What the tourism channel should show of the retro, and where it is now (if posted)."""

    step: HighlightStep
    visit: TourVisit
    answers: RetroAnswers
    channel: str | None
    ts: str | None = None


@dataclass(frozen=True)
class RetroOutcome:
    refusal: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    highlight: Highlight | None = None
    created: bool = False


def save_retro(
    uow: RetroUnitOfWork,
    ctx: Context,
    tour_id: int,
    form: RetroInput,
    *,
    tourism_channel: str | None,
    organisation_zone: ZoneInfo,
) -> RetroOutcome:
    """Saves the retro (a second submission replaces the first), plans or drops the 90-day
    follow-up, and says what the channel should show. Nothing is saved of an invalid retro."""
    answers = read_retro(form)
    if isinstance(answers, dict):
        return RetroOutcome(errors=answers)
    visit = _visit(uow, ctx, tour_id, RETRO)
    if isinstance(visit, Refusal):
        return RetroOutcome(refusal=visit.reason)
    retro, created = uow.retros.save(ctx.workspace_id, visit.tour_id, answers, now=ctx.now)
    zone = zone_named(visit.visitor_timezone, organisation_zone)
    _plan_follow_up(uow, ctx, visit, answers, zone)
    _audit(
        uow,
        ctx,
        visit.tour_id,
        "retro_saved" if created else "retro_updated",
        rating=answers.rating,
        action_items=len(answers.action_items),
        shareable=answers.shareable,
    )
    uow.commit()
    posted = retro.highlight_ts is not None
    step = highlight_step(
        shareable=answers.shareable, posted=posted, channel_configured=tourism_channel is not None
    )
    highlight = Highlight(
        step=step,
        visit=visit,
        answers=answers,
        channel=retro.highlight_channel if posted else tourism_channel,
        ts=retro.highlight_ts,
    )
    return RetroOutcome(highlight=highlight, created=created)


def _plan_follow_up(
    uow: RetroUnitOfWork, ctx: Context, visit: TourVisit, answers: RetroAnswers, zone: ZoneInfo
) -> None:
    """Action items: the follow-up asks about them in 90 days, and the home leads hear of them
    now. None (any more): nothing to ask or tell."""
    if not answers.action_items:
        for key in (follow_up_key(visit.tour_id), *_bring_back_keys(visit)):
            uow.retros.drop_pending_message(ctx.workspace_id, key)
        return
    follow_up = FollowUp(
        tour_id=visit.tour_id,
        visitor=visit.visitor,
        host_team=visit.host_team,
        opening_title=visit.opening_title,
        starts_on=visit.starts_on,
        ends_on=visit.ends_on,
        action_items=answers.action_items,
    )
    uow.outbox.upsert(ctx.workspace_id, [plan_follow_up(follow_up, zone)])
    uow.outbox.upsert(ctx.workspace_id, plan_bring_back(follow_up, visit.home_leads, ctx.now))


def _bring_back_keys(visit: TourVisit) -> list[str]:
    return [bring_back_key(visit.tour_id, lead) for lead in visit.home_leads]


def place_highlight(
    uow: RetroUnitOfWork, ctx: Context, tour_id: int, channel: str | None, ts: str | None
) -> None:
    """Remembers where the highlight was posted (None, None once it is removed)."""
    retro = uow.retros.of_tour(tour_id)
    if retro is None or retro.workspace_id != ctx.workspace_id:
        return
    uow.retros.place_highlight(tour_id, channel, ts)
    _audit(uow, ctx, tour_id, "retro_highlight_posted" if ts else "retro_highlight_removed")
    uow.commit()


# --- the share-back ---------------------------------------------------------------------------

SHARE_BACK = "the share-back reminder"


@dataclass(frozen=True)
class ShareBackState:
    """The share-back reminder as it now stands."""

    visit: TourVisit
    done: bool = False
    session_on: date | None = None
    session_channel: str | None = None


@dataclass(frozen=True)
class ShareBackForm:
    """What the booking modal opens with."""

    visit: TourVisit
    default_channel: str | None


@dataclass(frozen=True)
class Session:
    """A booked share-back session, to announce in its channel."""

    visit: TourVisit
    day: date
    channel: str
    action_items: tuple[str, ...]


@dataclass(frozen=True)
class ShareBackOutcome:
    refusal: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    state: ShareBackState | None = None
    session: Session | None = None


def _state(visit: TourVisit, record: ShareBackRecord | None) -> ShareBackState:
    if record is None:
        return ShareBackState(visit)
    return ShareBackState(
        visit,
        done=record.done,
        session_on=record.session_on,
        session_channel=record.session_channel,
    )


def share_back_done(uow: RetroUnitOfWork, ctx: Context, tour_id: int) -> ShareBackOutcome:
    visit = _visit(uow, ctx, tour_id, SHARE_BACK)
    if isinstance(visit, Refusal):
        return ShareBackOutcome(refusal=visit.reason)
    if uow.retros.mark_shared(ctx.workspace_id, visit.tour_id, by=ctx.actor, now=ctx.now):
        _audit(uow, ctx, visit.tour_id, "share_back_done")
        uow.commit()
    return ShareBackOutcome(state=_state(visit, uow.retros.share_back(visit.tour_id)))


def share_back_form(uow: RetroReader, ctx: Context, tour_id: int) -> ShareBackForm | Refusal:
    visit = _visit(uow, ctx, tour_id, SHARE_BACK)
    if isinstance(visit, Refusal):
        return visit
    booked = uow.retros.share_back(visit.tour_id)
    channel = booked.session_channel if booked is not None and booked.session_channel else None
    return ShareBackForm(visit, channel or visit.home_channel)


def book_share_back(
    uow: RetroUnitOfWork, ctx: Context, tour_id: int, day: date | None, channel: str | None
) -> ShareBackOutcome:
    errors = validate_session(day, channel, ctx.today)
    if errors:
        return ShareBackOutcome(errors=errors)
    assert day is not None and channel is not None
    visit = _visit(uow, ctx, tour_id, SHARE_BACK)
    if isinstance(visit, Refusal):
        return ShareBackOutcome(refusal=visit.reason)
    booked = uow.retros.book_session(
        ctx.workspace_id, visit.tour_id, day=day, channel=channel, by=ctx.actor, now=ctx.now
    )
    _audit(uow, ctx, visit.tour_id, "share_back_booked", day=day.isoformat(), channel=channel)
    uow.commit()
    retro = uow.retros.of_tour(visit.tour_id)
    items = retro.answers.action_items if retro is not None else ()
    return ShareBackOutcome(
        state=_state(visit, booked), session=Session(visit, day, channel, items)
    )


def place_session(uow: RetroUnitOfWork, tour_id: int, channel: str, ts: str) -> None:
    uow.retros.place_session(tour_id, channel, ts)
    uow.commit()


# --- the 90-day follow-up ---------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpState:
    visit: TourVisit
    action_items: tuple[str, ...]
    stuck: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpOutcome:
    refusal: str | None = None
    state: FollowUpState | None = None


def mark_item_stuck(
    uow: RetroUnitOfWork, ctx: Context, tour_id: int, index: int
) -> FollowUpOutcome:
    """The visitor says action item `index` of their retro stuck."""
    visit = _visit(uow, ctx, tour_id, "the follow-up of their retro")
    if isinstance(visit, Refusal):
        return FollowUpOutcome(refusal=visit.reason)
    retro = uow.retros.of_tour(visit.tour_id)
    if retro is None:
        return FollowUpOutcome(refusal="There is no retro for this visit any more.")
    items, stuck = retro.answers.action_items, retro.stuck
    now_stuck = mark_stuck(items, stuck, index)
    if now_stuck != stuck:
        uow.retros.set_stuck(visit.tour_id, now_stuck)
        _audit(uow, ctx, visit.tour_id, "retro_item_stuck", item=index)
        uow.commit()
    return FollowUpOutcome(state=FollowUpState(visit, items, now_stuck))


# --- tours by date ----------------------------------------------------------------------------


def advance_tours(uow: UpkeepUnitOfWork, workspace_id: str, today: date) -> int:
    """A maintenance hook: scheduled tours that have started become active, and those whose
    last day has passed completed. Returns how many tours moved; the caller commits."""
    moved: tuple[int, int] = uow.tours.advance_by_date(workspace_id, today)
    completed, activated = moved
    return completed + activated
