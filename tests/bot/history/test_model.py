"""Reading `/tourism history` arguments, and paging a long history back from its latest entry."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.history.model import (
    PAGE_SIZE,
    HistoryEntry,
    HistoryRef,
    Record,
    Target,
    history_page,
    parse_history_ref,
)

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "ref"),
    [
        (("12",), HistoryRef(Target.APPLICATION, 12)),
        (("application", "12"), HistoryRef(Target.APPLICATION, 12)),
        (("Visit", "5"), HistoryRef(Target.VISIT, 5)),
        ((), None),
        (("visit",), None),
        (("tour", "5"), None),
        (("12", "13"), None),
        (("-1",), None),
        (("١٢",), None),  # digits, but not ASCII ones
        (("1234567890",), None),  # beyond any id
    ],
)
def test_history_arguments(args, ref):
    assert parse_history_ref(args) == ref


def entries(count: int) -> list[HistoryEntry]:
    return [
        HistoryEntry(AT + timedelta(hours=n), "U0LEAD", Record.APPLICATION, n, False, ())
        for n in range(count)
    ]


def test_the_first_page_is_the_latest_and_pages_go_back_in_time():
    many = entries(PAGE_SIZE * 2 + 5)
    latest = history_page(many, 0)
    assert latest.entries == tuple(many[-PAGE_SIZE:])
    assert (latest.earlier, latest.later) == (True, False)
    oldest = history_page(many, 2)
    assert oldest.entries == tuple(many[:5])
    assert (oldest.earlier, oldest.later) == (False, True)
    assert history_page(many, 99) == oldest  # a page past the end is the oldest


def test_a_short_history_is_one_page():
    few = entries(3)
    assert history_page(few, 0).entries == tuple(few)
    assert history_page([], 0).entries == ()
    assert not history_page(few, 0).earlier and not history_page(few, 0).later
