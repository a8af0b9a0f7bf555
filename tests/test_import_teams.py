"""`tourism import-teams FILE` on a real database: idempotent, updating, reporting rejected rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, select

from bot.directory.team_file import parse_team_csv
from bot.directory.team_import import import_teams
from cli import main
from infra.fake_slack import FakeSlack
from storage.db import create_db_engine, session_factory
from storage.models import AuditEntry, Team, Workspace
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.seed import WORKSPACE, seed_workspace
from tests.test_cli import run_tourism

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_YAML = ROOT / "examples" / "teams.yml"
EXAMPLE_CSV = ROOT / "examples" / "teams.csv"
HEADER = (
    "name,leads,channel,city,away_cap,blackouts,sprint_weeks,sprint_start,"
    "visitors_per_quarter,rest_days\n"
)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def uow(database_url: str) -> Iterator[Callable[[], SqlUnitOfWork]]:
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    with SqlUnitOfWork(sessions) as unit:
        seed_workspace(unit)
        unit.commit()
    yield lambda: SqlUnitOfWork(sessions)
    engine.dispose()


@pytest.fixture
def run(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uow
) -> Callable[..., int]:
    """`tourism import-teams …` in this process, settings from a clean environment."""
    monkeypatch.chdir(tmp_path)  # no developer's .env
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run_import(path: Path, *extra: str) -> int:
        return main(["import-teams", str(path), *extra])

    return run_import


def snapshot(uow: Callable[[], SqlUnitOfWork]) -> list[tuple]:
    """Every team as stored, ids included, with its leads and blackouts."""
    with uow() as unit:
        return [
            (
                team.id,
                team.name,
                team.channel_id,
                team.city,
                team.away_cap,
                team.sprint_weeks,
                team.sprint_start,
                team.visitors_per_quarter,
                team.rest_days_between_visitors,
                sorted((lead.id, lead.user_id) for lead in team.leads),
                sorted((b.id, b.starts_on, b.ends_on, b.reason) for b in team.blackouts),
            )
            for team in unit.session.scalars(select(Team).order_by(Team.id))
        ]


def audit(uow: Callable[[], SqlUnitOfWork]) -> list[tuple[str, dict]]:
    with uow() as unit:
        rows = unit.session.execute(select(AuditEntry.action, AuditEntry.detail))
        return [(action, detail) for action, detail in rows]


def test_importing_twice_changes_nothing(run, uow, capsys):
    assert run(EXAMPLE_YAML, "--workspace", WORKSPACE) == 0
    assert "8 added, 0 updated, 0 unchanged, 0 rejected." in capsys.readouterr().out
    first = snapshot(uow)
    assert len(first) == 8
    assert run(EXAMPLE_YAML, "--workspace", WORKSPACE) == 0
    assert "0 added, 0 updated, 8 unchanged, 0 rejected." in capsys.readouterr().out
    assert snapshot(uow) == first
    [(action, detail)] = audit(uow)  # the second run recorded nothing either
    assert action == "teams_imported"
    assert len(detail["added"]) == 8


def test_the_csv_and_yaml_examples_describe_the_same_directory(run, uow, capsys):
    assert run(EXAMPLE_CSV, "--workspace", WORKSPACE) == 0
    first = snapshot(uow)
    assert run(EXAMPLE_YAML, "--workspace", WORKSPACE) == 0
    assert "0 added, 0 updated, 8 unchanged" in capsys.readouterr().out
    assert snapshot(uow) == first


def test_a_changed_row_updates_its_team_and_its_leads(run, uow, tmp_path, capsys):
    path = tmp_path / "teams.csv"
    path.write_text(
        HEADER
        + "Search,U0A U0B,,Warsaw,1,2026-12-14..2026-12-18 freeze,,,,\n"
        + "Mobile,U0C,,,,,,,,\n"
    )
    assert run(path, "--workspace", WORKSPACE) == 0
    before = {row[1]: row for row in snapshot(uow)}
    path.write_text(
        HEADER
        + "search,U0B;U0D,C0SEARCH,Warsaw,2,2027-01-04 on-call,2,2026-01-05,3,7\n"
        + "Mobile,U0C,,,,,,,,\n"
    )
    assert run(path, "--workspace", WORKSPACE) == 0
    out = capsys.readouterr().out
    assert "0 added, 1 updated, 1 unchanged, 0 rejected." in out
    assert "Search keeps its name (the file says search)" in out
    after = {row[1]: row for row in snapshot(uow)}
    assert after["Mobile"] == before["Mobile"]
    search = after["Search"]  # the stored spelling stays
    assert search[0] == before["Search"][0]
    assert search[2:9] == ("C0SEARCH", "Warsaw", 2, 2, datetime(2026, 1, 5).date(), 3, 7)
    assert [user for _, user in search[9]] == ["U0B", "U0D"]
    assert search[9][0] in before["Search"][9]  # U0B kept its row
    assert [b[1:] for b in search[10]] == [
        (datetime(2027, 1, 4).date(), datetime(2027, 1, 4).date(), "on-call")
    ]
    [_, (action, detail)] = audit(uow)
    assert (action, detail["updated"], detail["unchanged"]) == ("teams_imported", ["Search"], 1)


FULL_LISTINGS = (
    "Listings,U0A U0B,C0LIST,Warsaw,2,2026-12-14..2026-12-18 freeze; 2027-01-04 on-call,"
    "2,2026-01-05,1,7\n"
)


def test_empty_cells_leave_a_team_as_it_is_and_the_changes_are_printed(run, uow, tmp_path, capsys):
    """The issue's row: empty columns and a lower-case name used to wipe Listings."""
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + FULL_LISTINGS)
    assert run(path, "--workspace", WORKSPACE) == 0
    [before] = snapshot(uow)
    path.write_text(HEADER + "listings,,,,,,,,,\n")
    assert run(path, "--workspace", WORKSPACE) == 0
    assert "0 added, 0 updated, 1 unchanged, 0 rejected." in capsys.readouterr().out
    assert snapshot(uow) == [before]
    path.write_text(HEADER + "Listings,U0A,-,Lisbon,,-,,,-,\n")
    assert run(path, "--workspace", WORKSPACE) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "tourism: Listings:",
        "           leads: U0A U0B → U0A",
        "           channel: C0LIST → (empty)",
        "           city: Warsaw → Lisbon",
        "           blackouts: 2026-12-14..2026-12-18 freeze; 2027-01-04..2027-01-04 on-call"
        " → (empty)",
        "           visitors_per_quarter: 1 → (empty)",
        f"tourism: {path}: 0 added, 1 updated, 0 unchanged, 0 rejected.",
    ]
    [after] = snapshot(uow)
    assert after[1:9] == ("Listings", None, "Lisbon", 2, 2, datetime(2026, 1, 5).date(), None, 7)
    assert after[10] == []


