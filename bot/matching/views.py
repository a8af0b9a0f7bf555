"""Suggestions, candidates, the matching round's preview and its proposals. The matcher's
explanations contain topic names people typed, so they are escaped like any user text."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.core.blocks import (
    MESSAGE_BLOCK_LIMIT,
    button,
    context,
    divider,
    escape,
    header,
    section,
    user_mention,
    visit_dates,
)
from bot.core.words import counted, plural_of
from bot.home.views import PROFILE_EDIT
from bot.matching import RoundMode, Unplaced
from bot.matching.service import (
    MyMatches,
    OpeningCandidates,
    RoundPreview,
    SentProposal,
    SentRound,
)
from bot.openings.model import PostedOpening
from bot.openings.views import APPLY

ROUND_MODE = "round_mode"
# Slack refuses an actions block whose buttons share an action_id: one per mode.
ROUND_MODE_ACTION = re.compile(rf"^{ROUND_MODE}:")
ROUND_SEND = "round_send"
PROPOSAL_ACCEPT = "proposal_accept"
PROPOSAL_DECLINE = "proposal_decline"
CANDIDATE_INVITE = "candidate_invite"
ROUND_TELL_LEFT_OUT = "round_tell_left_out"

MODE_NAMES = {
    RoundMode.BEST_TOTAL_FIT: "Best total fit",
    RoundMode.FAIR: "Fair / stable",
    RoundMode.CALENDAR: "Calendar-aware",
}
MODE_HINTS = {
    RoundMode.BEST_TOTAL_FIT: "the largest total fit, exactly; some get their second choice",
    RoundMode.FAIR: "nobody would rather swap with a host who would rather have them",
    RoundMode.CALENDAR: "home-team limits per day, start dates chosen for everyone",
}
PLACEMENTS_SHOWN = 25
TOURED_NAMES_SHOWN = 3  # an escaped team name can reach 750 characters; a context 3000
UNPLACED_SHOWN = 10
CANDIDATE_OPENINGS_SHOWN = 7

Block = dict[str, Any]


def _opening_line(opening: PostedOpening) -> str:
    return f"*{escape(opening.title)}* with *{escape(opening.team_name)}*"


# --- /tourism match -----------------------------------------------------------------------------


def matches_message(mine: MyMatches) -> dict[str, Any]:
    if not mine.has_profile:
        return {
            "text": "Set up your profile first",
            "blocks": [
                section(
                    "I match openings to what you want to learn and when you are free: tell me "
                    "with `/tourism profile` first."
                ),
                {
                    "type": "actions",
                    "elements": [button("Set up my profile", PROFILE_EDIT, "", style="primary")],
                },
            ],
        }
    if mine.diagnosis is not None:
        blocks: list[Block] = [
            header("Nothing fits you right now"),
            section(escape(mine.diagnosis.sentence)),
            *_toured_note(mine.toured),
        ]
        blocks.append(
            context(
                "Change your dates or topics with `/tourism profile`, or browse every open "
                "opening with `/tourism openings`."
            )
        )
        return {"text": "No opening fits you right now", "blocks": blocks}
    blocks = [header("Openings that fit you")]
    for match in mine.matches:
        block = section(
            f"{_opening_line(match.opening)}\n{escape(match.suggestion.explanation.text)}"
        )
        block["accessory"] = button("Apply", APPLY, str(match.opening.id), style="primary")
        blocks.append(block)
    blocks += _toured_note(mine.toured)
    blocks.append(context("Best first. `/tourism openings` lists every open opening."))
    return {"text": "Openings that fit you", "blocks": blocks}


def _toured_note(toured: tuple[str, ...]) -> list[Block]:
    """Why openings about what they want to learn are missing: they have visited those teams."""
    if not toured:
        return []
    names = ", ".join(f"*{escape(name)}*" for name in toured[:TOURED_NAMES_SHOWN])
    more = (
        f" and {len(toured) - TOURED_NAMES_SHOWN} more" if len(toured) > TOURED_NAMES_SHOWN else ""
    )
    teams = plural_of(len(toured), "a team", "teams")
    return [
        context(f"Not suggested: the openings of {names}{more}, {teams} you have already visited.")
    ]


# --- /tourism candidates ------------------------------------------------------------------------


def candidates_message(openings: list[OpeningCandidates]) -> dict[str, Any]:
    if not openings:
        return {
            "text": "No open openings",
            "blocks": [section("Your teams have no open openings: post one with `/tourism host`.")],
        }
    blocks: list[Block] = [header("Who would fit your openings")]
    for entry in openings[:CANDIDATE_OPENINGS_SHOWN]:
        blocks.append(section(_opening_line(entry.opening)))
        if not entry.candidates:
            blocks.append(
                context("Nobody fits yet: people who are looking and free then would show here.")
            )
        for candidate in entry.candidates:
            line = section(
                f"{user_mention(candidate.visitor_id)}: {escape(candidate.explanation.text)}"
            )
            value = json.dumps({"opening": entry.opening.id, "visitor": candidate.visitor_id})
            line["accessory"] = button("Invite", CANDIDATE_INVITE, value)
            blocks.append(line)
        blocks.append(divider())
    if len(openings) > CANDIDATE_OPENINGS_SHOWN:
        blocks.append(
            context(f"…and {counted(len(openings) - CANDIDATE_OPENINGS_SHOWN, 'more opening')}.")
        )
    return {"text": "Who would fit your openings", "blocks": blocks[:MESSAGE_BLOCK_LIMIT]}


def invitation_message(lead_id: str, opening: PostedOpening) -> dict[str, Any]:
    draft = opening.draft
    weeks = counted(draft.weeks or 0, "week")
    when = f"{weeks} between {draft.earliest_start:%-d %b} and {draft.latest_end:%-d %b}."
    apply = section(
        f"{user_mention(lead_id)} invites you to visit: {_opening_line(opening)}.\n{when}"
    )
    apply["accessory"] = button("Apply", APPLY, str(opening.id), style="primary")
    return {"text": "You are invited to a team tourism visit", "blocks": [apply]}


def already_invited_text(visitor_id: str) -> str:
    return (
        f"{user_mention(visitor_id)} was already invited to this opening, so I sent nothing "
        "again: they can apply from my earlier message."
    )


def invitation_failed_text(visitor_id: str, error: str) -> str:
    return (
        f"I could not send the invitation to {user_mention(visitor_id)} (Slack said "
        f"`{escape(error)}`). Try again in a moment."
    )


# --- /tourism round -----------------------------------------------------------------------------


def round_preview_message(preview: RoundPreview, *, told: int | None = None) -> dict[str, Any]:
    """The round's preview; `told` is how many left-out people were just told why."""
    result = preview.result
    mode = result.mode
    summary = escape(result.summary)
    if mode is RoundMode.CALENDAR and result.upper_bound > result.total_score:
        gap = 1 - result.total_score / result.upper_bound
        summary += f"; within {gap:.1%} of the best possible ({result.upper_bound:.1f})"
    blocks: list[Block] = [
        header(f"Matching round: {MODE_NAMES[mode]}"),
        context(MODE_HINTS[mode]),
        section(summary),
        {
            "type": "actions",
            "elements": [
                button(MODE_NAMES[other], f"{ROUND_MODE}:{other.value}", other.value)
                for other in RoundMode
                if other is not mode
            ],
        },
        divider(),
    ]
    blocks += _placement_blocks(preview)
    blocks += _unplaced_blocks(preview, told)
    blocks += _waiting_blocks(preview)
    if result.placements:
        send = button(
            f"Send {counted(len(result.placements), 'proposal')}",
            ROUND_SEND,
            mode.value,
            style="primary",
        )
        send["confirm"] = {
            "title": {"type": "plain_text", "text": "Send the proposals?"},
            "text": {
                "type": "plain_text",
                "text": "Each placed person gets a direct message to accept or decline.",
            },
            "confirm": {"type": "plain_text", "text": "Send"},
            "deny": {"type": "plain_text", "text": "Not yet"},
        }
        blocks.append({"type": "actions", "elements": [send]})
    return {
        "text": f"Matching round preview: {result.summary}",
        "blocks": blocks[:MESSAGE_BLOCK_LIMIT],
    }


