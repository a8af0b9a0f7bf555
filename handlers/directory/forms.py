"""Submitting the team form: errors inline, else save and tell the organiser it is saved."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.directory.model import TeamDraft
from bot.directory.service import save_team
from bot.directory.views import TEAM_FORM, organisers_only_text, saved_text, team_id_of
from handlers.forms import FormValues
from infra.deps import Deps

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.view(TEAM_FORM)
    def submit_team(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        user_id = body["user"]["id"]
        if not deps.settings.is_admin(user_id):
            ack(
                response_action="errors",
                errors={"name": organisers_only_text(deps.settings.admin_user_ids)},
            )
            return
        saved = save_team(
            deps.uow,
            workspace_id=body["team"]["id"],
            actor=user_id,
            team_id=team_id_of(body["view"].get("private_metadata", "")),
            draft=draft_from_form(FormValues(body["view"])),
            now=deps.clock.now(),
        )
        if saved.entry is None:
            ack(response_action="errors", errors=saved.errors)
            return
        ack()
        try:
            client.chat_postMessage(
                channel=user_id, text=saved_text(saved.entry, added=saved.added)
            )
        except SlackApiError as error:
            log.warning("could not confirm the saved team to %s: %s", user_id, error)


def draft_from_form(form: FormValues) -> TeamDraft:
    sprint_start = form.date("sprint_start")
    return TeamDraft(
        name=form.text("name"),
        leads=tuple(form.users("leads")),
        channel=form.conversation("channel") or "",
        city=form.text("city"),
        away_cap=form.text("away_cap"),
        blackouts=form.text("blackouts"),
        sprint_weeks=form.text("sprint_weeks"),
        sprint_start=sprint_start.isoformat() if sprint_start else "",
        visitors_per_quarter=form.text("visitors_per_quarter"),
        rest_days=form.text("rest_days"),
    )
