"""Forgetting people (on their request, an organiser's, or after Slack deactivated them) and
purging workspaces the bot was removed from. Storage only: no Slack call happens here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.ports import Audit
from bot.forgetting.model import ForgottenBy, PersonalData, tombstone_hash, tombstone_id
from bot.forgetting.ports import Forgetting

log = logging.getLogger(__name__)


class ForgettingReader(Protocol):
    @property
    def forgetting(self) -> Forgetting: ...


class ForgettingUnitOfWork(ForgettingReader, Protocol):
    @property
    def audit(self) -> Audit: ...

    def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], AbstractContextManager[ForgettingUnitOfWork]]
ReaderFactory = Callable[[], AbstractContextManager[ForgettingReader]]


def personal_data_of(reader: ReaderFactory, workspace_id: str, user_id: str) -> PersonalData:
    """What forgetting this person would remove, counted, for the confirmation."""
    with reader() as uow:
        return uow.forgetting.personal_data(workspace_id, user_id)


@dataclass(frozen=True)
class ForgetRequest:
    """Who is to be forgotten, where, on whose word. `actor`: the organiser who asked (a person
    asking for themselves, or Slack's deactivation, names nobody); `salt` keys the tombstone."""

    workspace_id: str
    user_id: str
    by: ForgottenBy
    salt: str
    now: datetime
    actor: str | None = None

    @property
    def tombstone(self) -> str:
        return tombstone_id(self.workspace_id, self.user_id, self.salt)


def forget_person(uow_factory: UnitOfWorkFactory, request: ForgetRequest) -> PersonalData:
    """Forgets the person in one transaction; returns what went (nothing, when asked again)."""
    with uow_factory() as uow:
        removed = forget_in(uow, request)
        uow.commit()
    return removed


def forget_in(uow: ForgettingUnitOfWork, request: ForgetRequest) -> PersonalData:
    """Removes the person's data and records the tombstone (a keyed hash, never their id) in the
    audit log. Someone with nothing stored changes nothing and records nothing: repeating it is
    harmless."""
    removed = uow.forgetting.forget(request.workspace_id, request.user_id, request.tombstone)
    if removed.nothing:
        return removed
    hashed = tombstone_hash(request.workspace_id, request.user_id, request.salt)
    uow.audit.record(
        request.workspace_id,
        action="person_forgotten",
        actor_user_id=request.actor if request.by is ForgottenBy.ORGANISER else None,
        now=request.now,
        subject=request.tombstone,
        detail={"by": request.by.value, "tombstone": hashed} | removed.as_dict(),
    )
    return removed


def note_user_change(
    uow_factory: UnitOfWorkFactory,
    workspace_id: str,
    user_id: str,
    *,
    deactivated: bool,
    now: datetime,
) -> None:
    """Slack deactivated someone (their data goes after the grace period), or brought them back
    (it stays). Only people with a profile are noted; a repeated event changes nothing."""
    with uow_factory() as uow:
        uow.forgetting.note_deactivation(workspace_id, user_id, now if deactivated else None)
        uow.commit()


def forget_deactivated(
    uow: ForgettingUnitOfWork,
    workspace_id: str,
    *,
    salt: str,
    grace: timedelta,
    now: datetime,
) -> int:
    """The scheduler's upkeep: forgets people deactivated in Slack longer than `grace` ago."""
    people = uow.forgetting.deactivated_before(workspace_id, now - grace)
    for user_id in people:
        forget_in(uow, ForgetRequest(workspace_id, user_id, ForgottenBy.DEACTIVATED, salt, now))
    return len(people)


def workspace_rows(reader: ReaderFactory, workspace_id: str) -> dict[str, int]:
    """Rows the workspace has, by table (tables where it has none left out)."""
    with reader() as uow:
        return uow.forgetting.workspace_rows(workspace_id)


def purge_workspace(uow_factory: UnitOfWorkFactory, workspace_id: str) -> dict[str, int]:
    """Deletes every row of the workspace, in one transaction; returns how many, by table."""
    with uow_factory() as uow:
        purged = uow.forgetting.purge_workspace(workspace_id)
        uow.commit()
    if purged:
        log.info("purged workspace %s: %s", workspace_id, purged)
    return purged


def purge_uninstalled(
    uow_factory: UnitOfWorkFactory, now: datetime, retention: timedelta
) -> list[str]:
    """The scheduler's upkeep: purges the workspaces uninstalled more than `retention` ago,
    each in its own transaction. A reinstall clears `uninstalled_at`, so it keeps its data."""
    cutoff = now - retention
    with uow_factory() as uow:
        candidates = uow.forgetting.uninstalled_before(cutoff)
    purged = []
    for workspace_id in candidates:
        with uow_factory() as uow:
            # Asked again in the purging transaction: a reinstall a moment ago keeps the data.
            if workspace_id not in uow.forgetting.uninstalled_before(cutoff):
                continue
            uow.forgetting.purge_workspace(workspace_id)
            uow.commit()
        log.info("purged workspace %s, uninstalled before %s", workspace_id, cutoff.date())
        purged.append(workspace_id)
    return purged
