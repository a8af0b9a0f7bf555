from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.clock import ClockFileError, FileClock, SystemClock, read_clock_file


def test_system_clock_is_aware_utc():
    assert SystemClock().now().tzinfo is UTC


def test_file_clock_travels_in_time(tmp_path: Path):
    path = tmp_path / "now.txt"
    path.write_text("2026-12-01T10:00:00+01:00\n")
    clock = FileClock(path)
    assert clock.now() == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    path.write_text("2027-01-04T08:30:00Z")
    assert clock.now() == datetime(2027, 1, 4, 8, 30, tzinfo=UTC)


def test_naive_timestamp_is_utc(tmp_path: Path):
    path = tmp_path / "now.txt"
    path.write_text("2026-12-01T10:00:00")
    assert read_clock_file(path) == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_a_broken_file_keeps_the_last_good_time(tmp_path: Path):
    path = tmp_path / "now.txt"
    path.write_text("2026-12-01T10:00:00Z")
    clock = FileClock(path)
    path.write_text("")
    assert clock.now() == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(ClockFileError):
        read_clock_file(path)
