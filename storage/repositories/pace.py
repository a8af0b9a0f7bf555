"""The shared pace of Slack calls: one row per workspace and bucket, changed under a row lock.

PostgreSQL locks the rows (SELECT ... FOR UPDATE, in bucket order so two reservations never
deadlock); SQLite has one writer at a time, so a writing unit of work is already alone. The
update is conditional on the value read all the same, so a reservation can never be lost."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import SlackPace


def first_free(buckets: Iterable[tuple[float, float]], now: float, catch_up: float) -> float:
    """The slot for a call: see PaceRepository.reserve. `buckets`: (next slot, blocked until)."""
    buckets = list(buckets)
    active = [next_slot for next_slot, _ in buckets if next_slot >= now - catch_up]
    return max([max(active, default=now), *(blocked for _, blocked in buckets)])


class PaceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def reserve(
        self,
        workspace_id: str,
        spacings: Mapping[str, float | None],
        now: float,
        catch_up: float,
    ) -> float | None:
        """The first time free in every bucket: none held back by a Retry-After, each
        `spacing` seconds after the last slot reserved in it. A bucket that fell behind by less
        than `catch_up` seconds gives its past slot (a short burst to catch up); one idle longer
        does not count. Each bucket's next slot moves past it. None when another writer changed
        a bucket meanwhile: call again."""
        buckets = sorted(spacings)
        seen = self._locked(workspace_id, buckets)
        if len(seen) < len(buckets):  # a bucket's first use (each conversation has one)
            self._create_missing(workspace_id, [b for b in buckets if b not in seen])
            seen = self._locked(workspace_id, buckets)
        slot = first_free(seen.values(), now, catch_up)
        for bucket in buckets:
            spacing = spacings[bucket]
            if spacing is None:
                continue
            moved = self.session.execute(
                update(SlackPace)
                .where(
                    SlackPace.workspace_id == workspace_id,
                    SlackPace.bucket == bucket,
                    SlackPace.next_slot == seen[bucket][0],
                )
                .values(next_slot=slot + spacing)
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                return None
        return slot

    def hold(self, workspace_id: str, bucket: str, until: float) -> None:
        """Nothing in `bucket` before `until` (a Retry-After); a later hold is kept."""
        self._create_missing(workspace_id, [bucket])
        row = self.session.scalars(
            select(SlackPace)
            .where(SlackPace.workspace_id == workspace_id, SlackPace.bucket == bucket)
            .with_for_update()
        ).one()
        row.blocked_until = max(row.blocked_until, until)
        row.next_slot = max(row.next_slot, until)

    def blocked_until(self, workspace_id: str, bucket: str) -> float:
        found = self.session.scalar(
            select(SlackPace.blocked_until).where(
                SlackPace.workspace_id == workspace_id, SlackPace.bucket == bucket
            )
        )
        return found or 0.0

    def prune(self, workspace_id: str, before: float) -> int:
        """Forgets buckets with nothing reserved or held since `before`."""
        pruned = self.session.execute(
            delete(SlackPace).where(
                SlackPace.workspace_id == workspace_id,
                and_(SlackPace.next_slot < before, SlackPace.blocked_until < before),
            )
        )
        return int(pruned.rowcount)  # type: ignore[attr-defined]

    def _locked(self, workspace_id: str, buckets: list[str]) -> dict[str, tuple[float, float]]:
        """(next slot, blocked until) of each bucket that exists, locked in bucket order."""
        rows = self.session.execute(
            select(SlackPace.bucket, SlackPace.next_slot, SlackPace.blocked_until)
            .where(SlackPace.workspace_id == workspace_id, SlackPace.bucket.in_(buckets))
            .order_by(SlackPace.bucket)
            .with_for_update()
        ).all()
        return {bucket: (next_slot, blocked) for bucket, next_slot, blocked in rows}

    def _create_missing(self, workspace_id: str, buckets: list[str]) -> None:
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self.session.execute(
            insert(SlackPace)
            .values(
                [
                    {
                        "workspace_id": workspace_id,
                        "bucket": bucket,
                        "next_slot": 0.0,
                        "blocked_until": 0.0,
                    }
                    for bucket in buckets
                ]
            )
            .on_conflict_do_nothing()
        )
