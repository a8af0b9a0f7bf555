"""The one teams repository every feature reads, as the union of what each feature needs."""

from __future__ import annotations

from typing import Protocol

from bot.directory.service import DirectoryTeams
from bot.matching.ports import MatchedTeams
from bot.openings.service import Teams as OpeningTeams
from bot.profiles.service import Teams as ProfileTeams


class Teams(DirectoryTeams, OpeningTeams, ProfileTeams, MatchedTeams, Protocol):
    pass
