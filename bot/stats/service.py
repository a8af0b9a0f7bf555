"""Reading the programme's numbers: for organisers over periods, for everyone else their own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

from bot.core.ports import ReadOnlyUnitOfWork
from bot.stats.model import (
    Period,
    PersonalReport,
    ProgrammeReport,
    personal_report,
    programme_report,
    quarter_and_year,
)


def organiser_report(
    uow: ReadOnlyUnitOfWork,
    workspace_id: str,
    today: date,
    zone: tzinfo,
    periods: Sequence[Period] | None = None,
) -> ProgrammeReport:
    """Over this quarter and this year unless other periods are given."""
    facts = uow.stats.programme(workspace_id, zone)
    return programme_report(facts, periods or quarter_and_year(today), today)


def own_report(
    uow: ReadOnlyUnitOfWork, workspace_id: str, user_id: str, today: date, zone: tzinfo
) -> PersonalReport:
    """The person's visits, and for a team lead the visitors hosted this year."""
    _, year = quarter_and_year(today)
    return personal_report(uow.stats.programme(workspace_id, zone), user_id, year)
