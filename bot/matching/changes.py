"""Keeping a matching index current: an organisation's changed records applied to it, and its
index updated rather than rebuilt when only visitors (and their applications) moved.

The storage layer reloads the records a change names and hands them here; the result always
answers like a fresh `MatchIndex` of the changed organisation (the property tests check it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from bot.matching.index import MatchIndex, tour_order
from bot.matching.model import Application, Opening, Organisation, Team, Tour, Visitor


@dataclass(frozen=True)
class OrganisationChanges:
    """Records as they are now, by id (None: gone or, for openings, no longer open). The tours and
    applications of every visitor in `visitors` are given whole in `tours` and `applications`."""

    visitors: Mapping[str, Visitor | None] = field(default_factory=dict)
    openings: Mapping[str, Opening | None] = field(default_factory=dict)
    teams: Mapping[str, Team | None] = field(default_factory=dict)
    tours: tuple[Tour, ...] = ()
    applications: tuple[Application, ...] = ()

    @property
    def only_visitors(self) -> bool:
        return not self.openings and not self.teams


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Record = TypeVar("Record", bound=_Identified)


def _replaced(
    records: tuple[Record, ...], changed: Mapping[str, Record | None]
) -> tuple[Record, ...]:
    """`records` with the changed ones replaced in place, the gone ones left out and the new ones
    added at the end: positions of the others stay, so an index can be patched."""
    if not changed:
        return records
    kept = [changed.get(r.id, r) for r in records]
    known = {r.id for r in records}
    added = [r for i, r in changed.items() if i not in known and r is not None]
    return tuple(r for r in [*kept, *added] if r is not None)


def apply_changes(org: Organisation, changes: OrganisationChanges) -> Organisation:
    visitors = changes.visitors
    return replace(
        org,
        visitors=_replaced(org.visitors, visitors),
        openings=_replaced(org.openings, changes.openings),
        teams=_replaced(org.teams, changes.teams),
        tours=(*(t for t in org.tours if t.visitor_id not in visitors), *changes.tours),
        applications=(
            *(a for a in org.applications if a.visitor_id not in visitors),
            *changes.applications,
        ),
    )


def updated_index(index: MatchIndex, org: Organisation, changes: OrganisationChanges) -> MatchIndex:
    """The index of `org`, which is `index.org` with `changes` applied: patched when only visitors
    and their applications moved, else built again from the rows of the teams and visitors that
    stayed (a visit or an opening moves rarities, caps, limits)."""
    before = [t for t in index.org.tours if t.visitor_id in changes.visitors]
    same_tours = sorted(before, key=tour_order) == sorted(changes.tours, key=tour_order)
    if changes.only_visitors and same_tours:
        return index.with_visitors(org, changes.visitors)
    return MatchIndex(org, index.weights, previous=index)