def _placement_blocks(preview: RoundPreview) -> list[Block]:
    placements = preview.result.placements
    if not placements:
        return [section("Nobody can be placed right now.")]
    lines = []
    for placement in placements[:PLACEMENTS_SHOWN]:
        opening = preview.openings.get(placement.opening_id)
        where = _opening_line(opening) if opening else "an opening that has just closed"
        star = " · first choice" if placement.first_choice else ""
        lines.append(
            f"• {user_mention(placement.visitor_id)} → {where}, "
            f"{visit_dates(placement.start, placement.end)} (fit {placement.score:.1f}{star})"
        )
    if len(placements) > PLACEMENTS_SHOWN:
        lines.append(f"…and {len(placements) - PLACEMENTS_SHOWN} more")
    return [section("*Placed*\n" + "\n".join(lines))]


def _unplaced_blocks(preview: RoundPreview, told: int | None) -> list[Block]:
    unplaced = preview.result.unplaced
    if not unplaced:
        return []
    lines = []
    for person in unplaced[:UNPLACED_SHOWN]:
        nearest = preview.openings.get(person.nearest_opening_id or "")
        near = f"; nearest: {_opening_line(nearest)}" if nearest else ""
        lines.append(f"• {user_mention(person.visitor_id)}: {escape(person.reason)}{near}")
    if len(unplaced) > UNPLACED_SHOWN:
        lines.append(f"…and {len(unplaced) - UNPLACED_SHOWN} more")
    blocks = [section("*Not placed*\n" + "\n".join(lines))]
    if told is not None:
        blocks.append(context(f":white_check_mark: Told {_people(told)} left out why."))
    else:
        tell = button(
            f"Tell the {_people(len(unplaced))} left out why",
            ROUND_TELL_LEFT_OUT,
            preview.result.mode.value,
        )
        blocks.append({"type": "actions", "elements": [tell]})
    return blocks


