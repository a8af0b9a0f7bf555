"""Publishing the App Home: when it is opened, and after any change that concerns someone."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.home.service import load_home
from bot.home.views import PROFILE_EDIT, ROUND_FROM_HOME, STATS_FROM_HOME, home_view
from bot.matching import RoundMode
from bot.matching.service import preview_round
from bot.matching.views import round_preview_message
from bot.profiles.service import profile_editor
from bot.profiles.views import profile_modal
from bot.stats.service import organiser_report
from bot.stats.views import stats_message
from handlers.replies import workspace_of
from handlers.stats.commands import direct_message, send_charts
from infra.deps import Deps

log = logging.getLogger(__name__)


def home_for(deps: Deps, workspace_id: str, user_id: str) -> dict[str, Any]:
    with deps.reader() as uow:
        data = load_home(
            uow,
            workspace_id,
            user_id,
            today=deps.today(),
            is_organiser=deps.settings.is_admin(user_id),
            related=deps.vocabulary.related_map(),
        )
    return home_view(data)


def refresh_homes(
    client: WebClient, deps: Deps, workspace_id: str, user_ids: Iterable[str]
) -> None:
    for user_id in dict.fromkeys(user_ids):
        try:
            client.views_publish(user_id=user_id, view=home_for(deps, workspace_id, user_id))
        except SlackApiError as error:
            log.warning("could not refresh the Home tab: %s", error.response["error"])


def register(app: App, deps: Deps) -> None:
    @app.action(PROFILE_EDIT)
    def edit_profile(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        editor = profile_editor(
            deps.reader,
            workspace_id=workspace_of(body),
            user_id=body["user"]["id"],
            today=deps.today(),
        )
        client.views_open(
            trigger_id=body["trigger_id"],
            view=profile_modal(editor, deps.vocabulary, deps.settings.admin_user_ids),
        )

    @app.action(ROUND_FROM_HOME)
    def round_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """The Home tab has no reply channel: the preview arrives as a DM, buttons and all."""
        ack()
        user_id = body["user"]["id"]
        if not deps.settings.is_admin(user_id):
            return
        with deps.reader() as uow:
            preview = preview_round(
                uow,
                workspace_of(body),
                RoundMode.BEST_TOTAL_FIT,
                today=deps.today(),
                related=deps.vocabulary.related_map(),
            )
        client.chat_postMessage(channel=user_id, **round_preview_message(preview))

    @app.action(STATS_FROM_HOME)
    def stats_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        if not deps.settings.is_admin(user_id):
            return
        with deps.reader() as uow:
            report = organiser_report(uow, workspace_of(body), deps.today(), deps.settings.timezone)
        client.chat_postMessage(channel=user_id, **stats_message(report, deps.today()))
        send_charts(client, direct_message(client, user_id), report)
