"""`tourism export` on a real database: every data set reads back to the same rows from CSV and
from JSON, retro text only with its author's consent, people by their ids, one workspace at a
time when asked."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.export.files import csv_cell
from bot.export.model import COLUMNS, Dataset
from cli import main
from storage.models import CheckinAnswer, Retro
from storage.unit_of_work import SqlUnitOfWork
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour
from tests.test_import_teams import run, uow  # noqa: F401 (fixtures: a migrated database, its env)

OTHER_WORKSPACE = "T0OTHER"
AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
# Text that CSV must quote: a comma, quotes, a line break, and letters beyond ASCII.
AWKWARD = 'Kafka, "exactly once"\nand Ærø'


@pytest.fixture
def seeded(uow: Callable[[], SqlUnitOfWork]) -> dict[str, int]:  # noqa: F811
    with uow() as unit:
        home = seed_team(unit, "Commissions", leads=("U0HOMELEAD",))
        host = seed_team(unit, "Streaming", leads=("U0HOSTLEAD",))
        sharer = seed_person(
            unit, "U0SHARER", home_team_id=home.id, learn_topics=["kafka"], city=AWKWARD
        )
        private = seed_person(unit, "U0PRIVATE", note="Moving teams soon")
        seed_person(unit, "U0ELSEWHERE", workspace_id=OTHER_WORKSPACE)
        window = {"earliest_start": date(2026, 11, 2), "latest_end": date(2027, 3, 1)}
        opening = seed_opening(unit, host, AWKWARD, topics=["kafka", "go"], **window)
        shared = seed_tour(
            unit, sharer, opening, starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 29)
        )
        kept = seed_tour(
            unit, private, opening, starts_on=date(2026, 12, 7), ends_on=date(2027, 1, 3)
        )
        for tour, shareable in ((shared, True), (kept, False)):
            unit.session.add(
                Retro(
                    workspace_id=WORKSPACE,
                    tour_id=tour.id,
                    learned=AWKWARD,
                    bring_back=["replay tests", AWKWARD],
                    stuck=["replay tests"],
                    rating=4,
                    length_verdict="right",
                    shareable=shareable,
                    created_at=AT,
                )
            )
        unit.session.add(
            CheckinAnswer(
                workspace_id=WORKSPACE,
                tour_id=shared.id,
                week=1,
                mood="need_help",
                details="Nobody talks to me",
                answered_by="U0SHARER",
                answered_at=AT,
            )
        )
        unit.commit()
        return {"shared": shared.id, "kept": kept.id, "opening": opening.id}


@pytest.fixture
def export(run, tmp_path: Path) -> Callable[..., str]:  # noqa: F811 (run: the env, database)
    def export_as(what: str, format: str, *extra: str) -> str:
        out = tmp_path / f"{what}.{format}"
        assert main(["export", "--what", what, "--format", format, "--out", str(out), *extra]) == 0
        return out.read_text(encoding="utf-8")

    return export_as


@pytest.mark.parametrize("dataset", list(Dataset))
def test_every_data_set_reads_back_the_same_from_csv_and_json(seeded, export, dataset: Dataset):
    rows: list[dict[str, Any]] = json.loads(export(dataset.value, "json", "--workspace", WORKSPACE))
    assert rows, "the seeded database has rows of every data set"
    assert all(tuple(row) == COLUMNS[dataset] for row in rows)
    as_csv = export(dataset.value, "csv", "--workspace", WORKSPACE)
    read_back = list(csv.DictReader(io.StringIO(as_csv)))
    assert read_back == [{name: csv_cell(value) for name, value in row.items()} for row in rows]


def test_retro_text_is_exported_only_with_consent(seeded, export):
    retros = {row["visit_id"]: row for row in json.loads(export("retros", "json"))}
    shared, kept = retros[seeded["shared"]], retros[seeded["kept"]]
    assert (shared["learned"], shared["bring_back"]) == (AWKWARD, ["replay tests", AWKWARD])
    assert (kept["learned"], kept["bring_back"], kept["stuck"]) == (None, None, None)
    assert (kept["visitor_id"], kept["rating"], kept["shareable"]) == ("U0PRIVATE", 4, False)
    [private_line] = [line for line in export("retros", "csv").splitlines() if "U0PRIVATE" in line]
    assert "replay tests" not in private_line


def test_people_are_their_ids_and_private_text_stays_home(seeded, export):
    people = json.loads(export("people", "json", "--workspace", WORKSPACE))
    assert [person["user_id"] for person in people] == ["U0SHARER", "U0PRIVATE"]
    assert people[0]["city"] == AWKWARD and people[0]["learn_topics"] == ["kafka"]
    everything = "".join(export(what.value, "json") for what in Dataset)
    assert "Moving teams soon" not in everything  # a profile's note
    assert "Nobody talks to me" not in everything  # a check-in's "Need help" text
    assert "xox" not in everything  # no token of any kind


def test_without_a_workspace_every_workspace_is_exported(seeded, export):
    people = json.loads(export("people", "json"))
    assert {(p["workspace_id"], p["user_id"]) for p in people} >= {
        (OTHER_WORKSPACE, "U0ELSEWHERE"),
        (WORKSPACE, "U0SHARER"),
    }
    assert "U0ELSEWHERE" not in export("people", "csv", "--workspace", WORKSPACE)


def test_the_audit_export_holds_the_history(seeded, export):
    audit = json.loads(export("audit", "json", "--workspace", WORKSPACE))
    opening = [row for row in audit if row["subject"] == f"opening:{seeded['opening']}"]
    assert opening[0]["action"] == "record_created"
    assert opening[0]["detail"]["changes"]["status"] == [None, "open"]


def test_an_unknown_workspace_stops_with_status_2(run, capsys):  # noqa: F811
    assert main(["export", "--what", "visits", "--format", "csv", "--workspace", "T0NONE"]) == 2
    assert "no workspace T0NONE" in capsys.readouterr().err


def test_without_out_the_export_goes_to_stdout(seeded, run, capsys):  # noqa: F811
    assert main(["export", "--what", "checkins", "--format", "csv"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split(",") == list(COLUMNS[Dataset.CHECKINS])
    assert row.startswith(f"{WORKSPACE},{seeded['shared']},U0SHARER,1,need_help,")