def _people(count: int) -> str:
    return counted(count, "person", "people")


def _waiting_blocks(preview: RoundPreview) -> list[Block]:
    """People the round leaves out because a proposal still waits for their answer."""
    if not preview.waiting:
        return []
    lines = []
    for waiting in preview.waiting[:UNPLACED_SHOWN]:
        where = _opening_line(waiting.opening) if waiting.opening else "an opening now closed"
        lines.append(f"• {user_mention(waiting.visitor_id)}: has not answered {where} yet")
    if len(preview.waiting) > UNPLACED_SHOWN:
        lines.append(f"…and {len(preview.waiting) - UNPLACED_SHOWN} more")
    return [
        section(
            "*Left out: a proposal is waiting for their answer* (its seat stays held)\n"
            + "\n".join(lines)
        )
    ]


def left_out_message(person: Unplaced, preview: RoundPreview) -> dict[str, Any]:
    """To someone a round could not place: the matcher's reason, and what they can do."""
    nearest = preview.openings.get(person.nearest_opening_id or "")
    near = f" The nearest fit was {_opening_line(nearest)}." if nearest else ""
    return {
        "text": "The matching round could not place you this time",
        "blocks": [
            section(
                "The organisers ran a matching round and could not place you this time: "
                f"{escape(person.reason)}.{near}"
            ),
            context(
                "Change your dates or topics with `/tourism profile`, or browse every open "
                "opening with `/tourism openings`."
            ),
        ],
    }


def proposal_message(proposal: SentProposal) -> dict[str, Any]:
    team = escape(proposal.opening.team_name)
    return {
        "text": "A team tourism visit is proposed to you",
        "blocks": [
            header("A visit for you"),
            section(
                f"The organisers' matching round proposes {_opening_line(proposal.opening)}, "
                f"{visit_dates(proposal.starts_on, proposal.ends_on)}.\n"
                f"{escape(proposal.explanation)}"
            ),
            context(
                f"{team} posted this opening for visitors like you; the organisers proposed you "
                f"for it. If you accept, it becomes your application: {team}'s lead accepts or "
                "declines it, then your home team lead is asked."
            ),
            {
                "type": "actions",
                "elements": [
                    button("Accept", PROPOSAL_ACCEPT, str(proposal.proposal_id), style="primary"),
                    button("Decline", PROPOSAL_DECLINE, str(proposal.proposal_id)),
                ],
            },
        ],
    }


def proposals_sent_text(round_: SentRound) -> str:
    waiting = ""
    if round_.waiting:
        who = counted(round_.waiting, "person who has", "people who have")
        waiting = f" Left out: {who} not answered an earlier proposal yet."
    if round_.sent:
        return (
            f"Sent {counted(len(round_.sent), 'proposal')}. Each person accepts or declines in "
            f"their direct messages.{waiting}"
        )
    if round_.already_sent:
        return "No new proposals were sent: these were sent a moment ago." + waiting
    if round_.waiting:
        return "No new proposals were sent." + waiting
    return "Nobody could be placed, so no proposals were sent."
