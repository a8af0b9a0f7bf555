"""The ticker: APScheduler 3 only says "now"; the outbox holds the schedule.

A BackgroundScheduler in UTC with a memory job store (APScheduler's own stores cannot be shared
by replicas and pickle their jobs: nothing of value is kept there, so a restart loses nothing):
- every TOURISM_TICK_SECONDS, deliver the due outbox rows;
- on Mondays at 10:00 organisation time (and once at start), plan the week's digest row;
- every hour (and once at start), run the maintenance hooks (including pruning the event inbox);
- every tick, beat the heartbeat that readiness (/readyz) reads.
Every replica runs the same jobs: claims and unique keys make that safe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduling.service import TourPlanner, schedule_digest
from bot.services.applications import plan_decision_nudges
from bot.services.events import prune_inbox
from bot.services.openings import close_expired_openings
from bot.services.retros import advance_tours
from bot.settings import Settings
from handlers.deps import Deps
from infra.delivery import Deliverer, build_deliverer
from infra.health import Heartbeat

log = logging.getLogger(__name__)

# A tick delayed by a long delivery or a busy machine still runs (coalesced into one) rather
# than being skipped after APScheduler's default of one second.
MISFIRE_GRACE_SECONDS = 3600
MAINTENANCE_HOURS = 1

# Periodic upkeep: each is called as hook(uow, workspace_id, today) in its own unit of work,
# which is committed after it. Add new hooks here.
MaintenanceHook = Callable[[Any, str, date], object]
MAINTENANCE_HOOKS: tuple[MaintenanceHook, ...] = (close_expired_openings, advance_tours)


class Ticker:
    def __init__(
        self,
        *,
        deps: Deps,
        deliverer: Deliverer,
        tick_seconds: int,
        maintenance: Sequence[MaintenanceHook] = MAINTENANCE_HOOKS,
        tours: TourPlanner | None = None,
    ) -> None:
        self._deps = deps
        self._deliverer = deliverer
        self._tours = tours
        self._maintenance = tuple(maintenance)
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
        self._scheduler.add_job(
            self.plan_digest,
            CronTrigger(day_of_week="mon", hour=10, minute=0, timezone=deps.settings.timezone),
            id="digest",
            name="plan the weekly digest",
        )
        self._scheduler.add_job(
            self.maintain,
            IntervalTrigger(hours=MAINTENANCE_HOURS),
            id="maintenance",
            name="maintenance",
        )

    @property
    def workspace_id(self) -> str:
        return self._deliverer.workspace_id

    def start(self) -> None:
        """Starts ticking; the first delivery, digest check and maintenance run right away."""
        self._scheduler.start()
        now = datetime.now(UTC)  # APScheduler runs on real time, whatever the business clock says
        for job_id in ("heartbeat", "maintenance", "digest", "deliver"):
            self._scheduler.modify_job(job_id, next_run_time=now)
        log.info("scheduler started")

    def stop(self) -> None:
        """Lets a running delivery give back what it has not sent, then stops."""
        self._deliverer.stop()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        self._deliverer.close()
        log.info("scheduler stopped")

    # --- jobs -----------------------------------------------------------------------------------

    def deliver(self) -> None:
        self.plan_tours_in_zones_learnt()
        try:
            report = self._deliverer.deliver_due()
        except Exception:
            log.exception("delivery tick failed; the rows stay in the outbox for the next one")
            return
        if report:
            log.info("delivery tick: %s", dict(report))

    def plan_tours_in_zones_learnt(self) -> None:
        """Tours planned before their people's zones were known are planned again, now."""
        if self._tours is None:
            return
        try:
            replanned = self._tours.catch_up(self._deps.uow)
        except Exception:
            log.exception("re-planning tours in their people's time zones failed")
            return
        if replanned:
            log.info("re-planned %d tour(s) in their people's time zones", replanned)

    def plan_digest(self) -> None:
        settings = self._deps.settings
        try:
            with self._deps.uow() as uow:
                planned = schedule_digest(
                    uow,
                    self.workspace_id,
                    settings.announcement_channel,
                    self._deps.clock.now(),
                    settings.timezone,
                )
                uow.commit()
        except Exception:
            log.exception("planning the weekly digest failed")
            return
        if planned:
            log.info("weekly digest planned")

    def maintain(self) -> None:
        today = self._deps.today()
        for hook in self._maintenance:
            try:
                with self._deps.uow() as uow:
                    hook(uow, self.workspace_id, today)
                    uow.commit()
            except Exception:
                log.exception("maintenance hook %s failed", getattr(hook, "__name__", hook))


def start_ticker(
    settings: Settings, deps: Deps, workspace_id: str, tours: TourPlanner | None = None
) -> Ticker:
    """The composition root's one call: a deliverer with its own client, ticking."""
    deliverer = build_deliverer(
        settings, uow=deps.uow, reader=deps.reader, clock=deps.clock, workspace_id=workspace_id
    )

    def nudge_deciders(uow: Any, workspace_id: str, _today: date) -> None:
        plan_decision_nudges(
            uow, workspace_id, deps.clock.now(), settings.timezone, settings.admin_user_ids
        )

    def prune_events(uow: Any, workspace_id: str, _today: date) -> None:
        retention = timedelta(days=settings.inbox_retention_days)
        prune_inbox(uow, workspace_id, deps.clock.now(), retention)

    ticker = Ticker(
        deps=deps,
        deliverer=deliverer,
        tick_seconds=settings.tick_seconds,
        maintenance=(*MAINTENANCE_HOOKS, nudge_deciders, prune_events),
        tours=tours,
    )
    ticker.start()
    return ticker
