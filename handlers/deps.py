"""What listeners are given: settings, the business clock and units of work."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.ports import UnitOfWorkFactory
from bot.settings import Settings


@dataclass(frozen=True)
class Deps:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
