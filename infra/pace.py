"""The pace of Slack Web API calls: per method, per conversation, and shared by every replica.

Slack limits each method per app and workspace (tiers of 1, 20, 50 and 100+ calls a minute) and
chat.postMessage to about one message a second per conversation besides a workspace-wide limit
("several hundred messages a minute"); beyond them it answers 429 with Retry-After. Calls are
spaced evenly at the configured rates, and a Retry-After holds the method back for everyone.
The slots live in the database (storage's PaceRepository), so N replicas together keep to the
limits instead of sending N times as fast; an in-memory store serves a single process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

from bot.core.ports import ReaderFactory, UnitOfWorkFactory
from storage.repositories.pace import first_free

# The rates in calls a minute, keyed by method; "<method>.per_conversation" paces each
# conversation (a user id and the DM with that user are one).
PER_CONVERSATION = ".per_conversation"
POST = "chat.postMessage"
# Slack's published limits (docs.slack.dev/apis/web-api/rate-limits and each method's page).
SLACK_PUBLISHED_RATES: Mapping[str, float] = {
    POST: 300,  # special tier: "several hundred messages per minute" in a workspace
    POST + PER_CONVERSATION: 60,  # "1 message per second per channel"
    "conversations.open": 50,  # tier 3
    "conversations.history": 50,  # tier 3
    "conversations.join": 50,  # tier 3
}
# A pace that fell behind (no caller ready at its slot) may catch up this much at once: a short
# burst, which Slack allows, instead of losing the slots for good.
CATCH_UP_SECONDS = 0.5
# Unused buckets (one per conversation) are forgotten this long after their last slot.
PRUNE_AFTER_SECONDS = 3600.0


class PaceStore(Protocol):
    def reserve(self, spacings: Mapping[str, float | None], now: float) -> float:
        """The first slot free in every bucket (storage's first_free, with CATCH_UP_SECONDS);
        each bucket's next slot moves past it."""
        ...

    def hold(self, bucket: str, until: float) -> None: ...

    def blocked_until(self, bucket: str) -> float: ...

    def prune(self, now: float) -> None:
        """Forgets buckets long unused (one per conversation ever posted to)."""
        ...


class MemoryPace:
    """The pace kept by one process (tests, a single replica without a shared database)."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, spacings: Mapping[str, float | None], now: float) -> float:
        with self._lock:
            slot = first_free(
                ((self._next.get(b, 0.0), self.blocked_until(b)) for b in spacings),
                now,
                CATCH_UP_SECONDS,
            )
            for bucket, spacing in spacings.items():
                if spacing is not None:
                    self._next[bucket] = slot + spacing
            return slot

    def hold(self, bucket: str, until: float) -> None:
        with self._lock:
            self._blocked_until[bucket] = max(self.blocked_until(bucket), until)
            self._next[bucket] = max(self._next.get(bucket, until), until)

    def blocked_until(self, bucket: str) -> float:
        return self._blocked_until.get(bucket, 0.0)

    def prune(self, now: float) -> None:
        with self._lock:
            for bucket, slot in list(self._next.items()):
                if max(slot, self.blocked_until(bucket)) < now - PRUNE_AFTER_SECONDS:
                    del self._next[bucket]
                    self._blocked_until.pop(bucket, None)


class DatabasePace:
    """The pace of one workspace, shared through the database by every replica."""

    def __init__(
        self, uow: UnitOfWorkFactory, workspace_id: str, reader: ReaderFactory | None = None
    ) -> None:
        self._uow = uow
        self._reader = reader or uow  # looking takes no write lock
        self._workspace_id = workspace_id

    def reserve(self, spacings: Mapping[str, float | None], now: float) -> float:
        while True:
            with self._uow() as uow:
                slot: float | None = uow.pace.reserve(
                    self._workspace_id, spacings, now, CATCH_UP_SECONDS
                )
                if slot is not None:
                    uow.commit()
                    return slot

    def hold(self, bucket: str, until: float) -> None:
        with self._uow() as uow:
            uow.pace.hold(self._workspace_id, bucket, until)
            uow.commit()

    def blocked_until(self, bucket: str) -> float:
        with self._reader() as reader:
            return float(reader.pace.blocked_until(self._workspace_id, bucket))

    def prune(self, now: float) -> None:
        with self._uow() as uow:
            uow.pace.prune(self._workspace_id, now - PRUNE_AFTER_SECONDS)
            uow.commit()


class Pacer:
    """Spaces the calls of each method (and of chat.postMessage in each conversation) evenly at
    its rate; a 429 holds that method back.

    A Retry-After holds back every caller from the moment it arrives, those already waiting for
    a slot reserved before it included: after its wait, a caller looks again.
    """

    def __init__(
        self,
        rates: Mapping[str, float],
        store: PaceStore | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`rates`: calls a second by method (or "<method>.per_conversation")."""
        self._spacing = {method: 1.0 / rate for method, rate in rates.items() if rate > 0}
        self._store = store or MemoryPace()
        self._clock = clock
        self._sleep = sleep

    def wait(self, method: str, conversation: str | None = None) -> None:
        while (delay := self._reserve(method, conversation)) > 0:
            self._sleep(delay)
            if self.blocked_for(method) == 0:
                return

    def _reserve(self, method: str, conversation: str | None) -> float:
        """Reserves the next free slot: the seconds until it (0: call right away)."""
        spacings = {method: self._spacing.get(method)}
        per_conversation = self._spacing.get(method + PER_CONVERSATION)
        if conversation is not None and per_conversation is not None:
            spacings[f"{method} in {conversation}"] = per_conversation
        now = self._clock()
        return max(self._store.reserve(spacings, now) - now, 0.0)

    def hold(self, method: str, seconds: float) -> None:
        self._store.hold(method, self._clock() + seconds)

    def blocked_for(self, method: str) -> float:
        """Seconds until a Retry-After for `method` ends (0 if none holds it back)."""
        return max(self._store.blocked_until(method) - self._clock(), 0.0)


def configured_rates(per_minute: Mapping[str, float]) -> dict[str, float]:
    """Calls a second by method: Slack's published limits, with the settings' changes."""
    return {method: rate / 60 for method, rate in {**SLACK_PUBLISHED_RATES, **per_minute}.items()}
