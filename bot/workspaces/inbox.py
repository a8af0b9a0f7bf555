"""Events API deliveries processed exactly once, whatever Slack redelivers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.ports import UnitOfWork, UnitOfWorkFactory

# A claim whose Slack call neither succeeded nor failed for this long was left by a process
# that died: a redelivery takes it over. Slack redelivers after about 1 and 5 minutes, and a
# rate-limited call gives up well within this.
CLAIM_LEASE = timedelta(minutes=2)


def process_once(
    uow_factory: UnitOfWorkFactory,
    *,
    event_id: str,
    workspace_id: str,
    event_type: str,
    now: datetime,
    effect: Callable[[UnitOfWork], None],
) -> bool:
    """Runs `effect` (storage only) in the transaction that records the event as processed.

    A redelivered event finds its record and does nothing; an event whose effect failed left no
    record (the transaction rolled back), so its redelivery is processed. Returns whether it ran.
    """
    with uow_factory() as uow:
        if not _claim(uow, event_id, workspace_id, event_type, now):
            return False
        effect(uow)
        uow.inbox.complete(event_id, now=now)
        uow.commit()
        return True


def call_slack_once(
    uow_factory: UnitOfWorkFactory,
    *,
    event_id: str,
    workspace_id: str,
    event_type: str,
    now: datetime,
    call: Callable[[], object],
) -> bool:
    """Makes the event's Slack call once, outside any transaction (a slow or rate-limited call
    holds up nobody): the event is claimed and committed, then `call` runs, then the event is
    marked processed. A failed call gives the claim back, so Slack's redelivery makes it again;
    a redelivery while the call runs, or after it succeeded, does nothing. Returns whether it ran.
    """
    with uow_factory() as uow:
        if not _claim(uow, event_id, workspace_id, event_type, now):
            return False
        uow.commit()
    try:
        call()
    except BaseException:
        with uow_factory() as uow:
            uow.inbox.release(event_id)
            uow.commit()
        raise
    with uow_factory() as uow:
        uow.inbox.complete(event_id, now=now)
        uow.commit()
    return True


def _claim(
    uow: UnitOfWork, event_id: str, workspace_id: str, event_type: str, now: datetime
) -> bool:
    return uow.inbox.claim(
        event_id,
        workspace_id=workspace_id,
        event_type=event_type,
        now=now,
        stale_before=now - CLAIM_LEASE,
    )


def prune_inbox(uow: UnitOfWork, workspace_id: str, now: datetime, retention: timedelta) -> int:
    """Forgets processed events older than the retention: Slack redelivers within minutes, so
    a record that old only takes space."""
    return uow.inbox.prune(workspace_id, claimed_before=now - retention)
