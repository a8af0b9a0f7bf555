"""Week masks: the lowest start week, and the start options a round chooses among."""

from __future__ import annotations

import numpy as np

from bot.matching.calendar import lowest_week
from bot.matching.rounds import start_options


def test_the_lowest_week_of_an_empty_mask_is_none_and_warns_nothing():
    masks = np.array([0b1000, 0, 1, 1 << 40], dtype=np.uint64)
    with np.errstate(all="raise"):
        assert lowest_week(masks).tolist() == [3, -1, 0, 40]


def test_a_pair_no_start_week_allows_has_no_start_option():
    rows, weeks = start_options(np.array([0b110, 0, 0b1], dtype=np.uint64))
    assert list(zip(rows.tolist(), weeks.tolist(), strict=True)) == [(0, 1), (0, 2), (2, 0)]
