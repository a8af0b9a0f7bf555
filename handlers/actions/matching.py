"""Buttons of the matcher: switch a round's mode, send its proposals, answer a proposal, invite."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.ids import parse_id, row_id
from bot.matching import RoundMode
from bot.services.matching import answer_proposal, preview_round, send_proposals
from bot.views import matching as views
from handlers.actions.applications import answer, context_of
from handlers.deps import Deps
from handlers.replies import tell, workspace_of


def _mode(body: dict[str, Any]) -> RoundMode | None:
    value = body["actions"][0].get("value", "")
    return RoundMode(value) if value in RoundMode.__members__.values() else None


def register(app: App, deps: Deps) -> None:
    def organiser_only(body: dict[str, Any], client: WebClient) -> bool:
        if deps.settings.is_admin(body["user"]["id"]):
            return True
        tell(client, body, "Only organisers run matching rounds.")
        return False

    @app.action(views.ROUND_MODE_ACTION)
    def switch_mode(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        mode = _mode(body)
        if mode is None or not organiser_only(body, client):
            return
        with deps.reader() as uow:
            preview = preview_round(
                uow,
                workspace_of(body),
                mode,
                today=deps.today(),
                related=deps.vocabulary.related_map(),
            )
        respond(replace_original=True, **views.round_preview_message(preview))

    @app.action(views.ROUND_SEND)
    def send(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        mode = _mode(body)
        if mode is None or not organiser_only(body, client):
            return
        with deps.uow() as uow:
            sent = send_proposals(
                uow, context_of(body, deps), mode, related=deps.vocabulary.related_map()
            )
        for proposal in sent:
            client.chat_postMessage(channel=proposal.visitor_id, **views.proposal_message(proposal))
        respond(replace_original=True, text=views.proposals_sent_text(len(sent)))

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
    def invite(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        lead = body["user"]["id"]
        try:
            value = json.loads(body["actions"][0].get("value", ""))
            opening_id, visitor = parse_id(value["opening"]), str(value["visitor"])
        except (ValueError, KeyError, TypeError):
            opening_id, visitor = None, ""
        if opening_id is None:
            tell(client, body, "That invitation button is broken; run `/tourism candidates` again.")
            return
        with deps.reader() as uow:
            opening = uow.openings.get(workspace_of(body), opening_id)
        if opening is None or not (lead in opening.team_lead_ids or deps.settings.is_admin(lead)):
            tell(client, body, "Only a lead of the host team (or an organiser) can invite to it.")
            return
        draft = opening.draft
        why = (
            f"{draft.weeks} weeks between {draft.earliest_start:%-d %b} "
            f"and {draft.latest_end:%-d %b}."
        )
        client.chat_postMessage(channel=visitor, **views.invitation_message(lead, opening, why))
        tell(client, body, f"Invited <@{visitor}>: they can apply from my message.")
