from bot.commands.model import CATALOGUE, closest_subcommands, parse_command_line
from handlers.tourism_command import SUBCOMMAND_HANDLERS


def test_command_line_is_split_into_name_and_arguments():
    line = parse_command_line("  Openings  kafka   streams ")
    assert line.name == "openings"
    assert line.args == ("kafka", "streams")
    assert line.raw_args == "kafka   streams"


def test_empty_text_has_no_name():
    assert parse_command_line("   ").name == ""


def test_close_misspellings_are_suggested():
    assert [command.name for command in closest_subcommands("hepl")] == ["help"]
    assert closest_subcommands("xyzzy") == []


def test_every_listed_subcommand_has_a_handler_and_back():
    assert {command.name for command in CATALOGUE} == set(SUBCOMMAND_HANDLERS)
