"""Use cases that keep the outbox in step with tours, and record what delivering a row achieved.

Each takes a unit of work and leaves committing to its caller, so planning happens in the same
transaction as the change to the tour that caused it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.checkins.model import SHOWN_SHIPPED
from bot.openings.model import is_expired
from bot.scheduling.delivery import (
    Expired,
    Failed,
    Outcome,
    Paused,
    Released,
    RetryLater,
    Sent,
    failure_notices,
    is_stale,
    is_visitor,
    visitor_gone_notices,
)
from bot.scheduling.model import ClaimedMessage, TourRef
from bot.scheduling.planning import (
    TOUR_PLAN_CONTENT_KEYS,
    DigestOpening,
    plan_digest,
    plan_tour,
)
from bot.scheduling.ports import (
    DigestPlanning,
    Planning,
    PlanningCommitted,
    Recording,
    SendingReads,
)

log = logging.getLogger(__name__)


class TimeZones(Protocol):
    """Where a person is: an IANA name from their Slack profile, or None if unknown."""

    def zone_of(self, user_id: str) -> str | None: ...


def zone_named(name: str | None, fallback: ZoneInfo) -> ZoneInfo:
    if not name:
        return fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r, using %s", name, fallback.key)
        return fallback


# --- tours ------------------------------------------------------------------------------------


class TourKey(Protocol):
    """Whatever names a tour: the on_tour hook is handed the tour a workflow step changed."""

    @property
    def workspace_id(self) -> str: ...
    @property
    def id(self) -> int: ...


def schedule_tour(
    uow: Planning, tour: TourKey, zones: TimeZones, organisation_zone: ZoneInfo
) -> int:
    """Plans (or re-plans) the tour's messages: sent rows stay, pending ones follow the dates,
    and the tour's rows that other features planned (the retro's follow-up, alerts) stay too.

    A tour that is no longer live (cancelled, completed early) loses its pending rows instead.
    Returns how many rows the tour now has planned.
    """
    found = uow.outbox.tour_to_plan(tour.workspace_id, tour.id)
    if found is None or not found.is_live:
        cancel_tour(uow, tour)
        return 0
    facts = found.facts
    # The visitor's profile remembers their zone; everyone else is asked about (users.info).
    others = {facts.buddy, *facts.host_leads, *facts.home_leads}
    names = {user: zones.zone_of(user) for user in others if user}
    names[facts.visitor] = found.visitor_zone or zones.zone_of(facts.visitor)
    planned = plan_tour(
        facts,
        {user: zone_named(name, organisation_zone) for user, name in names.items()},
        organisation_zone,
    )
    uow.outbox.replace_pending_of_tour(
        tour.workspace_id, tour.id, planned, content_keys=TOUR_PLAN_CONTENT_KEYS
    )
    return len(planned)


def cancel_tour(uow: Planning, tour: TourKey) -> int:
    """Removes the tour's pending messages; those already sent stay as a record."""
    return uow.outbox.cancel_pending_of_tour(tour.workspace_id, tour.id)


class SlackZones(TimeZones, Protocol):
    """Time zones remembered from Slack: `zone_of` answers from memory (it runs inside
    transactions); `learn` asks Slack, so it is only called outside any transaction."""

    def is_known(self, user_id: str) -> bool: ...

    def learn(self, user_ids: Iterable[str]) -> None: ...


@dataclass
class _NotingZones:
    """Answers like `zones` and notes whose zone was not known yet."""

    zones: SlackZones
    unknown: set[str] = field(default_factory=set)

    def zone_of(self, user_id: str) -> str | None:
        if not self.zones.is_known(user_id):
            self.unknown.add(user_id)
        return self.zones.zone_of(user_id)


class TourPlanner:
    """The `on_tour(uow, tour)` callback of bot/applications/service.py: plan or cancel.

    It runs inside the step's transaction, so it plans with the time zones known then and asks
    Slack nothing; `catch_up`, run later outside any transaction, looks up the zones that were
    missing and plans those tours again.
    """

    def __init__(
        self, zones: SlackZones, organisation_zone: ZoneInfo | Callable[[], ZoneInfo]
    ) -> None:
        """`organisation_zone`, or a function answering it: with many workspaces, the zone of
        the workspace being worked for."""
        self._zones = zones
        self._zone = organisation_zone
        self._lock = threading.Lock()
        self._waiting: dict[tuple[str, int], set[str]] = {}  # (workspace, tour) → people

    def __call__(self, uow: Planning, tour: TourKey) -> None:
        zones = _NotingZones(self._zones)
        schedule_tour(uow, tour, zones, self._organisation_zone())
        if zones.unknown:
            with self._lock:
                self._waiting.setdefault((tour.workspace_id, tour.id), set()).update(zones.unknown)

    def _organisation_zone(self) -> ZoneInfo:
        return self._zone if isinstance(self._zone, ZoneInfo) else self._zone()

    def catch_up(
        self,
        uow_factory: Callable[[], AbstractContextManager[PlanningCommitted]],
        only_workspace: str | None = None,
    ) -> int:
        """Learns the missing zones from Slack, then re-plans their tours; returns how many.
        `only_workspace`: only that workspace's tours (its people are asked with its token).

        A tour whose step was rolled back is not found (nothing of it is left to cancel) or is
        planned as it stands: harmless.
        """
        with self._lock:
            waiting = {
                key: people
                for key, people in self._waiting.items()
                if only_workspace in (None, key[0])
            }
            for key in waiting:
                del self._waiting[key]
        if not waiting:
            return 0
        self._zones.learn(set().union(*waiting.values()))
        with uow_factory() as uow:
            for workspace_id, tour_id in waiting:
                schedule_tour(
                    uow, TourRef(workspace_id, tour_id), self._zones, self._organisation_zone()
                )
            uow.commit()
        return len(waiting)


