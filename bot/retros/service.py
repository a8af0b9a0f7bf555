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
from bot.retros.model import (
    FollowUp,
    HighlightStep,
    LengthVerdict,
    RetroAnswers,
    RetroInput,
    bring_back_key,
    follow_up_key,
    highlight_step,
    mark_stuck,
    plan_bring_back,
    plan_follow_up,
    read_retro,
    validate_session,
)
from bot.scheduling.service import zone_named


@dataclass(frozen=True)
class Visit:
    """The tour as the end-of-visit messages show it."""

    tour_id: int
    visitor: str
    host_team: str
    home_team: str | None
    home_channel: str | None
    opening_title: str
    starts_on: date
    ends_on: date
    home_leads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    reason: str


def _visit(uow: Any, ctx: Context, tour_id: int, who: str) -> tuple[Visit, Any] | Refusal:
    """The visit and its visitor's row, or why the acting user may not go on."""
    tour = uow.tours.get(ctx.workspace_id, tour_id)
    parts = uow.outbox.tour_parts(tour.id) if tour is not None else None
    if parts is None or tour.status == "cancelled":
        return Refusal("This visit was cancelled or no longer exists.")
    tour, person, opening, host, home = parts
    if ctx.actor != person.user_id:
        return Refusal(
            f"Only the visitor answers {who}. If you have something to add about the visit, "
            "tell the visitor, or the organisers."
        )
    visit = Visit(
        tour_id=tour.id,
        visitor=person.user_id,
        host_team=host.name,
        home_team=home.name if home is not None else None,
        home_channel=home.channel_id if home is not None else None,
        opening_title=opening.title,
        starts_on=tour.starts_on,
        ends_on=tour.ends_on,
        home_leads=tuple(sorted(lead.user_id for lead in home.leads)) if home else (),
    )
    return visit, person


def _audit(uow: Any, ctx: Context, tour_id: int, action: str, **detail: Any) -> None:
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


def _answers(retro: Any) -> RetroAnswers:
    return RetroAnswers(
        learned=retro.learned,
        action_items=tuple(retro.bring_back),
        rating=retro.rating,
        length=LengthVerdict(retro.length_verdict),
        shareable=retro.shareable,
    )


@dataclass(frozen=True)
class RetroForm:
    """What the retro modal opens with: the visit and the retro saved so far, if any."""

    visit: Visit
    saved: RetroAnswers | None


def retro_form(uow: Any, ctx: Context, tour_id: int) -> RetroForm | Refusal:
    loaded = _visit(uow, ctx, tour_id, RETRO)
    if isinstance(loaded, Refusal):
        return loaded
    visit, _person = loaded
    retro = uow.retros.of_tour(visit.tour_id)
    return RetroForm(visit, _answers(retro) if retro is not None else None)


@dataclass(frozen=True)
class Highlight:
    """What the tourism channel should show of the retro, and where it is now (if posted)."""

    step: HighlightStep
    visit: Visit
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
    uow: Any,
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
    loaded = _visit(uow, ctx, tour_id, RETRO)
    if isinstance(loaded, Refusal):
        return RetroOutcome(refusal=loaded.reason)
    visit, person = loaded
    retro, created = uow.retros.save(
        ctx.workspace_id,
        visit.tour_id,
        learned=answers.learned,
        action_items=answers.action_items,
        rating=answers.rating,
        length_verdict=str(answers.length),
        shareable=answers.shareable,
        now=ctx.now,
    )
    _plan_follow_up(uow, ctx, visit, answers, zone_named(person.timezone, organisation_zone))
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
    uow: Any, ctx: Context, visit: Visit, answers: RetroAnswers, zone: ZoneInfo
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


def _bring_back_keys(visit: Visit) -> list[str]:
    return [bring_back_key(visit.tour_id, lead) for lead in visit.home_leads]


def place_highlight(
    uow: Any, ctx: Context, tour_id: int, channel: str | None, ts: str | None
) -> None:
    """Remembers where the highlight was posted (None, None once it is removed)."""
    retro = uow.retros.of_tour(tour_id)
    if retro is None or retro.workspace_id != ctx.workspace_id:
        return
    uow.retros.place_highlight(retro, channel, ts)
    _audit(uow, ctx, tour_id, "retro_highlight_posted" if ts else "retro_highlight_removed")
    uow.commit()


# --- the share-back ---------------------------------------------------------------------------

SHARE_BACK = "the share-back reminder"


@dataclass(frozen=True)
class ShareBackState:
    """The share-back reminder as it now stands."""

    visit: Visit
    done: bool = False
    session_on: date | None = None
    session_channel: str | None = None


