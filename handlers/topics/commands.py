"""`/tourism topics merge STRAY into TOPIC`: organisers clean up stray topics."""

from __future__ import annotations

from bot.commands.model import parse_command_line
from bot.topics.model import MergeProblem
from bot.topics.service import NotOrganiser, merge_topic
from bot.topics.views import merged_text, organisers_only_text, problem_text, usage_text
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps


def topics_command(request: CommandRequest, deps: Deps) -> None:
    line = parse_command_line(request.raw_args)
    if line.name != "merge":
        request.ack(text=usage_text())
        return
    result = merge_topic(
        deps.uow,
        workspace_id=request.workspace_id,
        actor_id=request.user_id,
        is_organiser=deps.settings.is_admin(request.user_id),
        typed=line.raw_args,
        vocabulary=deps.vocabulary,
        now=deps.clock.now(),
    )
    if isinstance(result, NotOrganiser):
        request.ack(text=organisers_only_text(deps.settings.admin_user_ids))
    elif isinstance(result, MergeProblem):
        request.ack(text=problem_text(result))
    else:
        request.ack(text=merged_text(result))


SUBCOMMANDS: dict[str, SubcommandHandler] = {"topics": topics_command}
