"""Checks and parsing shared by the forms."""

from bot.core.forms import TopicCheck, check_new_topics, one_item_a_line
from bot.core.topics import default_vocabulary


def test_one_item_a_line_keeps_the_non_blank_lines_stripped():
    assert one_item_a_line("  https://x/pull/1 \r\n\n \t\n deploy of ledger\n") == [
        "https://x/pull/1",
        "deploy of ledger",
    ]
    assert one_item_a_line("\n \n") == []
    assert one_item_a_line("") == []


def test_the_closest_vocabulary_entries_are_offered_for_a_typo():
    vocabulary = default_vocabulary()
    assert vocabulary.closest("Kafak") == ("kafka",)
    assert vocabulary.closest("kubernets") == ("kubernetes",)
    assert vocabulary.closest("hermes") == ()  # nothing close: no guess


def test_only_topics_the_vocabulary_lacks_and_nobody_kept_need_a_tick():
    check = TopicCheck(default_vocabulary())
    errors: dict[str, str] = {}
    check_new_topics(errors, "topics", ("kafka", "hermes"), check, kept=("hermes",))
    assert errors == {}
    check_new_topics(errors, "topics", ("a1", "a2", "a3", "a4", "a5"), check)
    assert errors["topics_other"].startswith("Not in the topic list: a1, a2, a3 and 2 more.")
    ticked: dict[str, str] = {}
    check_new_topics(ticked, "topics", ("hermes",), TopicCheck(check.vocabulary, True))
    assert ticked == {}
    # A problem already shown for the field comes first.
    shown = {"topics": "Keep it to 20."}
    check_new_topics(shown, "topics", ("hermes",), check)
    assert shown == {"topics": "Keep it to 20."}
