"""In-memory openings and teams for the opening use cases: fast enough for a mutation run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.directory.model import Team
from bot.openings.model import ListedOpening, OpeningDraft, PostedOpening, same_title

WORKSPACE = "T0TEST"


@dataclass
class FakeTeams:
    rows: list[Team] = field(default_factory=list)

    def get(self, workspace_id: str, team_id: int) -> Team | None:
        return next((t for t in self.all(workspace_id) if t.id == team_id), None)

    def all(self, workspace_id: str) -> list[Team]:
        return self.rows if workspace_id == WORKSPACE else []

    def led_by(self, workspace_id: str, user_id: str) -> list[Team]:
        return [t for t in self.all(workspace_id) if user_id in t.leads]


@dataclass
class FakeOpenings:
    teams: FakeTeams
    rows: list[PostedOpening] = field(default_factory=list)

    def get(self, workspace_id: str, opening_id: int) -> PostedOpening | None:
        return next(
            (o for o in self.rows if o.id == opening_id and o.workspace_id == workspace_id), None
        )

    def open(self, workspace_id: str, team_ids: Sequence[int] | None = None) -> list[PostedOpening]:
        return [o for o in self.rows if o.workspace_id == workspace_id and o.is_open]

    def listing(self, workspace_id: str, *, with_topics: bool) -> list[ListedOpening]:
        return [
            ListedOpening(o.id, o.draft.team_id or 0, o.draft.topics, *_window(o.draft))
            for o in self.open(workspace_id)
        ]

    def by_ids(self, workspace_id: str, opening_ids: Sequence[int]) -> dict[int, PostedOpening]:
        found = [self.get(workspace_id, opening_id) for opening_id in opening_ids]
        return {opening.id: opening for opening in found if opening is not None}

    def open_title_taken(
        self, workspace_id: str, team_id: int, title: str, *, except_id: int | None
    ) -> bool:
        return any(
            o.draft.team_id == team_id and same_title(o.title, title) and o.id != except_id
            for o in self.open(workspace_id)
        )

    def create(
        self, workspace_id: str, draft: OpeningDraft, *, created_by: str, now: datetime
    ) -> PostedOpening:
        team = self.teams.get(workspace_id, draft.team_id or 0)
        assert team is not None
        opening = PostedOpening(
            id=len(self.rows) + 1,
            workspace_id=workspace_id,
            team_name=team.name,
            team_lead_ids=tuple(team.leads),
            draft=draft,
            status="open",
            seats_taken=0,
            created_by=created_by,
            announcement=None,
        )
        self.rows.append(opening)
        return opening

    def update(self, workspace_id: str, opening_id: int, draft: OpeningDraft) -> PostedOpening:
        return self._replace(workspace_id, opening_id, draft=draft)

    def set_status(self, workspace_id: str, opening_ids: Sequence[int], status: str) -> None:
        for opening_id in opening_ids:
            self._replace(workspace_id, opening_id, status=status)

    def set_announcement(self, *_: Any) -> None:  # not asked by these tests
        raise NotImplementedError

    def _replace(self, workspace_id: str, opening_id: int, **changes: Any) -> PostedOpening:
        old = self.get(workspace_id, opening_id)
        assert old is not None
        new = replace(old, **changes)
        self.rows[self.rows.index(old)] = new
        return new


@dataclass
class FakeAudit:
    actions: list[str] = field(default_factory=list)

    def record(self, workspace_id: str, *, action: str, **_details: Any) -> None:
        self.actions.append(action)


class FakeOpeningStore:
    """One store; each `unit_of_work()` sees it, and `commits` counts the commits."""

    def __init__(self) -> None:
        self.teams = FakeTeams()
        self.openings = FakeOpenings(self.teams)
        self.audit = FakeAudit()
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1

    @contextmanager
    def unit_of_work(self) -> Iterator[FakeOpeningStore]:
        yield self

    def add_team(self, team_id: int, name: str, *leads: str) -> Team:
        team = Team(team_id, name, leads)
        self.teams.rows.append(team)
        return team


def _window(draft: OpeningDraft) -> tuple[date | None, int | None, date | None]:
    return draft.latest_end, draft.weeks, draft.apply_by
