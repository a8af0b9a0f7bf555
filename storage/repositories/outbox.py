"""The outbox: every scheduled message as a row, planned by unique key and claimed with a lease.

A row is `pending` until a deliverer claims it (`sending`, with lease_owner and lease_until), then
`sent`, `failed` or `expired`; a retry puts it back to `pending` with next_attempt_at. A claim is
committed before anything is sent, and every outcome is recorded only by the claim's owner, so a
deliverer whose lease ran out cannot overwrite what the one that took over recorded.
`maybe_sent_at` marks a row that may be in Slack already; nothing but sending clears that doubt.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.visits import TourStatus
from bot.scheduling.model import ClaimedMessage, TourToPlan
from bot.scheduling.planning import PlannedMessage, TourFacts
from storage.models import Opening, OutboxMessage, Person, Team, Tour, Workspace

PENDING, SENDING, SENT, FAILED, EXPIRED = "pending", "sending", "sent", "failed", "expired"


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- planning ---------------------------------------------------------------------------

    def upsert(self, workspace_id: str, planned: Iterable[PlannedMessage]) -> None:
        """Creates missing rows and updates pending ones; rows already claimed or done stay."""
        planned = list(planned)
        existing = {
            row.unique_key: row
            for row in self.session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.workspace_id == workspace_id,
                    OutboxMessage.unique_key.in_([message.unique_key for message in planned]),
                )
            )
        }
        for message in planned:
            row = existing.get(message.unique_key)
            if row is None:
                self._insert(workspace_id, message)
            elif row.status == PENDING:
                row.kind, row.recipient = message.kind, message.recipient
                row.due_at, row.content_key = message.due_at, message.content_key
                row.payload, row.tour_id = message.payload, message.tour_id
        self.session.flush()

    def _insert(self, workspace_id: str, message: PlannedMessage) -> None:
        # Two replicas may plan the same week's digest at once: the second insert loses quietly.
        try:
            with self.session.begin_nested():
                self.session.add(
                    OutboxMessage(
                        workspace_id=workspace_id,
                        unique_key=message.unique_key,
                        kind=message.kind,
                        recipient=message.recipient,
                        tour_id=message.tour_id,
                        content_key=message.content_key,
                        payload=message.payload,
                        due_at=message.due_at,
                    )
                )
        except IntegrityError:
            pass

    def replace_pending_of_tour(
        self,
        workspace_id: str,
        tour_id: int,
        planned: Sequence[PlannedMessage],
        *,
        content_keys: Collection[str],
    ) -> None:
        """The tour's plan becomes `planned`: its pending rows with one of `content_keys` (the
        ones the plan produces) that are no longer in it go, the rest upserts. The tour's other
        rows are not the plan's to drop."""
        keys = [message.unique_key for message in planned]
        self.session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.tour_id == tour_id,
                OutboxMessage.status == PENDING,
                OutboxMessage.content_key.in_(content_keys),
                OutboxMessage.unique_key.not_in(keys),
            )
            .execution_options(synchronize_session=False)
        )
        self.upsert(workspace_id, planned)

    def cancel_pending_of_tour(self, workspace_id: str, tour_id: int) -> int:
        result = self.session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.tour_id == tour_id,
                OutboxMessage.status == PENDING,
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- reading ----------------------------------------------------------------------------

    def get(self, outbox_id: int) -> OutboxMessage | None:
        return self.session.get(OutboxMessage, outbox_id)

    def of_tour(self, workspace_id: str, tour_id: int) -> list[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.workspace_id == workspace_id, OutboxMessage.tour_id == tour_id)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
        return list(self.session.scalars(query))

    def by_key(self, workspace_id: str, unique_key: str) -> OutboxMessage | None:
        query = select(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.unique_key == unique_key
        )
        return self.session.scalars(query).first()

    def count_by_status(self, workspace_id: str) -> dict[str, int]:
        query = (
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.workspace_id == workspace_id)
            .group_by(OutboxMessage.status)
        )
        return {status: count for status, count in self.session.execute(query)}

    def operational_counts(self, now: datetime) -> dict[str, int]:
        """Rows of every workspace due and waiting, being sent, and failed: for monitoring."""
        state = case(
            (and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now), "due"),
            else_=OutboxMessage.status,
        )
        query = (
            select(state, func.count())
            .where(
                or_(
                    and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
                    OutboxMessage.status.in_([SENDING, FAILED]),
                )
            )
            .group_by(state)
        )
        return {name: count for name, count in self.session.execute(query)}

    def tour_parts(self, tour_id: int) -> tuple[Tour, Person, Opening, Team, Team | None] | None:
        """A tour with its visitor, opening, host team and home team, for planning its messages."""
        tour = self.session.get(Tour, tour_id)
        if tour is None:
            return None
        person = self.session.get(Person, tour.person_id)
        opening = self.session.get(Opening, tour.opening_id)
        host = self.session.get(Team, tour.host_team_id)
        home = self.session.get(Team, tour.home_team_id) if tour.home_team_id else None
        if person is None or opening is None or host is None:
            return None
        return tour, person, opening, host, home

    def tour_to_plan(self, workspace_id: str, tour_id: int) -> TourToPlan | None:
        """The workspace's tour as its messages are planned; None if it, its visitor, opening or
        host team is gone."""
        parts = self.tour_parts(tour_id)
        if parts is None or parts[0].workspace_id != workspace_id:
            return None
        tour, person, opening, host, home = parts
        facts = TourFacts(
            tour_id=tour.id,
            visitor=person.user_id,
            buddy=tour.buddy_user_id,
            host_leads=tuple(sorted(lead.user_id for lead in host.leads)),
            host_team=host.name,
            host_channel=host.channel_id,
            home_team=home.name if home is not None else None,
            home_channel=home.channel_id if home is not None else None,
            opening_title=opening.title,
            first_day_kit=opening.first_day_kit,
            work_mode=opening.work_mode,
            city=host.city,
            starts_on=tour.starts_on,
            ends_on=tour.ends_on,
            home_leads=tuple(sorted(lead.user_id for lead in home.leads)) if home else (),
        )
        return TourToPlan(facts, TourStatus(tour.status), visitor_zone=person.timezone)

    # --- claiming ---------------------------------------------------------------------------

    def claim_due(
        self, workspace_id: str, *, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[ClaimedMessage]:
        """Claims up to `limit` due rows for `owner` until `lease_until`; commit before sending.

        Due means pending and past its due time (and its retry time), or claimed by someone whose
        lease ran out: they may have died halfway through a post, so the row is then in doubt and
        the new owner looks in Slack before sending again. The claim counts as an attempt.
        """
        due = self._due(workspace_id, now)
        # Uninstalled or its token revoked: nothing more is claimed, in any process, from the
        # moment that is committed; rows claimed before it may complete.
        withdrawn = select(Workspace.id).where(
            Workspace.id == workspace_id,
            or_(Workspace.uninstalled_at.is_not(None), Workspace.tokens_revoked_at.is_not(None)),
        )
        claimable = and_(due, ~withdrawn.exists())
        claim = {
            "status": SENDING,
            "lease_owner": owner,
            "lease_until": lease_until,
            "attempts": OutboxMessage.attempts + 1,
            "maybe_sent_at": case(
                (OutboxMessage.status == SENDING, func.coalesce(OutboxMessage.maybe_sent_at, now)),
                else_=OutboxMessage.maybe_sent_at,
            ),
        }
        if self.session.get_bind().dialect.name == "postgresql":
            ids = list(
                self.session.scalars(
                    select(OutboxMessage.id)
                    .where(claimable)
                    .order_by(OutboxMessage.due_at, OutboxMessage.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            if ids:
                self._update(OutboxMessage.id.in_(ids), claim)
        else:
            # SQLite has no row locks: each row is claimed by one conditional UPDATE, and a row
            # someone else claimed first simply does not match any more.
            candidates = self.session.scalars(
                select(OutboxMessage.id)
                .where(claimable)
                .order_by(OutboxMessage.due_at, OutboxMessage.id)
                .limit(limit)
            ).all()
            ids = [
                outbox_id
                for outbox_id in candidates
                if self._update(and_(OutboxMessage.id == outbox_id, due), claim) == 1
            ]
        if not ids:
            return []
        return [
            _claimed(row, lease_until)
            for row in self.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .order_by(OutboxMessage.due_at, OutboxMessage.id)
                .execution_options(populate_existing=True)
            )
        ]

    @staticmethod
    def _due(workspace_id: str, now: datetime) -> ColumnElement[bool]:
        return and_(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.due_at <= now,
            or_(
                and_(
                    OutboxMessage.status == PENDING,
                    or_(
                        OutboxMessage.next_attempt_at.is_(None),
                        OutboxMessage.next_attempt_at <= now,
                    ),
                ),
                and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until <= now),
            ),
        )

    def expire_stale(
        self, workspace_id: str, stale_before: Mapping[str, datetime], reason: str
    ) -> int:
        """Expires, without a claim, the pending rows of each kind due before its cutoff that
        cannot be in Slack (not in doubt): nobody has to touch Slack to know they are too late."""
        expired = 0
        for kind, cutoff in stale_before.items():
            expired += self._update(
                and_(
                    OutboxMessage.workspace_id == workspace_id,
                    OutboxMessage.status == PENDING,
                    OutboxMessage.kind == kind,
                    OutboxMessage.due_at < cutoff,
                    OutboxMessage.maybe_sent_at.is_(None),
                ),
                {"status": EXPIRED, "next_attempt_at": None, "last_error": reason[:300]},
            )
        return expired

    def _update(self, where: ColumnElement[bool], values: dict[str, object]) -> int:
        # "evaluate" applies the change to rows this session already holds, in Python.
        result = self.session.execute(
            update(OutboxMessage)
            .where(where)
            .values(**values)
            .execution_options(synchronize_session="evaluate")
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- outcomes (only the claim's owner may record them) ----------------------------------

    def _finish(self, outbox_id: int, owner: str, **values: object) -> bool:
        held = and_(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == SENDING,
            OutboxMessage.lease_owner == owner,
        )
        return self._update(held, {"lease_owner": None, "lease_until": None, **values}) == 1

    def mark_sent(self, outbox_id: int, owner: str, *, channel: str, ts: str) -> bool:
        return self._finish(outbox_id, owner, status=SENT, sent_channel=channel, sent_ts=ts)

    def mark_failed(self, outbox_id: int, owner: str, reason: str) -> bool:
        return self._finish(outbox_id, owner, status=FAILED, last_error=reason[:300])

    def note_doubt(self, outbox_id: int, owner: str, now: datetime) -> bool:
        """The claim's owner does not know whether its post reached Slack: from now on the row is
        looked for in Slack before it is sent again, whoever sends it and however it is given
        back. False if the claim was lost meanwhile."""
        held = and_(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == SENDING,
            OutboxMessage.lease_owner == owner,
        )
        return self._update(held, {"maybe_sent_at": now}) == 1

    def mark_expired(self, outbox_id: int, owner: str, reason: str) -> bool:
        return self._finish(outbox_id, owner, status=EXPIRED, last_error=reason[:300])

    def retry_later(self, outbox_id: int, owner: str, *, at: datetime, reason: str) -> bool:
        return self._finish(
            outbox_id, owner, status=PENDING, next_attempt_at=at, last_error=reason[:300]
        )

    def release(self, outbox_id: int, owner: str, not_before: datetime | None = None) -> bool:
        """Gives the row back as if it had not been claimed: the attempt does not count (a doubt
        noted during it stays)."""
        return self._finish(
            outbox_id,
            owner,
            status=PENDING,
            attempts=OutboxMessage.attempts - 1,
            next_attempt_at=not_before,
        )

    # --- a workspace whose token Slack refuses (claim_due claims nothing of it) -------------

    def deliveries_paused(self, workspace_id: str) -> bool:
        workspace = self.session.get(Workspace, workspace_id)
        return workspace is not None and workspace.tokens_revoked_at is not None

    def pause_deliveries(self, workspace_id: str, now: datetime) -> bool:
        workspace = self.session.get(Workspace, workspace_id)
        if workspace is None or workspace.tokens_revoked_at is not None:
            return False
        workspace.tokens_revoked_at = now
        return True

    def resume_deliveries(self, workspace_id: str) -> bool:
        workspace = self.session.get(Workspace, workspace_id)
        if workspace is None or workspace.tokens_revoked_at is None:
            return False
        workspace.tokens_revoked_at = None
        return True


def _claimed(row: OutboxMessage, lease_until: datetime) -> ClaimedMessage:
    return ClaimedMessage(
        id=row.id,
        workspace_id=row.workspace_id,
        unique_key=row.unique_key,
        kind=row.kind,
        recipient=row.recipient,
        tour_id=row.tour_id,
        content_key=row.content_key,
        payload=dict(row.payload or {}),
        due_at=row.due_at,
        attempts=row.attempts,
        maybe_sent_at=row.maybe_sent_at,
        lease_until=lease_until,
        created_at=row.created_at,
        last_error=row.last_error,
    )
