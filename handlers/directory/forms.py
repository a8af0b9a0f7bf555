"""Submitting the team form: errors inline, else save and show the organiser it is saved."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.directory.model import TeamDraft
from bot.directory.service import save_team
from bot.directory.views import TEAM_FORM, organisers_only_text, saved_modal, team_id_of
from handlers.forms import FormValues
from infra.deps import Deps


def register(app: App, deps: Deps) -> None:
    @app.view(TEAM_FORM)
    def submit_team(ack: Ack, body: dict[str, Any]) -> None:
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
        ack(response_action="update", view=saved_modal(saved.entry, added=saved.added))


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
