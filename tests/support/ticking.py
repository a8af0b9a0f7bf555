"""The scheduler's two jobs, run once at the business clock's time, for handler-level tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from infra.delivery import Deliverer, build_delivery_client
from infra.scheduler import build_ticker
from tests.support.seed import WORKSPACE


def deliver_now(bot: Any, threads: int = 4) -> None:
    """One delivery tick of the real deliverer for the workspace."""
    deliverer = Deliverer(
        uow=bot.deps.uow,
        client=build_delivery_client(bot.deps.settings),
        clock=bot.clock,
        workspace_id=WORKSPACE,
        organisers=(),
        rates={},
        threads=threads,
    )
    try:
        deliverer.deliver_due()
    finally:
        deliverer.close()


def upkeep_at(bot: Any, when: datetime) -> None:
    """The ticker's hourly upkeep (maintenance hooks, purging) with the business clock at `when`."""
    bot.clock.move_to(when)
    ticker = build_ticker(bot.deps.settings, bot.deps, WORKSPACE)
    try:
        ticker.upkeep()
    finally:
        ticker.stop()