@dataclass(frozen=True)
class ShareBackForm:
    """What the booking modal opens with."""

    visit: Visit
    default_channel: str | None


@dataclass(frozen=True)
class Session:
    """A booked share-back session, to announce in its channel."""

    visit: Visit
    day: date
    channel: str
    action_items: tuple[str, ...]


@dataclass(frozen=True)
class ShareBackOutcome:
    refusal: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    state: ShareBackState | None = None
    session: Session | None = None


def _state(visit: Visit, row: Any) -> ShareBackState:
    if row is None:
        return ShareBackState(visit)
    return ShareBackState(
        visit,
        done=row.done_at is not None,
        session_on=row.session_on,
        session_channel=row.session_channel,
    )


def share_back_done(uow: Any, ctx: Context, tour_id: int) -> ShareBackOutcome:
    loaded = _visit(uow, ctx, tour_id, SHARE_BACK)
    if isinstance(loaded, Refusal):
        return ShareBackOutcome(refusal=loaded.reason)
    visit, _person = loaded
    if uow.retros.mark_shared(ctx.workspace_id, visit.tour_id, by=ctx.actor, now=ctx.now):
        _audit(uow, ctx, visit.tour_id, "share_back_done")
        uow.commit()
    return ShareBackOutcome(state=_state(visit, uow.retros.share_back(visit.tour_id)))


def share_back_form(uow: Any, ctx: Context, tour_id: int) -> ShareBackForm | Refusal:
    loaded = _visit(uow, ctx, tour_id, SHARE_BACK)
    if isinstance(loaded, Refusal):
        return loaded
    visit, _person = loaded
    booked = uow.retros.share_back(visit.tour_id)
    channel = booked.session_channel if booked is not None and booked.session_channel else None
    return ShareBackForm(visit, channel or visit.home_channel)


def book_share_back(
    uow: Any, ctx: Context, tour_id: int, day: date | None, channel: str | None
) -> ShareBackOutcome:
    errors = validate_session(day, channel, ctx.today)
    if errors:
        return ShareBackOutcome(errors=errors)
    assert day is not None and channel is not None
    loaded = _visit(uow, ctx, tour_id, SHARE_BACK)
    if isinstance(loaded, Refusal):
        return ShareBackOutcome(refusal=loaded.reason)
    visit, _person = loaded
    row = uow.retros.book_session(
        ctx.workspace_id, visit.tour_id, day=day, channel=channel, by=ctx.actor, now=ctx.now
    )
    _audit(uow, ctx, visit.tour_id, "share_back_booked", day=day.isoformat(), channel=channel)
    uow.commit()
    retro = uow.retros.of_tour(visit.tour_id)
    items = tuple(retro.bring_back) if retro is not None else ()
    return ShareBackOutcome(state=_state(visit, row), session=Session(visit, day, channel, items))


def place_session(uow: Any, tour_id: int, channel: str, ts: str) -> None:
    uow.retros.place_session(tour_id, channel, ts)
    uow.commit()


# --- the 90-day follow-up ---------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpState:
    visit: Visit
    action_items: tuple[str, ...]
    stuck: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpOutcome:
    refusal: str | None = None
    state: FollowUpState | None = None


def mark_item_stuck(uow: Any, ctx: Context, tour_id: int, index: int) -> FollowUpOutcome:
    """The visitor says action item `index` of their retro stuck."""
    loaded = _visit(uow, ctx, tour_id, "the follow-up of their retro")
    if isinstance(loaded, Refusal):
        return FollowUpOutcome(refusal=loaded.reason)
    visit, _person = loaded
    retro = uow.retros.of_tour(visit.tour_id)
    if retro is None:
        return FollowUpOutcome(refusal="There is no retro for this visit any more.")
    items, stuck = tuple(retro.bring_back), tuple(retro.stuck)
    now_stuck = mark_stuck(items, stuck, index)
    if now_stuck != stuck:
        uow.retros.set_stuck(retro, now_stuck)
        _audit(uow, ctx, visit.tour_id, "retro_item_stuck", item=index)
        uow.commit()
    return FollowUpOutcome(state=FollowUpState(visit, items, now_stuck))


# --- tours by date ----------------------------------------------------------------------------


def advance_tours(uow: Any, workspace_id: str, today: date) -> int:
    """A maintenance hook: scheduled tours that have started become active, and those whose
    last day has passed completed. Returns how many tours moved; the caller commits."""
    moved: tuple[int, int] = uow.tours.advance_by_date(workspace_id, today)
    completed, activated = moved
    return completed + activated
