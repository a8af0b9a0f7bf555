"""Re-importing the directory never destroys data silently: the rules, on in-memory fakes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from bot.directory.model import BlackoutPeriod, TeamEntry
from bot.directory.team_file import COLUMNS, parse_team_csv
from bot.directory.team_import import (
    FieldChange,
    ImportReport,
    UnknownWorkspaceError,
    import_teams,
)
from bot.workspaces.model import Workspace
from bot.workspaces.service import InstalledWorkspace
from tests.bot.directory.test_editing import NOW, WORKSPACE, FakeTeams

HEADER = ",".join(COLUMNS) + "\n"
LISTINGS = TeamEntry(
    name="Listings",
    leads=("U0A", "U0B"),
    channel_id="C0LIST",
    city="Warsaw",
    away_cap=2,
    # A reason with the file's separator in it, as the team form allows.
    blackouts=(BlackoutPeriod(date(2026, 12, 14), date(2026, 12, 18), "freeze; no deploys"),),
    sprint_weeks=2,
    sprint_start=date(2026, 1, 5),
    visitors_per_quarter=1,
    rest_days=7,
)


class FakeWorkspaces:
    def __init__(self, *known: str) -> None:
        self.known = list(known)

    def get(self, workspace_id: str) -> Workspace | None:
        known = workspace_id in self.known
        return Workspace(workspace_id, "", None, NOW) if known else None

    def active(self) -> list[InstalledWorkspace]:
        return [InstalledWorkspace(workspace_id) for workspace_id in self.known]

    def register(self, installed: InstalledWorkspace, **_: Any) -> None:
        self.known.append(installed.id)


class FakeDirectory(FakeTeams):
    def __init__(self, *workspaces: str) -> None:
        super().__init__()
        self.actor = None  # the import runs from the command line: nobody to name
        self.workspaces = FakeWorkspaces(*workspaces)

    @contextmanager
    def unit_of_work(self) -> Iterator[Any]:
        with super().unit_of_work() as uow:
            yield SimpleNamespace(**vars(uow), workspaces=self.workspaces)


def with_listings() -> FakeDirectory:
    directory = FakeDirectory(WORKSPACE)
    directory.create(WORKSPACE, LISTINGS)
    return directory


@pytest.fixture
def directory() -> FakeDirectory:
    return with_listings()


def load(directory: FakeDirectory, rows: str, *, dry_run: bool = False) -> ImportReport:
    return import_teams(
        directory.unit_of_work,
        workspace_id=WORKSPACE,
        rows=parse_team_csv(HEADER + rows),
        source="teams.csv",
        now=NOW,
        dry_run=dry_run,
    )


def test_empty_cells_leave_every_field_as_it_is(directory):
    report = load(directory, "Listings,,,,,,,,,\n")
    assert report.unchanged == ["Listings"] and not report.updated
    assert directory.rows[1] == LISTINGS
    assert directory.audited == []  # nothing changed, nothing to record


def test_a_dash_clears_a_field_and_the_change_is_reported(directory):
    report = load(directory, "Listings,,-,-,-,-,-,-,-,-\n")
    [update] = report.updated
    assert directory.rows[1] == TeamEntry(name="Listings", leads=("U0A", "U0B"))
    assert update.changes == (
        FieldChange("channel", "C0LIST", ""),
        FieldChange("city", "Warsaw", ""),
        FieldChange("away_cap", "2", "1"),  # back to the default
        FieldChange("blackouts", "2026-12-14..2026-12-18 freeze; no deploys", ""),
        FieldChange("sprint_weeks", "2", ""),
        FieldChange("sprint_start", "2026-01-05", ""),
        FieldChange("visitors_per_quarter", "1", ""),
        FieldChange("rest_days", "7", "0"),
    )
    assert str(update.changes[0]) == "channel: C0LIST → (empty)"
    detail = {"added": [], "updated": ["Listings"], "unchanged": 0, "rejected": []}
    assert directory.audited == [("teams_imported", "teams.csv", detail)]


def test_a_filled_cell_replaces_only_its_field(directory):
    report = load(directory, "Listings,U0C,,Lisbon,,2027-01-04 on-call,,,,\n")
    assert [str(change) for change in report.updated[0].changes] == [
        "leads: U0A U0B → U0C",
        "city: Warsaw → Lisbon",
        "blackouts: 2026-12-14..2026-12-18 freeze; no deploys → 2027-01-04..2027-01-04 on-call",
    ]
    assert directory.rows[1] == replace(
        LISTINGS,
        leads=("U0C",),
        city="Lisbon",
        blackouts=(BlackoutPeriod(date(2027, 1, 4), date(2027, 1, 4), "on-call"),),
    )


def test_a_row_that_would_leave_a_rule_half_set_is_rejected(directory):
    """Clearing only the sprint's length would leave its start alone: refused, as in the form."""
    report = load(directory, "Listings,,,,,,-,,,\nSearch,-,,,,,,,,\n")
    assert [(row.line, row.reasons[0][:13]) for row in report.rejected] == [
        (2, "sprint_weeks:"),
        (3, "leads: Name a"),  # leads are required: `-` cannot clear them
    ]
    assert directory.rows == {1: LISTINGS}


def test_a_name_keeps_its_stored_spelling_and_says_so(directory):
    report = load(directory, "  LISTINGS ,,,Lisbon,,,,,,\n")
    assert directory.rows[1].name == "Listings"
    assert [(u.name, u.spelled) for u in report.respelled] == [("Listings", "LISTINGS")]
    assert "Listings keeps its name (the file says LISTINGS)" in report.change_lines()[-1]
    assert load(directory, "Listings,,,,,,,,,\n").respelled == []


def test_a_new_team_reads_a_dash_as_empty():
    directory = FakeDirectory(WORKSPACE)
    report = load(directory, "Search,U0A,-,-,,,,,,\n")
    assert report.added == ["Search"]
    assert directory.rows[1] == TeamEntry(name="Search", leads=("U0A",))
    assert report.change_lines() == ["Search: new team"]


def test_a_dry_run_reports_the_same_and_commits_nothing(directory):
    """The fake has no rollback: leaving the unit of work uncommitted is what a dry run does."""
    rows = "Listings,,,Lisbon,,,,,,\nSearch,U0A,,,,,,,,\n"
    dry = load(directory, rows, dry_run=True)
    assert (dry.added, [u.name for u in dry.updated]) == (["Search"], ["Listings"])
    assert directory.commits == 0 and directory.audited == []
    real_directory = with_listings()
    real = load(real_directory, rows)
    assert real.change_lines() == dry.change_lines()
    assert real_directory.commits == 1 and real_directory.actions == ["teams_imported"]


def test_a_fresh_database_registers_the_named_workspace():
    directory = FakeDirectory()
    report = load(directory, "Search,U0A,,,,,,,,\n")
    assert report.registered_workspace and directory.workspaces.known == [WORKSPACE]
    assert not load(directory, "Search,U0A,,,,,,,,\n").registered_workspace


def test_a_database_serving_another_workspace_refuses_an_unknown_one():
    directory = FakeDirectory("T0OTHER")
    with pytest.raises(UnknownWorkspaceError) as refused:
        load(directory, "Search,U0A,,,,,,,,\n")
    assert refused.value.known == ("T0OTHER",)
    assert directory.rows == {} and directory.workspaces.known == ["T0OTHER"]
