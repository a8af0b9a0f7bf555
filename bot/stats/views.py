"""`/tourism stats`: the organisers' figures (charts follow as files) and everyone's own view."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.applications.model import Status
from bot.core.blocks import context, day, escape, header, section, user_mention
from bot.core.words import counted
from bot.stats.model import PendingDecision, PersonalReport, PersonalVisit, ProgrammeReport
from bot.stats.tables import rates_lines, report_tables

TOP = 10  # rows of a long list shown in Slack; the rest are counted ("and N more")
WAITING_FOR = {Status.SUBMITTED: "the host team lead", Status.HOST_ACCEPTED: "the home team lead"}
TITLE = "Team tourism in numbers"
CHARTS_TITLE = "Team tourism charts"


def stats_message(report: ProgrammeReport, today: date) -> dict[str, Any]:
    periods = " and ".join(period.label for period in report.periods)
    blocks = [
        header(TITLE),
        context(f"{escape(periods)}, as of {day(today)}. Charts follow in a direct message."),
        *(
            section(f"*{table.title}*\n```{escape(table.render())}```")
            for table in report_tables(report, limit=TOP)
        ),
        section("\n".join(rates_lines(report))),
        section(_idle_openings(report.idle_openings)),
        section(_overdue(report.overdue_decisions)),
    ]
    return {"text": TITLE, "blocks": blocks}


def charts_comment(report: ProgrammeReport) -> str:
    return (
        f"{CHARTS_TITLE}, {report.periods[-1].label}: visits per month, "
        "rating and length verdict by visit length, host load."
    )


def personal_message(report: PersonalReport) -> dict[str, Any]:
    own = (
        "*Your visits*\n" + _visit_lines(report.own, visitor=False)
        if report.own
        else "You have not visited another team yet: `/tourism openings` shows where you could go."
    )
    blocks = [header("Your team tourism"), section(own)]
    if report.leads:
        hosted = (
            _visit_lines(report.hosted, visitor=True)
            if report.hosted
            else "No visitors this year yet."
        )
        blocks.append(section(f"*Visitors your teams host this year*\n{hosted}"))
    blocks.append(context("The programme's figures are for organisers."))
    return {"text": "Your team tourism", "blocks": blocks}


def _top(items: Sequence[str], separator: str = "\n") -> str:
    """The first TOP items, then how many more there are (Slack's section holds 3000 chars)."""
    more = [f"… and {len(items) - TOP} more"] if len(items) > TOP else []
    return separator.join([*items[:TOP], *more])


def _visit_lines(shown: Sequence[PersonalVisit], *, visitor: bool) -> str:
    return _top([_visit_line(item, visitor=visitor) for item in shown])


def _visit_line(item: PersonalVisit, *, visitor: bool) -> str:
    visit = item.visit
    who = f"{user_mention(visit.visitor_id)} at " if visitor else ""
    details: list[str] = [visit.status.value]
    if visit.rating is not None:
        details.append(f"rated {visit.rating}/5")
    if visit.shared_back:
        details.append("shared back")
    return (
        f"• {who}*{escape(item.host_team)}*: {day(visit.starts_on)} – {day(visit.ends_on)} "
        f"({counted(visit.weeks, 'week')}), {', '.join(details)}"
    )


def _idle_openings(titles: Sequence[str]) -> str:
    if not titles:
        return "*Openings nobody applied to:* none"
    shown = _top([escape(title) for title in titles], ", ")
    return f"*Openings nobody applied to ({len(titles)}):* {shown}"


def _overdue(decisions: Sequence[PendingDecision]) -> str:
    if not decisions:
        return "*Decisions waiting over a week:* none"
    lines = [
        f"• {user_mention(decision.visitor_id)} for *{escape(decision.opening_title)}*: "
        f"waiting for {WAITING_FOR[decision.status]} since {day(decision.waiting_since)}"
        for decision in decisions
    ]
    return f"*Decisions waiting over a week ({len(decisions)}):*\n" + _top(lines)
