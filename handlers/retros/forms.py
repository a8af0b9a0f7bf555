"""Modal submissions at the end of a visit: the retro (and its highlight in the tourism channel)
and the booking of the share-back session (announced in the channel the visitor picked)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.applications.service import Context
from bot.applications.views import refusal_modal
from bot.core.ids import row_id
from bot.openings.service import AnnouncementProblem, announcement_problem
from bot.retros import service as retros
from bot.retros import views
from bot.retros.model import HighlightStep, RetroInput
from bot.retros.service import Highlight, Session
from handlers.applications.actions import context_of
from handlers.forms import FormValues
from handlers.openings.announcements import post_in_channel
from handlers.replies import tell
from handlers.retros.actions import update_message
from infra.deps import Deps

log = logging.getLogger(__name__)


def _problem(error: SlackApiError, channel: str | None) -> str:
    code = str(error.response.get("error") or "unknown_error")
    log.warning("posting in %s failed: %s", channel, code)
    return views.channel_problem(announcement_problem(code), channel, code)


def show_highlight(
    client: WebClient, deps: Deps, ctx: Context, highlight: Highlight
) -> tuple[str | None, str | None]:
    """Makes the channel show what the visitor consented to: (posted or updated in, problem)."""
    step, channel, ts = highlight.step, highlight.channel, highlight.ts
    if step is HighlightStep.NOT_CONFIGURED:
        return None, views.channel_problem(AnnouncementProblem.NOT_CONFIGURED, None, "")
    if step is HighlightStep.NONE or channel is None:
        return None, None
    tour_id = highlight.visit.tour_id
    try:
        if step is HighlightStep.REMOVE:
            assert ts is not None  # only a posted highlight is removed or updated
            client.chat_delete(channel=channel, ts=ts)
            with deps.uow() as uow:
                retros.place_highlight(uow, ctx, tour_id, None, None)
            return None, None
        message = views.highlight_message(highlight)
        if step is HighlightStep.UPDATE:
            assert ts is not None
            client.chat_update(channel=channel, ts=ts, **message)
            return channel, None
        posted = post_in_channel(client, channel, message)
    except SlackApiError as error:
        return None, _problem(error, channel)
    with deps.uow() as uow:
        retros.place_highlight(uow, ctx, tour_id, channel, posted)
    return channel, None


def announce_session(client: WebClient, deps: Deps, session: Session) -> str | None:
    """Posts the session in its channel; the problem, if that failed."""
    try:
        ts = post_in_channel(client, session.channel, views.session_message(session))
    except SlackApiError as error:
        return _problem(error, session.channel)
    with deps.uow() as uow:
        retros.place_session(uow, session.visit.tour_id, session.channel, ts)
    return None


def _retro_input(form: FormValues) -> RetroInput:
    return RetroInput(
        learned=form.text("learned"),
        bring_back=form.text("bring_back"),
        rating=form.selected("rating"),
        length=form.selected("length"),
        shareable=form.checked(views.SHARE, views.SHARE),
    )


def register(app: App, deps: Deps) -> None:
    @app.view(views.RETRO_MODAL)
    def on_retro(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        metadata = view.get("private_metadata", "")
        ctx = context_of(body, deps)
        with deps.uow() as uow:
            outcome = retros.save_retro(
                uow,
                ctx,
                row_id(metadata),
                _retro_input(FormValues(view)),
                tourism_channel=deps.settings.announcement_channel,
                organisation_zone=deps.settings.timezone,
            )
        if outcome.errors:
            ack(response_action="errors", errors=outcome.errors)
            return
        if outcome.highlight is None:
            ack(response_action="update", view=refusal_modal(outcome.refusal or ""))
            return
        ack()
        posted_in, problem = show_highlight(client, deps, ctx, outcome.highlight)
        text = views.retro_saved_text(
            outcome.highlight, created=outcome.created, posted_in=posted_in, problem=problem
        )
        tell(client, body, text)

    @app.view(views.SHARE_BACK_MODAL)
    def on_booking(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        target = views.read_modal_metadata(view.get("private_metadata", ""))
        if target is None:
            ack(response_action="update", view=refusal_modal("That reminder is gone."))
            return
        tour_id, reminder_channel, reminder_ts = target
        form = FormValues(view)
        with deps.uow() as uow:
            outcome = retros.book_share_back(
                uow, context_of(body, deps), tour_id, form.date("day"), form.conversation("channel")
            )
        if outcome.errors:
            ack(response_action="errors", errors=outcome.errors)
            return
        if outcome.session is None or outcome.state is None:
            ack(response_action="update", view=refusal_modal(outcome.refusal or ""))
            return
        ack()
        problem = announce_session(client, deps, outcome.session)
        update_message(
            client, reminder_channel, reminder_ts, views.updated_share_back(outcome.state)
        )
        tell(client, body, views.session_booked_text(outcome.session, problem))
