"""What listeners are given: settings, the business clock, units of work, the topic vocabulary
and what the scheduler does when a tour changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.applications.service import TourHook, no_tour_hook
from bot.core.clock import Clock
from bot.core.ports import ReaderFactory, UnitOfWorkFactory
from bot.core.topics import TopicVocabulary
from infra.settings import Settings


@dataclass(frozen=True)
class Deps:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory  # a writing transaction: compute and commit, then call Slack
    reader: ReaderFactory  # a read-only one, for everything that only shows what is stored
    vocabulary: TopicVocabulary
    # Called as on_tour(uow, tour) whenever a tour is created, moved or cancelled, inside that
    # step's unit of work: the scheduler plans (or cancels) the tour's messages.
    on_tour: TourHook = no_tour_hook

    def today(self) -> date:
        """Today in the organisation's time zone, by the business clock."""
        return self.clock.now().astimezone(self.settings.timezone).date()
