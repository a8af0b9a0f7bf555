"""The organisers' charts as PNG images: visits per month, rating and length verdict by visit
length, host load. Rendered with matplotlib's Agg backend (no display, safe off the main thread)
on a Figure of its own, never pyplot's global state, so two requests may draw at once."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.retros.model import LengthVerdict
from bot.stats.model import ProgrammeReport
from bot.stats.tables import month_label

SIZE_INCHES = (8.0, 4.5)
DPI = 100
HOST_TEAMS_SHOWN = 12
VERDICT_LABELS = {
    LengthVerdict.TOO_SHORT: "too short",
    LengthVerdict.RIGHT: "right",
    LengthVerdict.TOO_LONG: "too long",
}


@dataclass(frozen=True)
class Chart:
    filename: str
    title: str
    description: str  # the image's alt text, for screen readers
    png: bytes


def charts(report: ProgrammeReport) -> list[Chart]:
    return [visits_chart(report), length_chart(report), host_load_chart(report)]


def visits_chart(report: ProgrammeReport) -> Chart:
    figure, axes = _figure()
    months = [month_label(month) for month, _ in report.visits_by_month]
    counts = [count for _, count in report.visits_by_month]
    axes.bar(months, counts, color="#1264a3")
    axes.set_ylabel("visits starting")
    axes.tick_params(axis="x", labelrotation=45)
    return _chart(
        figure,
        "visits-per-month.png",
        f"Visits per month, {report.periods[-1].label}",
        "Bar chart of visits starting each month: "
        + ", ".join(f"{month} {count}" for month, count in zip(months, counts, strict=True)),
    )


def length_chart(report: ProgrammeReport) -> Chart:
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    ratings, verdicts = figure.subplots(1, 2)
    lengths = [row.length.value for row in report.by_length]
    ratings.bar(lengths, [row.average_rating or 0 for row in report.by_length], color="#2eb67d")
    ratings.set_ylim(0, 5)
    ratings.set_title("average rating")
    bottom = [0] * len(lengths)
    for verdict in LengthVerdict:
        counts = [row.verdicts[verdict] for row in report.by_length]
        verdicts.bar(lengths, counts, bottom=bottom, label=VERDICT_LABELS[verdict])
        bottom = [below + count for below, count in zip(bottom, counts, strict=True)]
    verdicts.set_title("was the length right?")
    verdicts.legend()
    return _chart(
        figure,
        "rating-by-length.png",
        "Rating and length verdict by visit length",
        "Average rating and length verdicts by visit length: "
        + "; ".join(
            f"{row.length.value}: {row.retros} retros"
            + "".join(f", {count} {VERDICT_LABELS[v]}" for v, count in row.verdicts.items())
            for row in report.by_length
        ),
    )


def host_load_chart(report: ProgrammeReport) -> Chart:
    figure, axes = _figure()
    rows = report.host_load[:HOST_TEAMS_SHOWN]
    names = [row.team[:20] for row in rows]
    axes.barh(names, [row.hosted[-1] for row in rows], color="#ecb22e", label="hosted")
    limits = [
        (name, row.visitors_per_quarter * _quarters(report))
        for name, row in zip(names, rows, strict=True)
        if row.visitors_per_quarter is not None
    ]
    if limits:
        axes.scatter(
            [limit for _, limit in limits],
            [name for name, _ in limits],
            color="#e01e5a",
            marker="|",
            s=300,
            label="limit",
        )
    axes.invert_yaxis()
    axes.set_xlabel(f"visitors hosted, {report.periods[-1].label}")
    axes.legend()
    return _chart(
        figure,
        "host-load.png",
        f"Host load, {report.periods[-1].label}",
        "Visitors hosted by team: "
        + (", ".join(f"{row.team} {row.hosted[-1]}" for row in rows) or "none"),
    )


def _quarters(report: ProgrammeReport) -> int:
    """Quarters the chart's period spans (a year: 4), for each team's limit over it."""
    span = report.periods[-1]
    months = (span.last.year - span.first.year) * 12 + span.last.month - span.first.month + 1
    return max(1, round(months / 3))


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    axes: Axes = figure.subplots()
    return figure, axes


def _chart(figure: Figure, filename: str, title: str, description: str) -> Chart:
    figure.suptitle(title)
    figure.tight_layout()
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Chart(filename, title, description[:1000], buffer.getvalue())
