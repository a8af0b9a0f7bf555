"""Reading a visit's history: the application, the visit it became and its extensions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.history.model import (
    HistoryPage,
    HistoryRef,
    HistoryVisit,
    Target,
    history_page,
    may_see_history,
)
from bot.history.ports import HistoryReads

REFUSAL = "A visit's history is for the visitor, the two teams' leads and the organisers."
USAGE = "Usage: `/tourism history APPLICATION-ID` or `/tourism history visit VISIT-ID`."


@dataclass(frozen=True)
class Reader:
    """Who asks for a history, in which workspace."""

    workspace_id: str
    user_id: str
    organisers: frozenset[str]


@dataclass(frozen=True)
class VisitHistory:
    visit: HistoryVisit
    page: HistoryPage


def visit_history(
    uow: HistoryReads, reader: Reader, ref: HistoryRef, page: int = 0
) -> VisitHistory | str:
    """The page of the history, or why not, in words fit to show the person who asked."""
    if ref.target is Target.VISIT:
        visit = uow.history.visit_of_tour(reader.workspace_id, ref.id)
    else:
        visit = uow.history.visit_of_application(reader.workspace_id, ref.id)
    if visit is None:
        return f"There is no {ref.target.value} {ref.id} here. {USAGE}"
    if not may_see_history(reader.user_id, visit, reader.organisers):
        return REFUSAL
    entries = uow.history.of_subjects(reader.workspace_id, visit.subjects())
    return VisitHistory(visit, history_page(entries, page))
