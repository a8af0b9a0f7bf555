"""The programme in numbers, for organisers: plain data the views render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgrammeStats:
    teams: int
    people: int
    looking: int
    openings: Mapping[str, int]  # by status
    applications: Mapping[str, int]  # by status
    tours: Mapping[str, int]  # by status
    retros: int
    average_rating: float | None
    length_verdicts: Mapping[str, int]  # too_short | right | too_long
    shared_back: int  # visits whose share-back was done or booked

    @property
    def share_back_rate(self) -> float | None:
        completed = self.tours.get("completed", 0)
        return self.shared_back / completed if completed else None