# --- the weekly digest ------------------------------------------------------------------------


def schedule_digest(
    uow: DigestPlanning,
    workspace_id: str,
    channel: str | None,
    now: datetime,
    organisation_zone: ZoneInfo,
) -> bool:
    """Plans this week's digest unless there is no channel, nothing open, or it is too late."""
    if channel is None:
        return False
    today = now.astimezone(organisation_zone).date()
    openings = [
        DigestOpening(
            title=opening.title,
            host_team=opening.team_name,
            earliest_start=opening.draft.earliest_start,
            latest_end=opening.draft.latest_end,
            weeks=opening.draft.weeks or 0,
            open_seats=opening.seats_left,
            opening_id=opening.id,
        )
        for opening in uow.openings.open(workspace_id)
        if opening.draft.announce  # its lead chose to keep it out of the channel
        and opening.seats_left > 0
        and not is_expired(opening, today)
        and opening.draft.earliest_start is not None
        and opening.draft.latest_end is not None
    ]
    digest = plan_digest(channel, openings, now, organisation_zone)
    if digest is None or is_stale(digest.kind, digest.due_at, now):
        return False
    uow.outbox.upsert(workspace_id, [digest])
    return True


# --- what a row shows when it is sent ---------------------------------------------------------


def payload_to_send(uow: SendingReads, row: ClaimedMessage) -> dict[str, Any]:
    """The row's payload with what has changed since it was planned: a check-in lists what the
    visitor has shipped so far, read when it is sent (re-planning rewrites pending payloads, and
    may add check-ins when a visit is extended)."""
    payload = dict(row.payload)
    if row.content_key == "checkin" and row.tour_id is not None:
        payload["shipped"] = uow.checkins.shipped(row.tour_id)[-SHOWN_SHIPPED:]
    return payload


# --- recording what a delivery attempt achieved ----------------------------------------------


def record_outcome(
    uow: Recording,
    row: ClaimedMessage,
    owner: str,
    outcome: Outcome,
    *,
    now: datetime,
    organisers: Iterable[str],
) -> bool:
    """Writes the outcome for a row `owner` claimed; False if the claim was lost meanwhile."""
    outbox = uow.outbox
    match outcome:
        case Sent(channel=channel, ts=ts):
            recorded = outbox.mark_sent(row.id, owner, channel=channel, ts=ts)
        case Expired(reason=reason):
            recorded = outbox.mark_expired(row.id, owner, reason)
        case RetryLater(reason=reason, at=at):
            recorded = outbox.retry_later(row.id, owner, at=at, reason=reason)
        case Released(at=at):
            recorded = outbox.release(row.id, owner, not_before=at)
        case Paused():
            recorded = outbox.release(row.id, owner)
        case Failed(reason=reason, recipient_gone=gone):
            recorded = outbox.mark_failed(row.id, owner, reason)
            if recorded:
                _tell_about_failure(
                    uow, row, reason=reason, recipient_gone=gone, now=now, organisers=organisers
                )
    return bool(recorded)


def _tell_about_failure(
    uow: Recording,
    row: ClaimedMessage,
    *,
    reason: str,
    recipient_gone: bool,
    now: datetime,
    organisers: Iterable[str],
) -> None:
    message = row.undelivered()
    notices = failure_notices(message, reason, organisers, now)
    if recipient_gone and is_visitor(message) and row.tour_id is not None:
        uow.outbox.cancel_pending_of_tour(row.workspace_id, row.tour_id)
        notices += visitor_gone_notices(message, now)
    uow.outbox.upsert(row.workspace_id, notices)
    uow.audit.record(
        row.workspace_id,
        action="scheduled_message_failed",
        actor_user_id=None,
        now=now,
        subject=f"outbox:{row.id}",
        detail={"kind": row.kind, "recipient": row.recipient, "reason": reason},
    )


# --- pausing a workspace whose token is dead -------------------------------------------------


def deliveries_paused(uow: Planning, workspace_id: str) -> bool:
    return uow.outbox.deliveries_paused(workspace_id)


def pause_deliveries(uow: Recording, workspace_id: str, reason: str, now: datetime) -> None:
    if not uow.outbox.pause_deliveries(workspace_id, now):
        return
    uow.audit.record(
        workspace_id,
        action="deliveries_paused",
        actor_user_id=None,
        now=now,
        detail={"reason": reason},
    )


def resume_deliveries(uow: Recording, workspace_id: str, now: datetime) -> None:
    if not uow.outbox.resume_deliveries(workspace_id):
        return
    uow.audit.record(workspace_id, action="deliveries_resumed", actor_user_id=None, now=now)
