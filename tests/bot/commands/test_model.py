from bot.commands.model import CATALOGUE, closest_subcommands, parse_command_line
from handlers import subcommands


def test_command_line_is_split_into_name_and_arguments():
    line = parse_command_line("  Openings  kafka   streams ")
    assert line.name == "openings"
    assert line.args == ("kafka", "streams")
    assert line.raw_args == "kafka   streams"


def test_empty_text_has_no_name():
    assert parse_command_line("   ").name == ""


def names(typed: str, *, organiser: bool = False) -> list[str]:
    return [command.name for command in closest_subcommands(typed, organiser=organiser)]


def test_close_misspellings_are_suggested():
    assert names("hepl") == ["help"]
    assert names("mtach") == ["match"]
    assert names("opennings") == ["openings"]
    assert names("open") == ["openings"]  # the start of a name
    assert names("xyzzy") == []


def test_words_that_only_share_letters_are_not_typos():
    assert "extend" not in names("export")
    assert "status" not in names("pause")


def test_at_most_two_suggestions_closest_first():
    assert names("stat") == ["stats", "stay"]
    assert names("stauts") in (["status", "stats"], ["stats", "status"])  # both one edit away
    assert len(names("sta")) == 2


def test_organiser_commands_are_suggested_to_organisers_only():
    assert names("rond") == []
    assert names("rond", organiser=True) == ["round"]


def test_every_listed_subcommand_has_a_handler_and_back():
    assert {command.name for command in CATALOGUE} == set(subcommands())
