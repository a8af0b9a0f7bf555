"""Submitting the profile form: errors inline, else save and send the person their profile."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.forms import NEW_TOPICS, NEW_TOPICS_YES, TopicCheck, picked_topics
from bot.core.ids import row_id
from bot.core.topics import TopicVocabulary
from bot.profiles.model import Profile
from bot.profiles.service import record_timezone, save_profile
from bot.profiles.views import (
    PROFILE_CALLBACK,
    YES,
    profile_saved_modal,
)
from handlers.forms import FormValues
from handlers.home.listeners import refresh_homes
from infra.deps import Deps

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.view(PROFILE_CALLBACK)
    def submit_profile(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        user_id = body["user"]["id"]
        workspace_id = body["team"]["id"]
        form = FormValues(body["view"])
        profile = profile_from_form(form, deps.vocabulary)
        now = deps.clock.now()
        today = now.astimezone(deps.settings.timezone).date()
        saved = save_profile(
            deps.uow,
            workspace_id=workspace_id,
            user_id=user_id,
            profile=profile,
            topic_check=TopicCheck(deps.vocabulary, form.checked(NEW_TOPICS, NEW_TOPICS_YES)),
            today=today,
            now=now,
        )
        if saved.errors:
            ack(response_action="errors", errors=saved.errors)
            return
        ack(response_action="update", view=profile_saved_modal(profile, saved.home_team_name))
        _record_timezone(client, deps, workspace_id, user_id)
        refresh_homes(client, deps, workspace_id, [user_id])


def profile_from_form(form: FormValues, vocabulary: TopicVocabulary) -> Profile:
    def topics(name: str) -> tuple[str, ...]:
        return picked_topics(vocabulary, form.selected_many(name), form.text(f"{name}_other"))

    return Profile(
        home_team_id=_number_or_zero(form.selected("home_team")),
        learn_topics=topics("learn_topics"),
        teach_topics=topics("teach_topics"),
        learning_goal=form.text("learning_goal"),
        available_from=form.date("available_from"),
        available_until=form.date("available_until"),
        preferred_weeks=_number_or_zero(form.selected("preferred_weeks")) or 0,
        work_mode=form.selected("work_mode") or "",
        city=form.text("city"),
        willing_to_travel=form.checked("willing_to_travel", YES),
        looking=form.checked("looking", YES),
        snoozed_until=form.date("snoozed_until"),
        note=form.text("note"),
    )


def _number_or_zero(value: str | None) -> int | None:
    """None when nothing was chosen; 0 (which no row has) for a value that is not a number, so
    validation reports it instead of it being dropped."""
    if value is None:
        return None
    return row_id(value)


def _record_timezone(client: WebClient, deps: Deps, workspace_id: str, user_id: str) -> None:
    """Nice to have for scheduling messages at a sensible hour; the profile is saved without it."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        log.info("users.info failed for %s: %s", user_id, error.response.get("error"))
        return
    record_timezone(
        deps.uow,
        workspace_id=workspace_id,
        user_id=user_id,
        timezone=user.get("tz"),
        now=deps.clock.now(),
    )