def test_a_dry_run_prints_the_changes_and_saves_nothing(run, uow, tmp_path, capsys):
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + FULL_LISTINGS)
    assert run(path, "--workspace", WORKSPACE) == 0
    before = snapshot(uow)
    capsys.readouterr()
    path.write_text(HEADER + "Listings,,,Lisbon,,,,,,\nSearch,U0C,,,,,,,,\n")
    assert run(path, "--workspace", WORKSPACE, "--dry-run") == 0
    assert capsys.readouterr().out.splitlines() == [
        "tourism: Search: new team",
        "tourism: Listings:",
        "           city: Warsaw → Lisbon",
        f"tourism: {path}: dry run, nothing saved; it would be "
        "1 added, 1 updated, 0 unchanged, 0 rejected.",
    ]
    assert snapshot(uow) == before
    assert len(audit(uow)) == 1  # the first import's only
    path.write_text(HEADER + "Listings,nobody,,,,,,,,\n")
    assert run(path, "--workspace", WORKSPACE, "--dry-run") == 1  # as the import would
    assert snapshot(uow) == before


def test_the_readme_example_works_on_a_fresh_database(tmp_path: Path):
    """The README's first run, word for word, from the checkout, on a database nobody made."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    command = ["import-teams", "examples/teams.yml", "--workspace", "T0123ABCD"]
    assert f"tourism {' '.join(command)}" in (ROOT / "README.md").read_text()
    result = run_tourism(command, env, ROOT)
    assert result.returncode == 0, result.stderr
    assert "workspace T0123ABCD is new to this database and was added" in result.stdout
    assert "8 added, 0 updated, 0 unchanged, 0 rejected." in result.stdout
    again = run_tourism(command, env, ROOT)
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 updated, 8 unchanged, 0 rejected." in again.stdout
    assert "new to this database" not in again.stdout


def test_rejected_rows_are_reported_with_their_lines_and_the_rest_saved(run, uow, tmp_path, capsys):
    path = tmp_path / "teams.csv"
    path.write_text(
        HEADER
        + "Search,U0A,,,,,,,,\n"
        + "Mobile,,,,,,,,,\n"
        + "Listings,U0B,,,,2026-12-18..2026-12-14 freeze,,,,\n"
        + "\n"
        + "Delivery,U0C,,,99,,2,,,\n"
        + "SEARCH,U0D,,,,,,,,\n"
        + "Payments,U0E,,,,,,,,\n"
    )
    assert run(path, "--workspace", WORKSPACE) == 1
    out, err = capsys.readouterr()
    assert "2 added, 0 updated, 0 unchanged, 4 rejected." in out
    lines = err.splitlines()
    assert f"tourism: {path} line 3 (Mobile): leads: Name at least one lead" in lines[0]
    assert lines[1] == (
        f"tourism: {path} line 4 (Listings): "
        "blackouts: Period 1 (2026-12-18..2026-12-14 freeze): it ends before it starts."
    )
    assert lines[2] == (
        f"tourism: {path} line 6 (Delivery): away_cap: Use a whole number from 0 to 50, not 99. "
        "sprint_start: Give both the sprint length and the date a sprint started, or neither: "
        "visits start with a sprint only when both are known."
    )
    assert "line 7 (SEARCH): name: SEARCH is already on line 2; give each team one row." in lines[3]
    assert sorted(row[1] for row in snapshot(uow)) == ["Payments", "Search"]


def test_yaml_rows_are_reported_with_their_lines(run, uow, tmp_path, capsys):
    path = tmp_path / "teams.yaml"
    path.write_text(
        "teams:\n"
        "  - name: Search\n"
        "    leads: [U0A]\n"
        "  - name: Mobile\n"
        "    lead: U0B\n"
        "  - name: Listings\n"
        "    leads: U0C\n"
        "    sprint_start: 2026-01-05\n"
    )
    assert run(path, "--workspace", WORKSPACE) == 1
    err = capsys.readouterr().err
    assert f"{path} line 4 (Mobile): unknown key 'lead'" in err
    assert f"{path} line 6 (Listings): sprint_weeks: Give both" in err
    assert [row[1] for row in snapshot(uow)] == ["Search"]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("teams.yml", "teams: [\n", "not valid YAML"),
        ("teams.csv", "name,lead\nSearch,U0A\n", "unknown column 'lead'"),
        ("teams.json", "[]", "use a .csv, .yml or .yaml file"),
    ],
)
def test_an_unreadable_file_stops_with_status_2(run, uow, tmp_path, capsys, name, text, problem):
    path = tmp_path / name
    path.write_text(text)
    assert run(path, "--workspace", WORKSPACE) == 2
    assert problem in capsys.readouterr().err
    assert snapshot(uow) == []


def test_a_missing_file_stops_with_status_2(run, tmp_path, capsys):
    assert run(tmp_path / "nowhere.csv", "--workspace", WORKSPACE) == 2
    assert "cannot read it" in capsys.readouterr().err


def test_a_workspace_the_database_does_not_serve_is_refused(run, uow, capsys):
    """A database serving another workspace refuses a new one: most likely a typo."""
    assert run(EXAMPLE_YAML, "--workspace", "T0OTHER") == 2
    assert f"this database serves workspace {WORKSPACE}, not T0OTHER" in capsys.readouterr().err
    assert snapshot(uow) == []


def test_without_a_workspace_slack_says_which_it_is(
    run, uow, monkeypatch, fake_slack: FakeSlack, capsys
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.base_url)
    assert run(EXAMPLE_YAML) == 0
    assert fake_slack.calls("auth.test")
    with uow() as unit:
        workspace = unit.session.get(Workspace, fake_slack.team_id)
        assert workspace is not None and workspace.bot_user_id == fake_slack.bot_user_id
        owners = set(unit.session.scalars(select(Team.workspace_id)))
    assert owners == {fake_slack.team_id}


def test_with_many_workspaces_the_workspace_must_be_named(
    run, uow, monkeypatch, fake_slack: FakeSlack, capsys
):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_CLIENT_ID", "1234.5678")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "client-secret-for-tests")
    monkeypatch.setenv("SLACK_STATE_SECRET", "a-state-secret-long-enough")
    assert run(EXAMPLE_YAML) == 2
    assert "name one with --workspace" in capsys.readouterr().err
    assert fake_slack.calls("auth.test") == [] and snapshot(uow) == []


def test_the_console_command_exits_with_the_status(database_url: str, tmp_path: Path, uow):
    path = tmp_path / "teams.csv"
    path.write_text(HEADER + "Search,U0A,,,,,,,,\nMobile,nobody,,,,,,,,\n")
    env = {"DATABASE_URL": database_url}
    result = run_tourism(["import-teams", str(path), "--workspace", WORKSPACE], env, tmp_path)
    assert result.returncode == 1, result.stderr
    assert "1 added, 0 updated, 0 unchanged, 1 rejected." in result.stdout
    assert "line 3 (Mobile): leads: nobody is not a Slack user ID" in result.stderr
    assert "Traceback" not in result.stderr


def count_statements(uow: Callable[[], SqlUnitOfWork], rows_text: str) -> Counter[str]:
    """The statements an import sends, by kind (SELECT, INSERT, UPDATE, ...)."""
    statements: Counter[str] = Counter()

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements[statement.split(maxsplit=1)[0]] += 1

    with uow() as unit:
        engine = unit.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        report = import_teams(
            uow,
            workspace_id=WORKSPACE,
            rows=parse_team_csv(HEADER + rows_text),
            source="t",
            now=NOW,
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert not report.rejected
    return statements


@pytest.mark.parametrize("teams", [10, 600])
def test_the_number_of_queries_does_not_grow_with_the_file(uow, database_url: str, teams: int):
    """No query per row, adding, updating or leaving teams as they are. PostgreSQL also gets
    each table's inserts in one statement; SQLite (in process, no round trips) inserts row by
    row, as SQLAlchemy does there for tables with autoincrement keys."""

    def rows(city: str) -> str:
        return "".join(
            f"Team {n},U0A{n} U0B{n},,{city},,2026-12-14..2026-12-18 freeze,,,,\n"
            for n in range(teams)
        )

    for city in ("Warsaw", "Lisbon", "Lisbon"):  # added, updated, unchanged
        statements = count_statements(uow, rows(city))
        assert statements["SELECT"] <= 8, statements  # selectin loads go by 500 teams
        assert statements["UPDATE"] <= 1, statements
        if database_url.startswith("postgresql"):
            assert sum(statements.values()) <= 15, statements


def test_imported_text_is_cleaned_and_names_match_in_every_script(run, uow, tmp_path, capsys):
    path = tmp_path / "teams.yml"
    path.write_text(
        '- name: "\\u00dcber Da\\u200bta"\n  leads: [U0A]\n  city: "\\u202eWarsaw\\u202c"\n'
        "- name: Cafe\u0301\n  leads: [U0B]\n",
        encoding="utf-8",
    )
    assert run(path, "--workspace", WORKSPACE) == 0
    assert teams_and_cities(uow) == [("Über Data", "Warsaw"), ("Café", None)]
    path.write_text("- name: über data\n  leads: [U0A]\n- name: CAFÉ\n  leads: [U0B]\n")
    assert run(path, "--workspace", WORKSPACE) == 0
    assert "0 added, 0 updated, 2 unchanged, 0 rejected." in capsys.readouterr().out
    assert teams_and_cities(uow) == [("Über Data", "Warsaw"), ("Café", None)]


def teams_and_cities(uow: Callable[[], SqlUnitOfWork]) -> list[tuple[str, str | None]]:
    with uow() as unit:
        rows = unit.session.execute(select(Team.name, Team.city).order_by(Team.id)).all()
    return [(name, city) for name, city in rows]
