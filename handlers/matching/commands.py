"""`/tourism match`, `/tourism candidates` and `/tourism round [mode]`."""

from __future__ import annotations

from bot.core.blocks import user_mention
from bot.matching import RoundMode
from bot.matching.service import lead_candidates, my_matches, preview_round
from bot.matching.views import (
    MODE_NAMES,
    candidates_message,
    matches_message,
    round_preview_message,
)
from handlers.command_request import AnsweredAfterAck, CommandRequest, SubcommandHandler
from infra.deps import Deps

MODE_WORDS = {
    "best": RoundMode.BEST_TOTAL_FIT,
    "fair": RoundMode.FAIR,
    "calendar": RoundMode.CALENDAR,
}
ROUND_USAGE = "Usage: `/tourism round [best|fair|calendar]` (default: best total fit)."


def show_matches(request: CommandRequest, deps: Deps) -> None:
    with deps.reader() as uow:
        mine = my_matches(
            uow,
            request.workspace_id,
            request.user_id,
            today=deps.today(),
            related=deps.vocabulary.related_map(),
        )
    request.respond(**matches_message(mine))


def show_candidates(request: CommandRequest, deps: Deps) -> None:
    is_organiser = deps.settings.is_admin(request.user_id)
    with deps.reader() as uow:
        leads = is_organiser or bool(uow.teams.ids_led_by(request.workspace_id, request.user_id))
    if not leads:
        request.ack(
            text="`/tourism candidates` is for team leads: it shows who would fit your "
            "teams' openings. Post one with `/tourism host` once an organiser lists you."
        )
        return
    request.ack()
    with deps.reader() as uow:
        openings = lead_candidates(
            uow,
            request.workspace_id,
            request.user_id,
            is_organiser=is_organiser,
            today=deps.today(),
            related=deps.vocabulary.related_map(),
        )
    request.respond(**candidates_message(openings))


def show_round(request: CommandRequest, deps: Deps) -> None:
    if not deps.settings.is_admin(request.user_id):
        organisers = (
            ", ".join(map(user_mention, sorted(deps.settings.admin_user_ids))) or "nobody yet"
        )
        request.ack(text=f"Matching rounds are run by the organisers ({organisers}).")
        return
    word = request.args[0].lower() if request.args else "best"
    mode = MODE_WORDS.get(word)
    if mode is None or len(request.args) > 1:
        request.ack(text=f"I don't know the round mode `{word[:20]}`. {ROUND_USAGE}")
        return
    request.ack(text=f"Running a {MODE_NAMES[mode].lower()} round…")
    with deps.reader() as uow:
        preview = preview_round(
            uow,
            request.workspace_id,
            mode,
            today=deps.today(),
            related=deps.vocabulary.related_map(),
        )
    request.respond(replace_original=True, **round_preview_message(preview))


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "match": AnsweredAfterAck(show_matches),  # the matcher may take a moment on a large org
    "candidates": show_candidates,
    "round": show_round,
}
