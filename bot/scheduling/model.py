"""The values scheduling works on: a tour as it is planned, a row as it is delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.visits import LIVE_TOUR_STATUSES, TourStatus
from bot.scheduling.delivery import UndeliveredMessage
from bot.scheduling.planning import TourFacts


@dataclass(frozen=True)
class TourRef:
    """Names a tour, as the on_tour hook's tour does."""

    workspace_id: str
    id: int


@dataclass(frozen=True)
class TourToPlan:
    """A tour as storage knows it when its messages are planned."""

    facts: TourFacts
    status: TourStatus
    visitor_zone: str | None  # from the visitor's profile; None: Slack is asked

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_TOUR_STATUSES


@dataclass(frozen=True)
class ClaimedMessage:
    """An outbox row a deliverer holds (its lease runs until `lease_until`), as it was claimed."""

    id: int
    workspace_id: str
    unique_key: str
    kind: str
    recipient: str
    tour_id: int | None
    content_key: str
    payload: dict[str, Any]
    due_at: datetime
    attempts: int
    maybe_sent_at: datetime | None  # it may be in Slack already: look before sending
    lease_until: datetime
    created_at: datetime
    last_error: str  # why the last try did not send it ("" if none failed)

    def undelivered(self) -> UndeliveredMessage:
        """The facts the notices of its failure describe."""
        return UndeliveredMessage(
            outbox_id=self.id,
            kind=self.kind,
            recipient=self.recipient,
            tour_id=self.tour_id,
            payload=dict(self.payload),
        )
