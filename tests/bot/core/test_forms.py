"""Checks and parsing shared by the forms."""

from bot.core.forms import one_item_a_line


def test_one_item_a_line_keeps_the_non_blank_lines_stripped():
    assert one_item_a_line("  https://x/pull/1 \r\n\n \t\n deploy of ledger\n") == [
        "https://x/pull/1",
        "deploy of ledger",
    ]
    assert one_item_a_line("\n \n") == []
    assert one_item_a_line("") == []
