"""Reading a visit's history on an in-memory log: who may, by application or by visit, pages."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.history.model import PAGE_SIZE, HistoryEntry, HistoryRef, HistoryVisit, Record, Target
from bot.history.service import REFUSAL, USAGE, Reader, VisitHistory, visit_history

WORKSPACE = "T0TEST"
AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
VISIT = HistoryVisit(
    application_id=12,
    tour_id=5,
    visitor_id="U0VISITOR",
    opening_title="Learn the ledger",
    host_lead_ids=("U0HOST",),
    home_lead_ids=("U0HOME",),
)
NOT_BOOKED = HistoryVisit(13, None, "U0OTHER", "Learn search", ("U0HOST",), ())


def entry(record: Record, record_id: int) -> HistoryEntry:
    return HistoryEntry(AT, "U0HOST", record, record_id, False, ())


@dataclass
class FakeHistory:
    visits: list[HistoryVisit] = field(default_factory=lambda: [VISIT, NOT_BOOKED])
    entries: dict[str, list[HistoryEntry]] = field(
        default_factory=lambda: {
            "application:12": [entry(Record.APPLICATION, 12)],
            "tour:5": [entry(Record.TOUR, 5)],
            "application:13": [entry(Record.APPLICATION, 13)],
        }
    )

    def of_subjects(self, workspace_id: str, subjects: Sequence[str]) -> list[HistoryEntry]:
        assert workspace_id == WORKSPACE
        return [found for subject in subjects for found in self.entries.get(subject, [])]

    def visit_of_application(self, workspace_id: str, application_id: int):
        return self._find(workspace_id, lambda visit: visit.application_id == application_id)

    def visit_of_tour(self, workspace_id: str, tour_id: int):
        return self._find(workspace_id, lambda visit: visit.tour_id == tour_id)

    def _find(self, workspace_id, wanted):
        found = [visit for visit in self.visits if wanted(visit)]
        return found[0] if found and workspace_id == WORKSPACE else None


@dataclass
class FakeReads:
    history: FakeHistory = field(default_factory=FakeHistory)


def read(user_id: str, target: Target = Target.APPLICATION, ref_id: int = 12, **options):
    reader = Reader(options.pop("workspace_id", WORKSPACE), user_id, frozenset({"U0ORG"}))
    return visit_history(FakeReads(), reader, HistoryRef(target, ref_id), **options)


def test_the_visitor_both_teams_leads_and_the_organisers_may_read_it():
    for user_id in ("U0VISITOR", "U0HOST", "U0HOME", "U0ORG"):
        history = read(user_id)
        assert isinstance(history, VisitHistory), user_id
        assert history.visit == VISIT


def test_anyone_else_is_refused():
    assert read("U0BUDDY") == REFUSAL
    assert read("U0HOME", ref_id=13) == REFUSAL  # a lead of another visitor's home team


def test_a_visit_reads_the_application_and_the_tour_by_either_id():
    by_application, by_visit = read("U0VISITOR"), read("U0VISITOR", Target.VISIT, 5)
    assert by_application == by_visit
    assert [found.record for found in by_application.page.entries] == [
        Record.APPLICATION,
        Record.TOUR,
    ]


def test_an_application_never_booked_has_only_its_own_history():
    history = read("U0OTHER", ref_id=13)
    assert history.visit.tour_id is None
    assert [found.record_id for found in history.page.entries] == [13]


def test_what_is_not_there_or_is_another_workspaces_is_named_with_the_usage():
    assert read("U0ORG", ref_id=99) == f"There is no application 99 here. {USAGE}"
    assert read("U0ORG", Target.VISIT, 12) == f"There is no visit 12 here. {USAGE}"
    assert read("U0ORG", workspace_id="T0OTHER").startswith("There is no application 12")


def test_the_page_asked_for_is_shown():
    reads = FakeReads()
    reads.history.entries["application:12"] = [entry(Record.APPLICATION, 12)] * (PAGE_SIZE + 1)
    reader = Reader(WORKSPACE, "U0VISITOR", frozenset())
    ref = HistoryRef(Target.APPLICATION, 12)
    assert visit_history(reads, reader, ref).page.earlier
    earlier = visit_history(reads, reader, ref, page=1).page
    assert (earlier.page, earlier.later, len(earlier.entries)) == (1, True, 2)
