"""Events API deliveries processed exactly once, whatever Slack redelivers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.services.ports import UnitOfWork, UnitOfWorkFactory


def process_once(
    uow_factory: UnitOfWorkFactory,
    *,
    event_id: str,
    workspace_id: str,
    event_type: str,
    now: datetime,
    effect: Callable[[UnitOfWork], None],
) -> bool:
    """Runs `effect` in the same transaction that records the event as processed.

    A redelivered event finds its record and does nothing; an event whose effect failed left no
    record (the transaction rolled back), so its redelivery is processed. Returns whether it ran.
    """
    with uow_factory() as uow:
        if not uow.inbox.claim(event_id, workspace_id=workspace_id, event_type=event_type, now=now):
            return False
        effect(uow)
        uow.commit()
        return True


def prune_inbox(uow: UnitOfWork, workspace_id: str, now: datetime, retention: timedelta) -> int:
    """Forgets processed events older than the retention: Slack redelivers within minutes, so
    a record that old only takes space."""
    return uow.inbox.prune(workspace_id, processed_before=now - retention)
