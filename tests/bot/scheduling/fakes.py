"""In-memory stand-ins for the scheduling ports: an outbox of planned rows, an audit log, a
workspace's pause, the shipped log and open openings. Fast enough for a mutation run."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.core.visits import TourStatus
from bot.openings.model import PostedOpening
from bot.scheduling.model import ClaimedMessage, TourToPlan
from bot.scheduling.planning import Kind, PlannedMessage, TourFacts
from tests.bot.scheduling.test_planning import facts

WORKSPACE = "T0TEST"
NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def tour_facts(
    starts_on: date = date(2026, 3, 2), ends_on: date = date(2026, 3, 29), **fields: Any
) -> TourFacts:
    """Tour 7 of test_planning, from Monday 2 March 2026 for four weeks unless told."""
    return facts(starts_on, ends_on, **fields)


def claimed(
    kind: str = Kind.KICKOFF, recipient: str = "U0VISITOR", tour_id: int | None = 7, **fields: Any
) -> ClaimedMessage:
    values: dict[str, Any] = {
        "id": 41,
        "workspace_id": WORKSPACE,
        "unique_key": f"tour:{tour_id}:{kind}:{recipient}:1",
        "kind": kind,
        "recipient": recipient,
        "tour_id": tour_id,
        "content_key": str(kind),
        "payload": tour_facts().payload(),
        "due_at": NOW,
        "attempts": 1,
        "maybe_sent_at": None,
        "lease_until": NOW + timedelta(minutes=5),
        "created_at": NOW - timedelta(days=1),
        "last_error": "",
    }
    return ClaimedMessage(**(values | fields))


@dataclass(frozen=True)
class Row:
    """A row as the fake keeps it: what was planned, its status, and what recorded it."""

    message: PlannedMessage
    status: str = "pending"
    note: str = ""


@dataclass
class FakeOutbox:
    tours: dict[int, TourToPlan] = field(default_factory=dict)
    rows: dict[str, Row] = field(default_factory=dict)
    held: set[int] = field(default_factory=set)  # ids whose claim the owner "A" still holds
    recorded: list[tuple[str, int, str]] = field(default_factory=list)  # (what, id, detail)
    paused: dict[str, bool] = field(default_factory=lambda: {WORKSPACE: False})

    def add_tour(self, facts: TourFacts, status: TourStatus = TourStatus.SCHEDULED) -> None:
        self.tours[facts.tour_id] = TourToPlan(facts, status, visitor_zone="Europe/Warsaw")

    def of_tour(self, tour_id: int) -> dict[str, Row]:
        return {key: row for key, row in self.rows.items() if row.message.tour_id == tour_id}

    def upsert(self, workspace_id: str, planned: Iterable[PlannedMessage]) -> None:
        for message in planned:
            row = self.rows.get(message.unique_key)
            if row is None or row.status == "pending":
                self.rows[message.unique_key] = Row(message)

    def replace_pending_of_tour(
        self,
        workspace_id: str,
        tour_id: int,
        planned: Sequence[PlannedMessage],
        *,
        content_keys: Collection[str],
    ) -> None:
        keys = {message.unique_key for message in planned}
        for key, row in self.of_tour(tour_id).items():
            dropped = row.message.content_key in content_keys and key not in keys
            if row.status == "pending" and dropped:
                del self.rows[key]
        self.upsert(workspace_id, planned)

    def cancel_pending_of_tour(self, workspace_id: str, tour_id: int) -> int:
        pending = [key for key, row in self.of_tour(tour_id).items() if row.status == "pending"]
        for key in pending:
            del self.rows[key]
        return len(pending)

    def tour_to_plan(self, workspace_id: str, tour_id: int) -> TourToPlan | None:
        return self.tours.get(tour_id) if workspace_id == WORKSPACE else None

    def _finish(self, what: str, outbox_id: int, owner: str, detail: str = "") -> bool:
        if owner != "A" or outbox_id not in self.held:
            return False
        self.held.discard(outbox_id)
        self.recorded.append((what, outbox_id, detail))
        return True

    def mark_sent(self, outbox_id: int, owner: str, *, channel: str, ts: str) -> bool:
        return self._finish("sent", outbox_id, owner, f"{channel} {ts}")

    def mark_failed(self, outbox_id: int, owner: str, reason: str) -> bool:
        return self._finish("failed", outbox_id, owner, reason)

    def mark_expired(self, outbox_id: int, owner: str, reason: str) -> bool:
        return self._finish("expired", outbox_id, owner, reason)

    def retry_later(self, outbox_id: int, owner: str, *, at: datetime, reason: str) -> bool:
        return self._finish("retry", outbox_id, owner, f"{at.isoformat()} {reason}")

    def release(self, outbox_id: int, owner: str, not_before: datetime | None = None) -> bool:
        return self._finish("released", outbox_id, owner, str(not_before))

    def deliveries_paused(self, workspace_id: str) -> bool:
        return self.paused.get(workspace_id, False)

    def pause_deliveries(self, workspace_id: str, now: datetime) -> bool:
        if self.paused.get(workspace_id, True):
            return False
        self.paused[workspace_id] = True
        return True

    def resume_deliveries(self, workspace_id: str) -> bool:
        if not self.paused.get(workspace_id, False):
            return False
        self.paused[workspace_id] = False
        return True


@dataclass
class FakeAudit:
    entries: list[dict[str, Any]] = field(default_factory=list)

    def record(
        self,
        workspace_id: str,
        *,
        action: str,
        actor_user_id: str | None,
        now: datetime,
        subject: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.entries.append({"action": action, "subject": subject, "detail": detail or {}})

    def actions(self) -> list[str]:
        return [entry["action"] for entry in self.entries]


@dataclass
class FakeOpenings:
    """Only what the digest reads: the open openings."""

    rows: list[PostedOpening] = field(default_factory=list)

    def open(self, workspace_id: str, team_ids: Sequence[int] | None = None) -> list[PostedOpening]:
        return [o for o in self.rows if o.workspace_id == workspace_id and o.is_open]


@dataclass
class FakeShipped:
    items: dict[int, list[str]] = field(default_factory=dict)

    def shipped(self, tour_id: int) -> list[str]:
        return list(self.items.get(tour_id, []))


@dataclass
class FakeUnitOfWork:
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
    openings: FakeOpenings = field(default_factory=FakeOpenings)
    checkins: FakeShipped = field(default_factory=FakeShipped)
    commits: int = 0

    def commit(self) -> None:
        self.commits += 1

    @contextmanager
    def factory(self) -> Iterator[FakeUnitOfWork]:
        """`with uow.factory() as uow:` — every transaction sees the same rows."""
        yield self
