"""The Block Kit every kind of request shares: who decides, in words (the visitor is told who
will, and whoever stands in for a team's lead is told why they got the request), the modals
asking for a reason, the absence and soft-rule lines, answered requests, undelivered notices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.approval.deciders import Deciders, StandIn
from bot.core.approval.requests import Undelivered
from bot.core.approval.steps import say_why_anyway
from bot.core.blocks import context, escape, section, user_mention
from bot.core.inputs import modal, text_input
from bot.core.visit_rules import AbsenceCheck

Message = dict[str, Any]


def who_decides(deciders: Deciders, team_name: str | None) -> str:
    """For the visitor: whose decision they wait for, and why when it is not simply the lead."""
    people = ", ".join(map(user_mention, deciders.people)) or "an organiser"
    team = escape(team_name or "")
    why = {
        StandIn.NONE: "",
        StandIn.OTHER_LEADS: f" (you lead {team} too, and nobody decides on their own visit)",
        StandIn.VISITOR_ONLY_LEAD: (
            f" (an organiser: you are {team}'s only lead, and nobody decides on their own visit)"
        ),
        StandIn.NO_LEAD: f" (an organiser: {team} has no lead listed)",
        StandIn.NO_TEAM: " (an organiser: you have not chosen a home team in your profile)",
    }[deciders.stand_in]
    return people + why


def stand_in_note(deciders: Deciders, team_name: str | None, visitor_id: str) -> str | None:
    """For whoever decides in a lead's place: why they got this request (None for the leads)."""
    team, visitor = escape(team_name or ""), user_mention(visitor_id)
    return {
        StandIn.NONE: None,
        StandIn.OTHER_LEADS: (
            f"You get this because {visitor} also leads {team}, and nobody decides on their "
            "own visit."
        ),
        StandIn.VISITOR_ONLY_LEAD: (
            f"You get this as an organiser because {visitor} is {team}'s only lead, and nobody "
            "decides on their own visit."
        ),
        StandIn.NO_LEAD: (
            f"You get this as an organiser because {team} has no lead listed in the team directory."
        ),
        StandIn.NO_TEAM: (
            "You get this as an organiser because the visitor has not chosen a home team in "
            "their profile."
        ),
    }[deciders.stand_in]


def reason_modal(callback_id: str, title: str, target_id: int, prompt: str) -> dict[str, Any]:
    """A decline (or withdrawal) with a reason for the visitor."""
    blocks = [text_input("reason", prompt, multiline=True, max_length=500, optional=True)]
    return modal(callback_id, title, blocks, submit="Send", private_metadata=str(target_id))


def absence_line(home_team_name: str | None, absence: AbsenceCheck | None) -> dict[str, Any]:
    """How many of the home team are away in the period against its cap, and any blackout."""
    if absence is None:
        return context("No home team on record, so no absence limit applies.")
    line = (
        f"Already away from {escape(home_team_name or '')} in that period: "
        f"*{absence.away_already}* (the team allows {absence.cap} at once)."
    )
    if absence.exceeds_cap:
        line += " :warning: Agreeing goes over the limit."
    if absence.blackout_conflicts:
        periods = ", ".join(f"{b.start:%-d %b}–{b.end:%-d %b}" for b in absence.blackout_conflicts)
        line += f" :warning: Blackout: {periods}."
    return section(line)


def warnings_line(warnings: tuple[str, ...]) -> str:
    """The soft rules some dates break, as a decider reads them."""
    return ":warning: These dates break a rule: " + "; ".join(warnings) + "."


def why_anyway_input(warnings: tuple[str, ...], label: str) -> dict[str, Any]:
    """The reason a decider gives for agreeing to dates that break soft rules."""
    return text_input(
        "override_reason", label, multiline=True, max_length=500, hint=say_why_anyway(warnings)
    )


def override_modal(
    callback_id: str, title: str, about: str, warnings: tuple[str, ...], target_id: int
) -> dict[str, Any]:
    """Agreeing to dates that break one of the host's rules: the warnings and a reason."""
    blocks = [
        section(about),
        section(warnings_line(warnings)),
        why_anyway_input(warnings, "Why agree anyway?"),
    ]
    return modal(callback_id, title, blocks, submit="Agree", private_metadata=str(target_id))


def add_stand_in_note(
    blocks: list[dict[str, Any]], deciders: Deciders, team_name: str | None, visitor_id: str
) -> None:
    note = stand_in_note(deciders, team_name, visitor_id)
    if note is not None:
        blocks.append(context(note))


def answered(original: Message, footer: str) -> Message:
    """A request that has been answered: the buttons give way to who did what."""
    blocks = [block for block in original["blocks"] if block["type"] != "actions"]
    blocks.append(context(footer))
    return {"text": original["text"], "blocks": blocks}


def undelivered_report(subject: str, failed: Sequence[Undelivered]) -> str:
    """For the organisers: the notices about `subject` Slack would not deliver, to pass on."""
    notices = "; ".join(f"{f.kind} to {user_mention(f.user_id)} ({f.error})" for f in failed)
    return f"I could not deliver some messages about {subject}: {notices}. Please pass them on."
