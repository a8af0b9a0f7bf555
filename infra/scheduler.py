"""The ticker: APScheduler 3 only says "now"; the outbox holds the schedule.

A BackgroundScheduler in UTC with a memory job store (APScheduler's own stores cannot be shared
by replicas and pickle their jobs: nothing of value is kept there, so a restart loses nothing):
- every TOURISM_TICK_SECONDS, deliver the due outbox rows;
- every tick, when the business clock (`TOURISM_CLOCK_FILE` or real time) has entered another
  hour since the last upkeep (and once at start), plan the week's digest row (due Monday 10:00
  organisation time), close expired openings (updating their channel announcements as a manual
  close does), run the maintenance hooks (visits' states, reminders, pruning the event inbox,
  forgetting people deactivated in Slack past the grace period) and purge the workspaces
  uninstalled longer than the retention period:
  moving the clock file forward advances them all at the next tick, without a restart;
- with many workspaces (OAuth), each job works through the installed, active workspaces, each
  with its own settings and its own bot token;
- every tick, beat the heartbeat that readiness (/readyz) reads.
Every replica runs the same jobs: claims and unique keys make that safe.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.applications.service import plan_decision_nudges
from bot.forgetting.service import forget_deactivated, purge_uninstalled
from bot.openings.model import PostedOpening
from bot.openings.service import close_expired_openings
from bot.retros.service import advance_tours
from bot.scheduling.service import TourPlanner, schedule_digest
from bot.workspaces.inbox import prune_inbox
from infra.delivery import Deliverer, build_deliverer
from infra.deps import Deps
from infra.health import Heartbeat
from infra.settings import Settings
from infra.workspace_scope import WorkspaceScope, workspace_scope

log = logging.getLogger(__name__)

# A tick delayed by a long delivery or a busy machine still runs (coalesced into one) rather
# than being skipped after APScheduler's default of one second.
MISFIRE_GRACE_SECONDS = 3600

# Periodic upkeep: each is called as hook(uow, workspace_id, today) in its own unit of work,
# which is committed after it. Add new hooks here.
MaintenanceHook = Callable[[Any, str, date], object]
MAINTENANCE_HOOKS: tuple[MaintenanceHook, ...] = (advance_tours,)

# Brings the channel announcements of openings the upkeep closed up to date, with the
# workspace's own client, after the closing is committed (the composition root provides it:
# the announcement code belongs to the listeners).
ClosedAnnouncer = Callable[[WebClient, Sequence[PostedOpening]], object]


class Workspaces:
    """The workspaces the ticker works for, each with its own deliverer (its own bot token).

    `active` is asked on every tick: a workspace uninstalled or whose token was revoked drops out
    of it, and its deliverer is stopped then; one whose settings or token changed gets a new one.
    """

    def __init__(
        self,
        active: Callable[[], Sequence[WorkspaceScope]],
        deliverer_for: Callable[[WorkspaceScope], Deliverer],
    ) -> None:
        self._active = active
        self._deliverer_for = deliverer_for
        self._running: dict[str, tuple[WorkspaceScope, Deliverer]] = {}
        self._lock = threading.Lock()

    @classmethod
    def one(cls, scope: WorkspaceScope, deliverer: Deliverer) -> Workspaces:
        """One workspace, one token: the SLACK_BOT_TOKEN deployment."""
        return cls(lambda: [scope], lambda _scope: deliverer)

    def current(self) -> list[tuple[WorkspaceScope, Deliverer]]:
        scopes = {scope.workspace_id: scope for scope in self._active()}
        retired: list[Deliverer] = []
        with self._lock:
            for workspace_id, (scope, deliverer) in list(self._running.items()):
                if scopes.get(workspace_id) != scope:
                    retired.append(deliverer)
                    del self._running[workspace_id]
            for workspace_id, scope in scopes.items():
                if workspace_id not in self._running:
                    self._running[workspace_id] = (scope, self._deliverer_for(scope))
            current = list(self._running.values())
        for deliverer in retired:
            log.info("deliveries stopped for a workspace that left or changed")
            deliverer.stop()
            deliverer.close()
        return current

    def stop(self) -> None:
        with self._lock:
            running = [deliverer for _scope, deliverer in self._running.values()]
        for deliverer in running:
            deliverer.stop()

    def close(self) -> None:
        with self._lock:
            running, self._running = self._running, {}
        for _scope, deliverer in running.values():
            deliverer.close()


class Ticker:
    def __init__(
        self,
        *,
        deps: Deps,
        workspaces: Workspaces,
        tick_seconds: int,
        maintenance: Sequence[MaintenanceHook] = MAINTENANCE_HOOKS,
        tours: TourPlanner | None = None,
        announce_closed: ClosedAnnouncer | None = None,
        uninstall_retention: timedelta | None = None,
    ) -> None:
        """`uninstall_retention`: how long an uninstalled workspace's data is kept (None: for
        ever)."""
        self._deps = deps
        self._uninstall_retention = uninstall_retention
        self._workspaces = workspaces
        self._tours = tours
        self._maintenance = tuple(maintenance)
        self._announce_closed = announce_closed
        self._upkept_hour: datetime | None = None  # the business hour of the last upkeep
        self.heartbeat = Heartbeat(tick_seconds)
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            jobstores={"default": MemoryJobStore()},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            },
        )
        self._scheduler.add_job(
            self.deliver, IntervalTrigger(seconds=tick_seconds), id="deliver", name="deliver"
        )
        # Its own job, so a long delivery does not make the ticker look dead.
        self._scheduler.add_job(
            self.heartbeat.beat, IntervalTrigger(seconds=tick_seconds), id="heartbeat"
        )
        # Asked every tick, done once per business hour: APScheduler runs on real time, so an
        # hourly job would not see the business clock jump (a demo's or a test's clock file).
        self._scheduler.add_job(
            self.upkeep, IntervalTrigger(seconds=tick_seconds), id="upkeep", name="upkeep"
        )

    def start(self) -> None:
        """Starts ticking; the first delivery, digest check and maintenance run right away."""
        self._scheduler.start()
        now = datetime.now(UTC)  # APScheduler runs on real time, whatever the business clock says
        for job_id in ("heartbeat", "upkeep", "deliver"):
            self._scheduler.modify_job(job_id, next_run_time=now)
        log.info("scheduler started")

    def stop(self) -> None:
        """Lets a running delivery give back what it has not sent, then stops."""
        self._workspaces.stop()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        self._workspaces.close()
        log.info("scheduler stopped")

    # --- jobs -----------------------------------------------------------------------------------

    def deliver(self) -> None:
        for scope, deliverer in self._workspaces.current():
            with workspace_scope(scope):
                self.plan_tours_in_zones_learnt(scope.workspace_id)
                try:
                    report = deliverer.deliver_due()
                except Exception:
                    log.exception("delivery tick failed; its rows stay in the outbox for the next")
                    continue
            if report:
                log.info("delivery tick for %s: %s", scope.workspace_id, dict(report))

    def plan_tours_in_zones_learnt(self, workspace_id: str) -> None:
        """Tours planned before their people's zones were known are planned again, now."""
        if self._tours is None:
            return
        try:
            replanned = self._tours.catch_up(self._deps.uow, workspace_id)
        except Exception:
            log.exception("re-planning tours in their people's time zones failed")
            return
        if replanned:
            log.info("re-planned %d tour(s) in their people's time zones", replanned)

    def upkeep(self) -> None:
        """Plans the digest and maintains each workspace when the business clock has entered
        another hour since the last time (the first call always does)."""
        hour = self._deps.clock.now().replace(minute=0, second=0, microsecond=0)
        if hour == self._upkept_hour:
            return
        self._upkept_hour = hour
        self.plan_digest()
        self.maintain()
        self.purge_uninstalled()

    def plan_digest(self) -> None:
        for scope, _deliverer in self._workspaces.current():
            settings = scope.settings
            try:
                with self._deps.uow() as uow:
                    planned = schedule_digest(
                        uow,
                        scope.workspace_id,
                        settings.announcement_channel,
                        self._deps.clock.now(),
                        settings.timezone,
                    )
                    uow.commit()
            except Exception:
                log.exception("planning the weekly digest failed")
                continue
            if planned:
                log.info("weekly digest planned for %s", scope.workspace_id)

    def maintain(self) -> None:
        for scope, deliverer in self._workspaces.current():
            today = self._deps.clock.now().astimezone(scope.settings.timezone).date()
            with workspace_scope(scope):
                self.close_expired(scope.workspace_id, today, deliverer.client)
                for hook in self._maintenance:
                    try:
                        with self._deps.uow() as uow:
                            hook(uow, scope.workspace_id, today)
                            uow.commit()
                    except Exception:
                        log.exception("maintenance hook %s failed", getattr(hook, "__name__", hook))

    def purge_uninstalled(self) -> None:
        """Deletes the data of workspaces uninstalled longer ago than the retention period (they
        are no longer among the current ones, so this is not a per-workspace hook)."""
        if self._uninstall_retention is None:
            return
        try:
            purged = purge_uninstalled(
                self._deps.uow, self._deps.clock.now(), self._uninstall_retention
            )
        except Exception:
            log.exception("purging uninstalled workspaces failed")
            return
        if purged:
            log.info("purged %d uninstalled workspace(s) past their retention", len(purged))

    def close_expired(self, workspace_id: str, today: date, client: WebClient) -> None:
        """Closes the openings past their last day to apply, commits, then updates their
        announcements (no Slack call inside the unit of work)."""
        try:
            with self._deps.uow() as uow:
                closed = close_expired_openings(uow, workspace_id, today)
                uow.commit()
        except Exception:
            log.exception("closing expired openings failed")
            return
        if closed:
            log.info("closed %d expired opening(s)", len(closed))
        if closed and self._announce_closed is not None:
            try:
                self._announce_closed(client, closed)
            except Exception:
                log.exception("updating the announcements of expired openings failed")


