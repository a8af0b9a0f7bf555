"""What listeners are given: settings, the business clock, units of work, the topic vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.clock import Clock
from bot.services.ports import UnitOfWorkFactory
from bot.settings import Settings
from bot.topics import TopicVocabulary


@dataclass(frozen=True)
class Deps:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
    vocabulary: TopicVocabulary

    def today(self) -> date:
        """Today in the organisation's time zone, by the business clock."""
        return self.clock.now().astimezone(self.settings.timezone).date()
