"""The one place domain code asks for "now".

A file clock lets demos and black-box tests travel in time: the current instant is whatever ISO 8601
timestamp the file holds, re-read on every call so a test can move time while the bot runs.
Request signatures never use this clock; Slack checks them against real time.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class ClockFileError(ValueError):
    pass


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for unit tests of the domain."""

    def __init__(self, instant: datetime) -> None:
        self._instant = _as_utc(instant)

    def now(self) -> datetime:
        return self._instant

    def move_to(self, instant: datetime) -> None:
        self._instant = _as_utc(instant)


class FileClock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._last_good = read_clock_file(path)

    def now(self) -> datetime:
        try:
            self._last_good = read_clock_file(self.path)
        except (OSError, ClockFileError) as error:
            # Someone is rewriting the file mid-read, or broke it: keep time where it was.
            log.warning("clock file unreadable, keeping %s: %s", self._last_good.isoformat(), error)
        return self._last_good


def read_clock_file(path: Path) -> datetime:
    text = path.read_text(encoding="utf-8").strip()
    try:
        return _as_utc(datetime.fromisoformat(text))
    except ValueError:
        raise ClockFileError(
            f"must hold an ISO 8601 timestamp such as 2026-12-01T09:00:00+01:00, not {text[:40]!r}."
        ) from None


def _as_utc(instant: datetime) -> datetime:
    # A timestamp without an offset is read as UTC, the scheduler's own zone.
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def clock_for(path: Path | None) -> Clock:
    return FileClock(path) if path is not None else SystemClock()
