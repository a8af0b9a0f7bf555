"""Submitting the opening modal: errors inline, else save, show the poster, and announce."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.forms import NEW_TOPICS, NEW_TOPICS_YES, TopicCheck, picked_topics
from bot.core.ids import parse_id, row_id
from bot.core.topics import TopicVocabulary
from bot.openings.model import OpeningDraft
from bot.openings.service import Actor, AnnouncementOutcome, save_opening
from bot.openings.views import HOST_CALLBACK, YES, saved_modal, saved_text
from handlers.forms import FormValues
from handlers.home.listeners import refresh_homes
from handlers.openings.announcements import carry_out, send_dm
from infra.deps import Deps

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.view(HOST_CALLBACK)
    def submit_opening(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        user_id = body["user"]["id"]
        actor = Actor(body["team"]["id"], user_id, deps.settings.is_admin(user_id))
        metadata = body["view"].get("private_metadata", "")
        form = FormValues(body["view"])
        saved = save_opening(
            deps.uow,
            actor,
            draft_from_form(form, deps.vocabulary),
            topic_check=TopicCheck(deps.vocabulary, form.checked(NEW_TOPICS, NEW_TOPICS_YES)),
            opening_id=row_id(metadata) if metadata else None,
            today=deps.today(),
            now=deps.clock.now(),
            channel_id=deps.settings.announcement_channel,
        )
        if saved.errors or saved.opening is None:
            ack(response_action="errors", errors=saved.errors)
            return
        opening, created = saved.opening, saved.created
        told = partial(
            saved_text, opening, created=created, organiser_ids=deps.settings.admin_user_ids
        )
        ack(
            response_action="update", view=saved_modal(told(AnnouncementOutcome()), created=created)
        )
        outcome = carry_out(client, deps, opening, saved.announcement)
        if outcome != AnnouncementOutcome():  # what became of the announcement is worth adding
            _show_in_form(client, body["view"]["id"], user_id, told(outcome), created=created)
        refresh_homes(client, deps, opening.workspace_id, [user_id, *opening.team_lead_ids])


def draft_from_form(form: FormValues, vocabulary: TopicVocabulary) -> OpeningDraft:
    def topics(name: str) -> tuple[str, ...]:
        return picked_topics(vocabulary, form.selected_many(name), form.text(f"{name}_other"))

    return OpeningDraft(
        team_id=parse_id(form.selected("team")),
        title=form.text("title"),
        description=form.text("description"),
        topics=topics("topics"),
        hopes_to_learn=topics("hopes_to_learn"),
        expected_output=form.selected("expected_output") or "",
        earliest_start=form.date("earliest_start"),
        latest_end=form.date("latest_end"),
        weeks=parse_id(form.selected("weeks")),
        seats=form.number("seats"),
        buddy_user_id=form.user("buddy"),
        work_mode=form.selected("work_mode") or "",
        first_day_kit=form.text("first_day_kit"),
        apply_by=form.date("apply_by"),
        announce=form.checked("announce", YES),
    )


def _show_in_form(
    client: WebClient, view_id: str, user_id: str, text: str, *, created: bool
) -> None:
    """Updates the form's result in place; if the person closed it meanwhile, sends it."""
    try:
        client.views_update(view_id=view_id, view=saved_modal(text, created=created))
    except SlackApiError as error:
        log.info("could not update the saved opening's form: %s", error.response.get("error"))
        send_dm(client, user_id, text)
