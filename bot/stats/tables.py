"""The programme's figures as text tables: the same ones in Slack (in code blocks) and in the
terminal (`tourism report`), so both always say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.words import counted, plural_of
from bot.stats.model import ProgrammeReport, Rate

MISSING = "–"


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    more: int = 0  # rows left out to fit

    def render(self) -> str:
        """Columns aligned, the first to the left and the figures to the right."""
        widths = [
            max(len(row[column]) for row in (self.headers, *self.rows))
            for column in range(len(self.headers))
        ]
        lines = [
            "  ".join(
                cell.ljust(width) if column == 0 else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
            for row in (self.headers, *self.rows)
        ]
        if self.more:
            lines.append(f"… and {self.more} more")
        return "\n".join(lines)


def report_tables(report: ProgrammeReport, limit: int | None = None) -> list[Table]:
    """Every table of the report; `limit` keeps the long ones (host teams) to their top rows."""
    tables = [
        visits_table(report),
        host_table(report, limit),
        length_table(report),
        checkins_table(report),
    ]
    return [table for table in tables if table.rows]


def report_text(report: ProgrammeReport, today: date) -> str:
    """The whole report for a terminal: every table in full, then the rates and the lists."""
    periods = " and ".join(period.label for period in report.periods)
    parts = [f"Team tourism in numbers: {periods}, as of {today.isoformat()}"]
    parts += [f"{table.title}\n{table.render()}" for table in report_tables(report)]
    parts.append("\n".join(rates_lines(report)))
    idle = report.idle_openings
    parts.append(
        f"Openings nobody applied to ({len(idle)}):" + "".join(f"\n  {title}" for title in idle)
    )
    overdue = report.overdue_decisions
    parts.append(
        f"Decisions waiting over a week ({len(overdue)}):"
        + "".join(
            f"\n  {decision.visitor_id} for {decision.opening_title}: {decision.status} "
            f"since {decision.waiting_since.isoformat()}"
            for decision in overdue
        )
    )
    return "\n\n".join(parts)


def visits_table(report: ProgrammeReport) -> Table:
    labels = ("started", "completed", "cancelled", "distinct visitors", "distinct host teams")
    figures = [
        (counts.started, counts.completed, counts.cancelled, counts.visitors, counts.host_teams)
        for counts in report.visits
    ]
    return Table(
        "Visits",
        ("", *(period.label for period in report.periods)),
        tuple(
            (label, *(str(of_period[row]) for of_period in figures))
            for row, label in enumerate(labels)
        ),
    )


def host_table(report: ProgrammeReport, limit: int | None = None) -> Table:
    shown = report.host_load[:limit] if limit is not None else report.host_load
    return Table(
        "Host teams (visitors hosted, planned included)",
        (
            "team",
            "limit a quarter",
            *(period.label for period in report.periods),
            "rating",
            "busiest buddy",
        ),
        tuple(
            (
                row.team,
                _or_missing(row.visitors_per_quarter),
                *(str(hosted) for hosted in row.hosted),
                rating(row.average_rating),
                counted(row.busiest_buddy, "visit") if row.busiest_buddy else MISSING,
            )
            for row in shown
        ),
        more=len(report.host_load) - len(shown),
    )


def length_table(report: ProgrammeReport) -> Table:
    return Table(
        "Rating and length by visit length",
        ("length", "retros", "rating", "too short", "right", "too long"),
        tuple(
            (
                row.length.value,
                str(row.retros),
                rating(row.average_rating),
                *(str(count) for count in row.verdicts.values()),
            )
            for row in report.by_length
        ),
    )


def checkins_table(report: ProgrammeReport) -> Table:
    return Table(
        "Check-ins by month",
        ("month", "answers", "so-so or need help", "meetings half+", "pulled home"),
        tuple(
            (
                month_label(row.month),
                str(row.answers),
                str(row.low_mood),
                str(row.heavy_meetings),
                str(row.pulled_home),
            )
            for row in report.checkins_by_month
        ),
    )


def rates_lines(report: ProgrammeReport) -> list[str]:
    visits = ("completed visit", "completed visits")
    items = ("item brought home", "items brought home")
    return [
        f"Shared back at home: {rate_text(report.share_back, *visits)}",
        f"What stuck after 90 days: {rate_text(report.what_stuck, *items)}",
    ]


def rate_text(rate: Rate, one: str, many: str) -> str:
    if rate.share is None:
        return f"no {many} yet"
    return f"{rate.count} of {rate.out_of} {plural_of(rate.out_of, one, many)} ({rate.share:.0%})"


def rating(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else MISSING


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def _or_missing(value: int | None) -> str:
    return str(value) if value is not None else MISSING
