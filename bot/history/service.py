"""Reading a visit's history: the application, the visit it became and its extensions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.applications.service import snapshot
from bot.applications.visit import VisitSnapshot
from bot.history.model import (
    HistoryPage,
    HistoryRef,
    Target,
    history_page,
    may_see_history,
)

REFUSAL = "A visit's history is for the visitor, the two teams' leads and the organisers."


@dataclass(frozen=True)
class Reader:
    """Who asks for a history, in which workspace."""

    workspace_id: str
    user_id: str
    organisers: frozenset[str]


@dataclass(frozen=True)
class VisitHistory:
    visit: VisitSnapshot
    tour_id: int | None
    page: HistoryPage


def visit_history(uow: Any, reader: Reader, ref: HistoryRef, page: int = 0) -> VisitHistory | str:
    """The page of the history, or why not, in words fit to show the person who asked.

    `uow` reads applications and tours as the approval workflow does (bot.applications)."""
    application, tour = _application_and_tour(uow, reader.workspace_id, ref)
    if application is None:
        return f"There is no {ref.target.value} {ref.id} here. {USAGE}"
    visit = snapshot(uow, application, reader.organisers)
    if not may_see_history(reader.user_id, visit):
        return REFUSAL
    subjects = [f"application:{application.id}"]
    if tour is not None:
        subjects.append(f"tour:{tour.id}")
    entries = uow.history.of_subjects(reader.workspace_id, subjects)
    return VisitHistory(visit, tour.id if tour else None, history_page(entries, page))


USAGE = "Usage: `/tourism history APPLICATION-ID` or `/tourism history visit VISIT-ID`."


def _application_and_tour(uow: Any, workspace_id: str, ref: HistoryRef) -> tuple[Any, Any]:
    if ref.target is Target.VISIT:
        tour = uow.tours.get(workspace_id, ref.id)
        if tour is None:
            return None, None
        return uow.applications.get(workspace_id, tour.application_id), tour
    application = uow.applications.get(workspace_id, ref.id)
    if application is None:
        return None, None
    return application, uow.tours.of_application(application.id)
