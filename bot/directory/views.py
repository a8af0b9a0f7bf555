"""Block Kit for `/tourism team`: the directory form, the paged list, removal and the answers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from bot.core.blocks import context, escape, header, plain, section, truncate, user_mention
from bot.core.ids import row_id
from bot.core.inputs import (
    channel_select,
    date_input,
    done_modal,
    modal,
    number_input,
    text_input,
    users_select,
)
from bot.core.words import counted
from bot.directory.model import (
    CITY_LIMIT,
    DEFAULT_AWAY_CAP,
    MAX_AWAY_CAP,
    MAX_REST_DAYS,
    MAX_SPRINT_WEEKS,
    MAX_VISITORS_PER_QUARTER,
    MIN_AWAY_CAP,
    MIN_SPRINT_WEEKS,
    NAME_LIMIT,
    PERIOD_SYNTAX,
    TeamDraft,
    TeamEntry,
)
from bot.directory.service import DirectoryPage, RemovalCheck, TeamNotFound

TEAM_FORM = "team_form"
PREVIOUS_PAGE = "team_directory_previous"
NEXT_PAGE = "team_directory_next"
REMOVE = "team_remove"
KEEP = "team_remove_keep"
BLACKOUTS_SHOWN = 3
NAMES_LISTED_LIMIT = 1500  # characters of team names in a "did you mean" answer

USAGE = {
    "add": ("team add [NAME]", "add a team (the form opens)"),
    "edit": ("team edit NAME", "change a team"),
    "list": ("team list", "the team directory"),
    "remove": ("team remove NAME", "remove a team"),
}


# --- the form -------------------------------------------------------------------------------


def team_modal(draft: TeamDraft, *, team_id: int | None) -> dict[str, Any]:
    blocks = [
        text_input("name", "Team name", initial=draft.name, max_length=NAME_LIMIT),
        users_select(
            "leads",
            "Leads",
            initial=draft.leads,
            multiple=True,
            hint="They post openings and agree to visits. The directory's list is the truth.",
        ),
        channel_select("channel", "Team channel", initial=draft.channel or None, optional=True),
        text_input("city", "City", initial=draft.city, max_length=CITY_LIMIT, optional=True),
        number_input(
            "away_cap",
            "May be away at once",
            initial=_whole(draft.away_cap, DEFAULT_AWAY_CAP),
            minimum=MIN_AWAY_CAP,
            maximum=MAX_AWAY_CAP,
            hint="How many members may be visiting other teams at the same time.",
        ),
        text_input(
            "blackouts",
            "Blackout periods",
            initial=draft.blackouts,
            multiline=True,
            optional=True,
            placeholder=PERIOD_SYNTAX,
            hint="Releases, on-call weeks: nobody leaves or arrives then. One period per line, "
            f"like {PERIOD_SYNTAX} (a single date is one day).",
        ),
        number_input(
            "sprint_weeks",
            "Sprint length in weeks",
            initial=_whole(draft.sprint_weeks, None),
            minimum=MIN_SPRINT_WEEKS,
            maximum=MAX_SPRINT_WEEKS,
            optional=True,
            hint="With the date below, visits can start with a sprint.",
        ),
        date_input(
            "sprint_start",
            "A sprint started on",
            initial=date.fromisoformat(draft.sprint_start) if draft.sprint_start else None,
            optional=True,
        ),
        number_input(
            "visitors_per_quarter",
            "Visitors per quarter, at most",
            initial=_whole(draft.visitors_per_quarter, None),
            minimum=0,
            maximum=MAX_VISITORS_PER_QUARTER,
            optional=True,
            hint="Leave empty for no limit.",
        ),
        number_input(
            "rest_days",
            "Rest days between visitors",
            initial=_whole(draft.rest_days, 0),
            minimum=0,
            maximum=MAX_REST_DAYS,
        ),
    ]
    return modal(
        TEAM_FORM,
        "Add a team" if team_id is None else "Edit team",
        blocks,
        submit="Add" if team_id is None else "Save",
        private_metadata=json.dumps({"team_id": team_id}),
    )


def team_id_of(private_metadata: str) -> int | None:
    """The team a submitted form edits; None for a new team."""
    try:
        team_id = json.loads(private_metadata or "{}").get("team_id")
    except (ValueError, AttributeError):
        return None
    return None if team_id is None else row_id(team_id)


def _whole(text: str, default: int | None) -> int | None:
    return int(text) if text.strip().lstrip("-").isdigit() else default


def saved_modal(entry: TeamEntry, *, added: bool) -> dict[str, Any]:
    """The team form once saved, in place of the form."""
    verb = "Added" if added else "Saved"
    text = f"{verb} *{escape(entry.name)}* in the team directory. `/tourism team list` shows it."
    return done_modal("Team added" if added else "Team saved", [section(text)])


# --- the list -------------------------------------------------------------------------------


def directory_message(page: DirectoryPage, today: date) -> dict[str, Any]:
    if page.total == 0:
        text = (
            "The team directory is empty. Add a team with `/tourism team add`, or many at once "
            "with `tourism import-teams FILE` (see the README)."
        )
        return {"text": text, "blocks": [section(text)]}
    first, last = page.offset + 1, page.offset + len(page.teams)
    blocks = [
        header("Team directory"),
        context(f"Teams {first}–{last} of {page.total}, by name. Blackouts: those ahead."),
        *(section(team_text(team, today)) for team in page.teams),
    ]
    buttons = []
    if page.has_previous:
        buttons.append(_page_button(PREVIOUS_PAGE, "Previous", page.offset - len(page.teams)))
    if page.has_next:
        buttons.append(_page_button(NEXT_PAGE, "Next", last))
    if buttons:
        blocks.append({"type": "actions", "block_id": "team_directory_pages", "elements": buttons})
    return {"text": f"Team directory: teams {first}–{last} of {page.total}", "blocks": blocks}


def _page_button(action_id: str, label: str, offset: int) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": plain(label, 75),
        "value": str(max(offset, 0)),
    }


def team_text(team: TeamEntry, today: date) -> str:
    where = [f"*{escape(team.name)}*"]
    if team.channel_id:
        where.append(f"<#{team.channel_id}>")
    if team.city:
        where.append(escape(team.city))
    lines = [
        " · ".join(where),
        "Leads: " + ", ".join(map(user_mention, team.leads)),
        " · ".join(
            (f"May be away at once: {team.away_cap}", _sprint_text(team), _limits_text(team))
        ),
        _blackouts_text(team.upcoming_blackouts(today)),
    ]
    return "\n".join(lines)


def _sprint_text(team: TeamEntry) -> str:
    if team.sprint_weeks is None or team.sprint_start is None:
        return "Sprints: not given"
    return f"Sprints: {counted(team.sprint_weeks, 'week')}, one began {team.sprint_start}"


def _limits_text(team: TeamEntry) -> str:
    per_quarter = (
        "no limit of visitors"
        if team.visitors_per_quarter is None
        else f"at most {counted(team.visitors_per_quarter, 'visitor')} a quarter"
    )
    return f"Hosts {per_quarter}, {counted(team.rest_days, 'rest day')} between visitors"


def _blackouts_text(periods: Sequence[Any]) -> str:
    if not periods:
        return "Blackouts: none ahead"
    shown = "; ".join(escape(str(period)) for period in periods[:BLACKOUTS_SHOWN])
    more = len(periods) - BLACKOUTS_SHOWN
    return f"Blackouts: {shown}" + (f" (and {more} more)" if more > 0 else "")


# --- removal --------------------------------------------------------------------------------


def removal_question(check: RemovalCheck) -> dict[str, Any]:
    name = escape(check.name)
    consequences = _consequences(check)
    text = f"Remove *{name}* from the team directory? {consequences}"
    dialog_name = truncate(check.name, 80)
    remove_button = {
        "type": "button",
        "action_id": REMOVE,
        "style": "danger",
        "text": plain("Remove", 75),
        "value": str(check.team_id),
        "confirm": {
            "title": plain("Remove the team?", 100),
            "text": plain(f"{dialog_name} leaves the directory. This cannot be undone.", 300),
            "confirm": plain("Remove", 30),
            "deny": plain("Keep it", 30),
            "style": "danger",
        },
    }
    keep_button = {"type": "button", "action_id": KEEP, "text": plain("Keep it", 75)}
    return {
        "text": f"Remove {check.name} from the team directory?",
        "blocks": [
            section(text),
            {
                "type": "actions",
                "block_id": "team_remove",
                "elements": [remove_button, keep_button],
            },
        ],
    }


def _consequences(check: RemovalCheck) -> str:
    found = check.commitments
    parts = []
    if found.members:
        parts.append(
            f"{counted(found.members, 'person lists', 'people list')} it as their home team "
            "and will have none."
        )
    gone = [
        text
        for n, text in (
            (found.past_openings, counted(found.past_openings, "closed opening")),
            (found.past_tours, counted(found.past_tours, "past visit")),
        )
        if n
    ]
    if gone:
        parts.append(f"Its {' and '.join(gone)} will be deleted with it.")
    return " ".join(parts) or "Nothing else depends on it."


def removal_refused_text(check: RemovalCheck) -> str:
    found = check.commitments
    busy = []
    if found.open_openings:
        busy.append(f"{counted(found.open_openings, 'open opening')}")
    if found.live_tours:
        busy.append(f"{counted(found.live_tours, 'visit')} planned or under way")
    steps = []
    if found.open_openings:
        leads = ", ".join(map(user_mention, check.leads)) or "its leads"
        steps.append(f"ask {leads} to close the openings")
    if found.live_tours:
        steps.append("wait until the visits have ended (or are cancelled)")
    return (
        f"I can't remove *{escape(check.name)}* yet: it has {' and '.join(busy)}. "
        f"First {' and '.join(steps)}, then run `/tourism team remove` again."
    )


def removed_text(name: str) -> str:
    return f"Removed *{escape(name)}* from the team directory."


KEPT_TEXT = "Nothing was removed."
GONE_TEXT = "That team is no longer in the directory."


# --- refusals and usage ---------------------------------------------------------------------


def organisers_only_text(organiser_ids: Iterable[str], doing: str = "change") -> str:
    organisers = sorted(organiser_ids)
    if not organisers:
        return (
            f"Only organisers can {doing} the team directory, and none are set up yet: ask "
            "whoever runs this bot to add organisers to TOURISM_ADMINS."
        )
    return f"Only organisers can {doing} the team directory: ask " + (
        ", ".join(map(user_mention, organisers)) + "."
    )


def usage_text(typed: str = "", problem: str = "") -> str:
    """What `/tourism team` takes, after what was wrong with what was typed."""
    lines = []
    if problem:
        lines.append(problem)
    elif typed:
        lines.append(f"I don't know `/tourism team {escape(typed[:40])}`.")
    lines.append("The team directory commands (for organisers):")
    lines += [f"`/tourism {usage}` – {summary}" for usage, summary in USAGE.values()]
    return "\n".join(lines)


def not_found_text(missing: TeamNotFound, subcommand: str) -> str:
    usage = USAGE[subcommand][0]
    if not missing.typed:
        opening = f"Say which team: `/tourism {usage}`."
    else:
        opening = f"There is no team called *{escape(missing.typed[:NAME_LIMIT])}*."
        if missing.suggestions:
            opening += " Did you mean " + " or ".join(
                f"*{escape(name)}*" for name in missing.suggestions
            )
            opening += "?"
        opening += f" Usage: `/tourism {usage}`."
    return opening + "\n" + _names_text(missing.names)


def _names_text(names: Sequence[str]) -> str:
    if not names:
        return "The directory is empty: `/tourism team add` adds a team."
    listed: list[str] = []
    length = 0
    for name in names:
        length += len(name) + 2
        if length > NAMES_LISTED_LIMIT:
            break
        listed.append(escape(name))
    rest = len(names) - len(listed)
    more = f" and {rest} more (`/tourism team list`)" if rest else ""
    return f"Teams in the directory: {', '.join(listed)}{more}."
