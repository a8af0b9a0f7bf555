"""Buttons of the matcher: switch a round's mode, send its proposals, answer a proposal, invite."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.ids import parse_id, row_id
from bot.matching import RoundMode, views
from bot.matching.service import (
    RoundPreview,
    answer_proposal,
    forget_invitation,
    invite,
    preview_round,
    send_proposals,
)
from handlers.applications.actions import answer, context_of
from handlers.replies import tell, workspace_of
from infra.deps import Deps


def _mode(body: dict[str, Any]) -> RoundMode | None:
    value = body["actions"][0].get("value", "")
    return RoundMode(value) if value in RoundMode.__members__.values() else None


def _preview(deps: Deps, body: dict[str, Any], mode: RoundMode) -> RoundPreview:
    with deps.reader() as uow:
        return preview_round(
            uow,
            workspace_of(body),
            mode,
            today=deps.today(),
            related=deps.vocabulary.related_map(),
        )


def _invite(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """A lead invites a candidate to apply: once, however often the button is pressed."""
    try:
        value = json.loads(body["actions"][0].get("value", ""))
        opening_id, visitor = parse_id(value["opening"]), str(value["visitor"])
    except (ValueError, KeyError, TypeError):
        opening_id, visitor = None, ""
    if opening_id is None:
        tell(client, body, "That invitation button is broken; run `/tourism candidates` again.")
        return
    ctx = context_of(body, deps)
    with deps.uow() as uow:
        outcome = invite(
            uow, ctx, opening_id, visitor, is_organiser=deps.settings.is_admin(ctx.actor)
        )
    if outcome.opening is None or outcome.already:
        tell(client, body, outcome.refusal or views.already_invited_text(visitor))
        return
    try:
        client.chat_postMessage(
            channel=visitor, **views.invitation_message(ctx.actor, outcome.opening)
        )
    except SlackApiError as error:
        with deps.uow() as uow:
            forget_invitation(uow, ctx, opening_id, visitor)
        tell(client, body, views.invitation_failed_text(visitor, error.response["error"]))
        return
    tell(client, body, f"Invited <@{visitor}>: they can apply from my message.")


def register(app: App, deps: Deps) -> None:
    def organisers_mode(body: dict[str, Any], client: WebClient) -> RoundMode | None:
        """The round's mode from the button, when an organiser pressed it."""
        mode = _mode(body)
        if mode is None or deps.settings.is_admin(body["user"]["id"]):
            return mode
        tell(client, body, "Only organisers run matching rounds.")
        return None

    @app.action(views.ROUND_MODE_ACTION)
    def switch_mode(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        mode = organisers_mode(body, client)
        if mode is None:
            return
        preview = _preview(deps, body, mode)
        respond(replace_original=True, **views.round_preview_message(preview))

    @app.action(views.ROUND_SEND)
    def send(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        mode = organisers_mode(body, client)
        if mode is None:
            return
        with deps.uow() as uow:
            round_ = send_proposals(
                uow, context_of(body, deps), mode, related=deps.vocabulary.related_map()
            )
        for proposal in round_.sent:
            client.chat_postMessage(channel=proposal.visitor_id, **views.proposal_message(proposal))
        respond(replace_original=True, text=views.proposals_sent_text(round_))

    @app.action(views.ROUND_TELL_LEFT_OUT)
    def tell_left_out(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        mode = organisers_mode(body, client)
        if mode is None:
            return
        preview = _preview(deps, body, mode)
        for person in preview.result.unplaced:
            client.chat_postMessage(
                channel=person.visitor_id, **views.left_out_message(person, preview)
            )
        respond(
            replace_original=True,
            **views.round_preview_message(preview, told=len(preview.result.unplaced)),
        )

    @app.action(views.PROPOSAL_ACCEPT)
    @app.action(views.PROPOSAL_DECLINE)
    def answer_proposal_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        ctx = context_of(body, deps)
        value = action.get("value", "")
        with deps.uow() as uow:
            outcome = answer_proposal(
                uow,
                ctx,
                row_id(value),
                accept=action["action_id"] == views.PROPOSAL_ACCEPT,
            )
        if outcome.ok and outcome.visit is None:
            tell(client, body, "Declined: I won't propose this visit again.")
            return
        answer(outcome, ctx, body, deps, client)

    @app.action(views.CANDIDATE_INVITE)
    def invite_candidate(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _invite(deps, body, client)
