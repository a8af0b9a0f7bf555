"""The App Home tab, and `/tourism status` (the same "my part" as an ephemeral message)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from bot.applications import views as application_views
from bot.applications.extension_views import visit_actions
from bot.applications.model import WAITING_FOR, Status
from bot.checkins.model import AlertKind, WeekAnswer, worrying
from bot.commands.views import INTRO
from bot.core.blocks import (
    button,
    context,
    divider,
    escape,
    header,
    section,
    user_mention,
    visit_dates,
)
from bot.core.words import counted, plural_of
from bot.home.model import (
    Absence,
    Counted,
    HomeData,
    HomeTour,
    Hosting,
    HostingLoad,
    TeamAway,
    days_left,
)
from bot.openings.model import Status as OpeningStatus
from bot.openings.views import APPLY
from bot.profiles.views import profile_detail_blocks

PROFILE_EDIT = "profile_edit"
ROUND_FROM_HOME = "home_round_preview"
STATS_FROM_HOME = "home_stats"
Block = dict[str, Any]
T = TypeVar("T")


def home_view(data: HomeData) -> dict[str, Any]:
    blocks = [header("Team tourism"), context(INTRO), *my_part_blocks(data)]
    if data.leads_teams or data.pending.total:
        blocks += [divider(), *_lead_blocks(data)]
    if data.organiser is not None:
        blocks += [divider(), *_organiser_blocks(data)]
    return {"type": "home", "blocks": blocks[:100]}


def status_message(data: HomeData) -> dict[str, Any]:
    blocks = [*my_part_blocks(data)]
    if data.pending.total:
        blocks += [divider(), *_pending_blocks(data)]
    return {"text": "Your team tourism status", "blocks": blocks[:50]}


def my_part_blocks(data: HomeData) -> list[Block]:
    return [
        *_profile_blocks(data),
        *_tour_blocks(data),
        *_application_blocks(data),
        *_suggestion_blocks(data),
    ]


def _suggestion_blocks(data: HomeData) -> list[Block]:
    if not data.suggestions:
        return []
    blocks = [section("*Suggested for you*")]
    for suggestion in data.suggestions:
        block = section(
            f"*{escape(suggestion.title)}* with *{escape(suggestion.team_name)}*\n"
            f"{escape(suggestion.why)}"
        )
        block["accessory"] = button("Apply", APPLY, str(suggestion.opening_id), style="primary")
        blocks.append(block)
    blocks.append(context("More with `/tourism match`."))
    return blocks


def _profile_blocks(data: HomeData) -> list[Block]:
    if data.profile is None:
        return [
            section(
                "*Your profile*\nTell us what you would like to learn and when you could "
                "visit: matches and openings start from there."
            ),
            {
                "type": "actions",
                "elements": [button("Set up my profile", PROFILE_EDIT, style="primary")],
            },
        ]
    return [
        section("*Your profile*"),
        *profile_detail_blocks(data.profile, data.home_team_name),
        {"type": "actions", "elements": [button("Edit my profile", PROFILE_EDIT)]},
    ]


def _tour_line(tour: HomeTour, today: date) -> str:
    buddy = f", buddy {user_mention(tour.buddy_id)}" if tour.buddy_id else ""
    when = visit_dates(tour.starts_on, tour.ends_on)
    left = days_left(tour, today)
    days = counted(left, "day")
    countdown = f"starts in {days}" if today < tour.starts_on else f"{days} left"
    return (
        f"*{escape(tour.opening_title)}* with *{escape(tour.host_team_name)}*\n"
        f"{when} ({countdown}){buddy}"
    )


def _tour_blocks(data: HomeData) -> list[Block]:
    tour = data.current_or_next_tour()
    if tour is None:
        return []
    running = tour.starts_on <= data.today
    title = "Your visit now" if running else "Your next visit"
    return [
        section(f"*{title}*\n" + _tour_line(tour, data.today)),
        visit_actions(tour.tour_id, running=running, might_stay=tour.might_stay),
    ]


def _lines(title: str, listed: Counted[T], line: Callable[[T], str]) -> list[Block]:
    if not listed.total:
        return []
    text = f"*{title}*\n" + "\n".join(f"• {line(row)}" for row in listed.rows)
    if listed.more:
        text += f"\n…and {listed.more} more"
    return [section(text)]


def _application_blocks(data: HomeData) -> list[Block]:
    return _lines(
        "Your applications",
        data.applications,
        lambda a: (
            f"{escape(a.opening_title)} with {escape(a.host_team_name)}, "
            f"{visit_dates(a.starts_on, a.ends_on)}: {WAITING_FOR[Status(a.status)]}"
        ),
    )


def _lead_blocks(data: HomeData) -> list[Block]:
    blocks = [header("Your teams")]
    blocks += _lines(
        "Openings",
        data.lead_openings,
        lambda o: (
            f"{escape(o.title)} ({escape(o.team_name)}): "
            f"{o.open_seats} of {counted(o.seats, 'seat')} left"
            + ("" if o.status == OpeningStatus.OPEN else f", {o.status}")
        ),
    ) or [context("No openings yet: post one with `/tourism host`.")]
    blocks += [block for team in data.teams_away for block in _away_blocks(team, data.today)]
    blocks += [_hosting_block(hosting) for hosting in data.hosting]
    return blocks + _pending_blocks(data)


def _away_blocks(team: TeamAway, today: date) -> list[Block]:
    """Who of the team is away on a visit now or later, against its cap, and how it goes."""
    name = escape(team.team_name)
    if not team.absences:
        return [context(f"Nobody from *{name}* is away on a visit, now or booked.")]
    cap = f"the team allows {team.away_cap} at once"
    lines = [f"*Away from {name}*: {team.away_on(today)} today ({cap})"]
    peak = team.most_away_at_once(today)
    if peak > team.away_cap:
        lines.append(f":warning: {peak} will be away at once, over the cap of {team.away_cap}.")
    lines += [f"• {_absence_line(absence, today)}" for absence in team.absences]
    return [section("\n".join(lines))]


def _absence_line(absence: Absence, today: date) -> str:
    when = "until" if absence.starts_on <= today else f"{absence.starts_on:%-d %b} –"
    return (
        f"{user_mention(absence.visitor_id)} at *{escape(absence.host_team_name)}*, "
        f"{when} {absence.ends_on:%-d %b} · {_latest_checkin(absence.latest)}"
    )


def _latest_checkin(answer: WeekAnswer | None) -> str:
    if answer is None:
        return "no check-in yet"
    signals = worrying(answer)
    said = ", ".join(SIGNAL_LABELS[signal] for signal in signals) or "no worries raised"
    return f"week {answer.week}: {said}"


# How a home lead's Home names the signals of a visitor's latest check-in.
SIGNAL_LABELS = {
    AlertKind.HELP: "*asked for help*",
    AlertKind.SO_SO: "*a so-so week*",
    AlertKind.BUSY: "*more than half in meetings*",
    AlertKind.PULLED: "*pulled back often by your team*",
}


_LOAD_WARNINGS = {
    HostingLoad.ROOM: "",
    HostingLoad.APPROACHING: ":warning: close to the limit",
    HostingLoad.AT_LIMIT: ":warning: at the limit",
    HostingLoad.OVER: ":warning: over the limit",
}


def _hosting_block(hosting: Hosting) -> Block:
    """Visitors hosted this quarter and year against the team's limits, with a warning as the
    team approaches them (a team can drown in visitors)."""

    def against(count: int, limit: int | None, load: HostingLoad) -> str:
        if limit is None:
            return counted(count, "visitor")
        warning = _LOAD_WARNINGS[load]
        return f"{counted(count, 'visitor')} of {limit}" + (f" {warning}" if warning else "")

    quarter = against(hosting.this_quarter, hosting.per_quarter, hosting.quarter_load())
    year = against(hosting.this_year, hosting.per_year, hosting.year_load())
    unset = "" if hosting.per_quarter is not None else " (no limit set)"
    return section(
        f"*Hosting at {escape(hosting.team_name)}*{unset}: {quarter} this quarter · {year} "
        "this year"
    )


def _pending_blocks(data: HomeData) -> list[Block]:
    if not data.pending.total:
        return [context("Nothing is waiting for your decision.")]
    blocks = [section(f"*Waiting for your decision* ({data.pending.total})")]
    for decision in data.pending.rows:
        ask = "would like to visit" if decision.as_host else "would like to be away for a visit to"
        blocks.append(
            section(
                f"{user_mention(decision.visitor_id)} {ask} *{escape(decision.opening_title)}* "
                f"({escape(decision.host_team_name)}), "
                f"{visit_dates(decision.starts_on, decision.ends_on)}"
            )
        )
        blocks.append(
            {
                "type": "actions",
                "elements": _decision_buttons(decision.application_id, decision.as_host),
            }
        )
    if data.pending.more:
        blocks.append(context(f"…and {data.pending.more} more in your direct messages."))
    return blocks


def _decision_buttons(application_id: int, as_host: bool) -> list[Block]:
    value = str(application_id)
    if as_host:
        return [
            button("Accept", application_views.HOST_ACCEPT, value, style="primary"),
            button("Decline…", application_views.HOST_DECLINE, value),
        ]
    return [
        button("Agree…", application_views.HOME_AGREE, value, style="primary"),
        button("Decline…", application_views.HOME_DECLINE, value),
    ]


def _organiser_blocks(data: HomeData) -> list[Block]:
    counts = data.organiser
    assert counts is not None
    return [
        header("The programme"),
        section(
            f"*{counts.open_openings}* open {plural_of(counts.open_openings, 'opening')} · "
            f"*{counts.pending_approvals}* {plural_of(counts.pending_approvals, 'application')} "
            "waiting for a decision · "
            f"*{counts.active_tours}* {plural_of(counts.active_tours, 'visit')} booked or under way"
        ),
        {
            "type": "actions",
            "elements": [
                button("Preview a matching round", ROUND_FROM_HOME),
                button("Programme stats", STATS_FROM_HOME),
            ],
        },
        context("Also: `/tourism round`, `/tourism stats`, `/tourism team list`."),
    ]