def start_ticker(
    settings: Settings,
    deps: Deps,
    workspace_id: str,
    tours: TourPlanner | None = None,
    *,
    workspaces: Callable[[], Sequence[WorkspaceScope]] | None = None,
    announce_closed: ClosedAnnouncer | None = None,
) -> Ticker:
    """A ticker built by `build_ticker`, ticking."""
    ticker = build_ticker(
        settings,
        deps,
        workspace_id,
        tours,
        workspaces=workspaces,
        announce_closed=announce_closed,
    )
    ticker.start()
    return ticker


def build_ticker(
    settings: Settings,
    deps: Deps,
    workspace_id: str,
    tours: TourPlanner | None = None,
    *,
    workspaces: Callable[[], Sequence[WorkspaceScope]] | None = None,
    announce_closed: ClosedAnnouncer | None = None,
) -> Ticker:
    """A deliverer per workspace, each with its own client, and the maintenance jobs, not yet
    ticking: the process starts it once its front door is open. Without `workspaces`
    (SLACK_BOT_TOKEN alone) it works for `workspace_id` only."""

    def deliverer_for(scope: WorkspaceScope) -> Deliverer:
        return build_deliverer(
            scope.settings,
            uow=deps.uow,
            reader=deps.reader,
            clock=deps.clock,
            workspace_id=scope.workspace_id,
            token=scope.bot_token,
        )

    def one_workspace() -> list[WorkspaceScope]:
        return [WorkspaceScope(workspace_id, settings, settings.slack_bot_token)]

    # Maintenance runs inside each workspace's scope: deps.settings is that workspace's there.
    def nudge_deciders(uow: Any, workspace_id: str, _today: date) -> None:
        scoped = deps.settings
        plan_decision_nudges(
            uow, workspace_id, deps.clock.now(), scoped.timezone, scoped.admin_user_ids
        )

    def prune_events(uow: Any, workspace_id: str, _today: date) -> None:
        retention = timedelta(days=settings.inbox_retention_days)
        prune_inbox(uow, workspace_id, deps.clock.now(), retention)

    def forget_people_deactivated(uow: Any, workspace_id: str, _today: date) -> None:
        grace = timedelta(days=settings.forget_grace_days)
        now = deps.clock.now()
        forget_deactivated(uow, workspace_id, salt=settings.tombstone_salt, grace=grace, now=now)

    return Ticker(
        deps=deps,
        workspaces=Workspaces(workspaces or one_workspace, deliverer_for),
        tick_seconds=settings.tick_seconds,
        maintenance=(*MAINTENANCE_HOOKS, nudge_deciders, prune_events, forget_people_deactivated),
        tours=tours,
        announce_closed=announce_closed,
        uninstall_retention=timedelta(days=settings.uninstall_retention_days),
    )
