"""`tourism demo` as a newcomer runs it: the whole programme plays, and the page shows it."""

import io
from pathlib import Path

from infra.demo import run_demo
from infra.demo.stage import Stage, any_of


def test_the_demo_plays_the_whole_programme_and_keeps_its_page(tmp_path: Path):
    out = io.StringIO()
    assert run_demo(keep=tmp_path, out=out) == 0, out.getvalue()[-3000:]
    transcript = out.getvalue()
    for line in (
        "Irena Wójcik (organiser of the programme) runs `tourism import-teams teams.yaml`",
        "types `/tourism match`",
        "MATCHING ROUND: BEST TOTAL FIT",
        ":warning: Agreeing goes over the limit.",
        "YOUR TEAM TOURISM VISIT STARTS TODAY",
        "asked for help in week 1",
        "How often did your home team pull you back this week? *Often*",
        "asks to stay *1 more week*",
        "Share-back session on",
        "TEAM TOURISM IN NUMBERS",
        "the whole programme ran in",
    ):
        assert line in transcript
    page = (tmp_path / "transcript.html").read_text(encoding="utf-8")
    assert "<script" not in page
    for surface in ("surface modal", "surface home", "surface message", "surface ephemeral"):
        assert surface in page
    assert "class='button primary'" in page and "class='header'" in page
    assert (tmp_path / "tourism.db").stat().st_size > 0


def test_a_step_the_bot_leaves_unanswered_stops_the_demo_with_why(tmp_path: Path):
    def programme(stage: Stage, _workdir: Path) -> None:
        organiser = stage.cast("U0ORGANISER", "Irena Wójcik", "organiser")
        stage.command(organiser, "stats", any_of(None, organiser, "in numbers"))
        stage.click(organiser, "no_such_button")

    out = io.StringIO()
    assert run_demo(keep=tmp_path, out=out, programme=programme) == 1
    transcript = out.getvalue()
    assert "Irena Wójcik (organiser) types `/tourism stats`" in transcript
    assert "FAILED at the last step above: Irena Wójcik was never shown a 'no_such_button'" in (
        transcript
    )
    assert (tmp_path / "transcript.html").exists()
