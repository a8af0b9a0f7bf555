"""The team directory's domain: reading drafts, blackout periods, names, and directory files."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.directory.model import (
    BlackoutPeriod,
    TeamDraft,
    TeamEntry,
    draft_of,
    parse_period,
    read_team,
    similar_names,
    sort_periods,
    split_leads,
)
from bot.directory.team_file import TeamFileError, parse_team_csv, parse_team_yaml, read_team_file

GOOD = TeamDraft(name="Search", leads=("U0LEAD1",))


def test_a_minimal_draft_takes_the_defaults():
    entry, errors = read_team(GOOD, name_taken=False)
    assert errors == {}
    assert entry == TeamEntry(name="Search", leads=("U0LEAD1",), away_cap=1, rest_days=0)


def test_spacing_in_names_and_duplicate_leads_are_tidied():
    entry, _ = read_team(
        TeamDraft(name="  Web   Performance ", leads=("U0B", "U0A", "U0B")), name_taken=False
    )
    assert entry is not None
    assert (entry.name, entry.leads) == ("Web Performance", ("U0A", "U0B"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2026-12-14..2026-12-18 release freeze",
            BlackoutPeriod(date(2026, 12, 14), date(2026, 12, 18), "release freeze"),
        ),
        ("2026-12-14 .. 2026-12-18", BlackoutPeriod(date(2026, 12, 14), date(2026, 12, 18))),
        (
            "2026-12-15  app   store day",
            BlackoutPeriod(date(2026, 12, 15), date(2026, 12, 15), "app store day"),
        ),
    ],
)
def test_periods_are_read(text: str, expected: BlackoutPeriod):
    assert parse_period(text) == (expected, "")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("next week", "write a period as"),
        ("2026-12-14..", "write a period as"),
        ("14.12.2026..18.12.2026", "write a period as"),
        ("2026-12-18..2026-12-14", "it ends before it starts."),
        ("2026-12-14 " + "x" * 201, "keep the reason to 200 characters."),
    ],
)
def test_bad_periods_say_what_is_wrong(text: str, problem: str):
    period, found = parse_period(text)
    assert period is None
    assert problem in found


def test_the_first_bad_blackout_line_is_named_with_its_number():
    draft = TeamDraft(
        name="Search", leads=("U0A",), blackouts="2026-12-14 ok\n\n2026-13-01 broken\nnonsense"
    )
    _, errors = read_team(draft, name_taken=False)
    assert errors == {
        "blackouts": "Line 3 (2026-13-01 broken): write a period as "
        "2026-12-14..2026-12-18 release freeze (the reason is optional)."
    }


def test_an_import_separates_periods_with_semicolons():
    draft = TeamDraft(name="Search", leads=("U0A",), blackouts="2027-01-04; 2026-12-14..x")
    _, errors = read_team(draft, name_taken=False, separator=";")
    assert errors["blackouts"].startswith("Period 2 (2026-12-14..x):")


def test_blackouts_are_kept_earliest_first():
    draft = TeamDraft(name="S", leads=("U0A",), blackouts="2027-01-04 b\n2026-12-14 a")
    entry, _ = read_team(draft, name_taken=False)
    assert entry is not None
    assert [period.reason for period in entry.blackouts] == ["a", "b"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"name": ""}, {"name"}),
        ({"name": "x" * 151}, {"name"}),
        ({"leads": ()}, {"leads"}),
        ({"leads": ("alice",)}, {"leads"}),
        ({"channel": "#search"}, {"channel"}),
        ({"city": "x" * 101}, {"city"}),
        ({"away_cap": "51"}, {"away_cap"}),
        ({"away_cap": "one"}, {"away_cap"}),
        ({"sprint_weeks": "2"}, {"sprint_start"}),
        ({"sprint_start": "2026-01-05"}, {"sprint_weeks"}),
        ({"sprint_weeks": "0", "sprint_start": "2026-01-05"}, {"sprint_weeks"}),
        ({"sprint_weeks": "2", "sprint_start": "5 Jan"}, {"sprint_start"}),
        ({"visitors_per_quarter": "-1"}, {"visitors_per_quarter"}),
        ({"rest_days": "366"}, {"rest_days"}),
    ],
)
def test_each_problem_is_keyed_by_its_field(changes: dict, errors: set[str]):
    fields = {"name": "Search", "leads": ("U0LEAD1",)} | changes
    entry, found = read_team(TeamDraft(**fields), name_taken=False)
    assert entry is None
    assert set(found) == errors


def test_a_taken_name_is_refused():
    _, errors = read_team(GOOD, name_taken=True)
    assert errors == {"name": "There is already a team called Search: pick another name."}


periods = st.builds(
    lambda start, days, reason: BlackoutPeriod(
        start, start.fromordinal(start.toordinal() + days), reason
    ),
    st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    st.integers(0, 30),
    st.text(st.characters(categories=("L", "N")), max_size=20),
)
sprints = st.just((None, None)) | st.tuples(st.integers(1, 6), st.dates())
entries = st.builds(
    lambda sprint, **fields: TeamEntry(sprint_weeks=sprint[0], sprint_start=sprint[1], **fields),
    sprint=sprints,
    name=st.text(st.characters(categories=("L", "N", "P")), min_size=1, max_size=150),
    leads=st.lists(
        st.from_regex(r"U[A-Z0-9]{4,10}", fullmatch=True), min_size=1, max_size=5, unique=True
    ).map(lambda leads: tuple(sorted(leads))),
    channel_id=st.none() | st.from_regex(r"C[A-Z0-9]{4,10}", fullmatch=True),
    city=st.text(st.characters(categories=("L",)), max_size=30),
    away_cap=st.integers(0, 50),
    blackouts=st.lists(periods, max_size=5).map(sort_periods),
    visitors_per_quarter=st.none() | st.integers(0, 50),
    rest_days=st.integers(0, 365),
)


@given(entries)
def test_an_entry_survives_the_form_unchanged(entry: TeamEntry):
    """What the edit form is prefilled with reads back as the same entry."""
    assert read_team(draft_of(entry), name_taken=False) == (entry, {})


def test_leads_are_split_on_spaces_commas_and_semicolons():
    assert split_leads(" U01, U02;U03  U04,, ") == ("U01", "U02", "U03", "U04")


def test_similar_names_ignore_case_and_include_those_containing_the_text():
    names = ["Search", "Search Quality", "Research", "Mobile"]
    assert similar_names("SEARCH", names) == ["Search", "Search Quality", "Research"]
    assert similar_names("mobil", names) == ["Mobile"]
    assert similar_names("Payments", names) == []


# --- directory files ------------------------------------------------------------------------


def test_csv_rows_carry_the_line_they_start_on():
    rows = parse_team_csv(
        "Name, LEADS ,blackouts\n"
        'Search,"U0A, U0B",2026-12-14..2026-12-18 freeze;2027-01-04\n'
        "\n"
        '"Two\nlines",U0C\n'
        "Mobile,U0D,,surplus\n"
    )
    assert [row.line for row in rows] == [2, 4, 6]
    assert rows[0].draft == TeamDraft(
        name="Search", leads=("U0A", "U0B"), blackouts="2026-12-14..2026-12-18 freeze;2027-01-04"
    )
    assert rows[2].problems == ("it has 4 cells but the header names 3 columns.",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("name,lead\n", "unknown column 'lead'"),
        ("leads,city\n", "the header needs a name column"),
        ("name,name\n", "column name appears twice"),
    ],
)
def test_a_csv_file_that_cannot_be_read_is_refused_whole(text: str, problem: str):
    with pytest.raises(TeamFileError, match=problem):
        parse_team_csv(text)


def test_yaml_values_are_read_as_text_and_lists_are_joined():
    rows = parse_team_yaml(
        "teams:\n"
        "  - name: Search\n"
        "    leads: [U0A, U0B]\n"
        "    city: No\n"
        "    away_cap: 2\n"
        "    sprint_start: 2026-01-05\n"
        "    blackouts:\n"
        "      - 2026-12-14..2026-12-18 freeze\n"
        "      - 2027-01-04\n"
        "  - name: Mobile\n"
        "    lead: U0C\n"
        "  - just a string\n"
    )
    assert [row.line for row in rows] == [2, 10, 12]
    assert rows[0].draft == TeamDraft(
        name="Search",
        leads=("U0A", "U0B"),
        city="No",
        away_cap="2",
        sprint_start="2026-01-05",
        blackouts="2026-12-14..2026-12-18 freeze;2027-01-04",
    )
    assert rows[1].problems[0].startswith("unknown key 'lead'")
    assert rows[2].problems == ("expected a team with keys such as `name:`.",)


def test_a_top_level_yaml_list_works_too():
    [row] = parse_team_yaml("- name: Search\n  leads: U0A\n")
    assert row.draft.leads == ("U0A",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("teams: [", "line 1: not valid YAML"),
        ("name: Search\n", "put the teams in a list under `teams:`"),
        ("teams: Search\n", "expected a list of teams"),
    ],
)
def test_a_yaml_file_that_cannot_be_read_is_refused_whole(text: str, problem: str):
    with pytest.raises(TeamFileError, match=problem):
        parse_team_yaml(text)


def test_the_extension_says_which_format(tmp_path):
    with pytest.raises(TeamFileError, match=r"use a \.csv, \.yml or \.yaml file"):
        read_team_file(tmp_path / "teams.txt")
    with pytest.raises(TeamFileError, match="cannot read it"):
        read_team_file(tmp_path / "missing.csv")
