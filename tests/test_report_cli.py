"""`tourism report`: the organisers' figures in a terminal, as a newcomer runs it."""

from pathlib import Path

import pytest

from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.unit_of_work import SqlUnitOfWork
from tests.support.stats import seed_programme
from tests.test_cli import run_tourism

TODAY = "2026-11-23T09:00:00+00:00"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'tourism.db'}"
    migrate.upgrade(url)
    engine = create_db_engine(url)
    with SqlUnitOfWork(session_factory(engine)) as uow:
        seed_programme(uow)
    engine.dispose()
    (tmp_path / "now").write_text(TODAY)
    return {
        "DATABASE_URL": url,
        "TOURISM_TIMEZONE": "Europe/Warsaw",
        "TOURISM_CLOCK_FILE": str(tmp_path / "now"),
    }


def test_report_prints_every_figure_of_the_quarter_and_year(env, tmp_path: Path):
    result = run_tourism(["report"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n\n")[:3] == [
        "== T0TEST ==\nTeam tourism in numbers: Q4 2026 and 2026, as of 2026-11-23",
        "Visits\n"
        "                     Q4 2026  2026\n"
        "started                    3     4\n"
        "completed                  2     3\n"
        "cancelled                  1     1\n"
        "distinct visitors          3     4\n"
        "distinct host teams        2     2",
        "Host teams (visitors hosted, planned included)\n"
        "team       limit a quarter  Q4 2026  2026  rating  busiest buddy\n"
        "Streaming                2        2     3     4.0       3 visits\n"
        "Payments                 –        2     2     4.0        1 visit",
    ]
    for expected in (
        "4+ weeks       1     5.0          0      1         0",
        "Nov 2026        1                   1               1            1",
        "Shared back at home: 2 of 3 completed visits (67%)",
        "What stuck after 90 days: 1 of 2 items brought home (50%)",
        "Openings nobody applied to (1):\n  Idle",
        "Decisions waiting over a week (1):\n  U0EVE for Kafka: submitted since 2026-11-10",
    ):
        assert expected in result.stdout


def test_report_between_chosen_dates(env, tmp_path: Path):
    args = ["report", "--since", "2025-01-01", "--until", "2025-12-31", "--workspace", "T0TEST"]
    result = run_tourism(args, env, tmp_path)
    assert result.returncode == 0, result.stderr
    header = " " * 21 + "2025-01-01 – 2025-12-31"
    assert f"{header}\nstarted{' ' * 36}1\n" in result.stdout
    assert "Shared back at home: 0 of 1 completed visit (0%)" in result.stdout


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--workspace", "T0NOPE"], "tourism: no such workspace installed: T0NOPE."),
        (["--since", "2026-12-01", "--until", "2026-11-01"], "--since must not be after --until"),
        (["--since", "2026-02-30"], "'2026-02-30' is not a date like 2026-10-01"),
    ],
)
def test_report_explains_what_it_cannot_do(env, tmp_path: Path, args, problem):
    result = run_tourism(["report", *args], env, tmp_path)
    assert result.returncode == 2
    assert problem in result.stderr and "Traceback" not in result.stderr
