"""`/tourism team add|edit|list|remove`: the organisers' team directory."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.commands.model import parse_command_line
from bot.directory.model import TeamDraft
from bot.directory.service import (
    TeamNotFound,
    check_removal,
    directory_page,
    find_for_editing,
)
from bot.directory.views import (
    directory_message,
    not_found_text,
    organisers_only_text,
    removal_question,
    removal_refused_text,
    team_modal,
    usage_text,
)
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps

log = logging.getLogger(__name__)
QUOTES = "\"'“”‘’"

TeamAction = Callable[[CommandRequest, Deps, str], None]


def team_command(request: CommandRequest, deps: Deps) -> None:
    line = parse_command_line(request.raw_args)
    if not deps.settings.is_admin(request.user_id):
        doing = "see" if line.name == "list" else "change"
        request.ack(text=organisers_only_text(deps.settings.admin_user_ids, doing))
        return
    action = ACTIONS.get(line.name)
    if action is None:
        request.ack(text=usage_text(line.name))
        return
    action(request, deps, line.raw_args.strip(QUOTES + " "))


def add_team(request: CommandRequest, deps: Deps, name: str) -> None:
    request.ack()
    _open_form(request, team_modal(TeamDraft(name=name), team_id=None))


def edit_team(request: CommandRequest, deps: Deps, name: str) -> None:
    found = find_for_editing(deps.reader, request.workspace_id, name)
    if isinstance(found, TeamNotFound):
        request.ack(text=not_found_text(found, "edit"))
        return
    request.ack()
    _open_form(request, team_modal(found.draft, team_id=found.team_id))


def list_teams(request: CommandRequest, deps: Deps, extra: str) -> None:
    if extra:
        request.ack(text=usage_text(problem="`/tourism team list` takes nothing after it."))
        return
    page = directory_page(deps.reader, request.workspace_id, 0)
    request.ack(**directory_message(page, deps.today()))


def remove_team(request: CommandRequest, deps: Deps, name: str) -> None:
    check = check_removal(deps.reader, request.workspace_id, name)
    if isinstance(check, TeamNotFound):
        request.ack(text=not_found_text(check, "remove"))
    elif check.commitments.blocks_removal:
        request.ack(text=removal_refused_text(check))
    else:
        request.ack(**removal_question(check))


def _open_form(request: CommandRequest, view: dict[str, object]) -> None:
    try:
        request.client.views_open(trigger_id=request.trigger_id, view=view)
    except SlackApiError as error:
        # The trigger lasts three seconds; a slow moment can outlive it.
        log.warning("views.open failed for the team form: %s", error.response.get("error"))
        request.respond(
            text="Slack did not let me open the team form in time: please run the command again."
        )


ACTIONS: dict[str, TeamAction] = {
    "add": add_team,
    "edit": edit_team,
    "list": list_teams,
    "remove": remove_team,
}

SUBCOMMANDS: dict[str, SubcommandHandler] = {"team": team_command}
