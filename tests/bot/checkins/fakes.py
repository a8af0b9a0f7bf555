"""An in-memory stand-in for the check-in port: one visit, its answers and what was shipped."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.checkins.model import Question, WeekAnswer, parse_answer
from bot.core.visits import TourStatus, TourVisit
from tests.bot.applications.fakes import NOW, WORKSPACE
from tests.bot.core.fakes import FakeAudit, FakeOutbox

VISITOR, BUDDY, HOST_LEAD, STRANGER = "U0VISITOR", "U0BUDDY", "U0HOSTLEAD", "U0STRANGER"
HOME_LEAD = "U0HOMELEAD"
TOUR = 7


VISIT = TourVisit(
    tour_id=TOUR,
    status=TourStatus.ACTIVE,
    starts_on=date(2026, 11, 16),
    ends_on=date(2026, 12, 13),
    buddy=BUDDY,
    visitor=VISITOR,
    visitor_timezone=None,
    opening_title="Tune",
    host_team="Search",
    host_leads=(HOST_LEAD,),
    home_team="Listings",
    home_leads=(HOME_LEAD,),
)
ANSWER_FIELDS = {
    Question.MOOD: "mood",
    Question.MEETINGS: "meetings",
    Question.PULLED_BACK: "pulled_back",
}


@dataclass
class FakeCheckins:
    tour: TourVisit = VISIT
    rows: dict[int, WeekAnswer] = field(default_factory=dict)
    shipped_items: list[str] = field(default_factory=list)
    # The organiser alerts claimed, as (week, kind, when).
    claims: list[tuple[int, str, datetime]] = field(default_factory=list)
    # Whether each read locked the tour: answers take turns, looks before a modal only read.
    locks: list[bool] = field(default_factory=list)

    def visit(self, workspace_id: str, tour_id: int, *, lock: bool) -> TourVisit | None:
        self.locks.append(lock)
        return self.tour if (workspace_id, tour_id) == (WORKSPACE, TOUR) else None

    def answer_of_week(self, _tour_id: int, week: int) -> WeekAnswer | None:
        return self.rows.get(week)

    def answers(self, tour_id: int) -> list[WeekAnswer]:
        return sorted(self.rows.values(), key=lambda answer: answer.week) if tour_id == TOUR else []

    def shipped(self, _tour_id: int) -> list[str]:
        return self.shipped_items

    def record(
        self, workspace_id: str, tour_id: int, week: int, column: str, value: str, **more: Any
    ) -> bool:
        assert (workspace_id, tour_id, more["by"], more["now"]) == (WORKSPACE, TOUR, VISITOR, NOW)
        question = Question(column)
        answer = self.rows.get(week, WeekAnswer(week))
        if answer.answered(question):
            return False
        chosen = {ANSWER_FIELDS[question]: parse_answer(question, value)}
        details = more.get("details") or answer.details
        self.rows[week] = replace(answer, **chosen, details=details)
        return True

    def claim_alert(self, tour_id: int, week: int, kind: str, now: datetime) -> bool:
        answer = self.rows[week] if tour_id == TOUR else None
        alerted = f"{kind}_alerted"
        if answer is None or getattr(answer, alerted):
            return False
        self.rows[week] = replace(answer, **{alerted: True})
        self.claims.append((week, kind, now))
        return True

    def add_shipped(self, workspace_id: str, tour_id: int, items: list[str], **by: Any) -> None:
        assert (workspace_id, tour_id, by) == (WORKSPACE, TOUR, {"by": VISITOR, "now": NOW})
        self.shipped_items += items


class FakeUnitOfWork:
    """What one person (the visitor unless said otherwise) does to the visit."""

    def __init__(self, actor: str = VISITOR) -> None:
        self.checkins = FakeCheckins()
        self.outbox = FakeOutbox()
        self.audit = FakeAudit(actor)
        self.planned = self.outbox.planned
        self.audited = self.audit.entries
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1
