"""The `/tourism` subcommands: what exists, who it is for, and how to read what the user typed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

from bot.core.user_text import clean_user_text


class Audience(StrEnum):
    EVERYONE = "For everyone"
    LEADS = "For team leads"
    ORGANISERS = "For organisers"


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    audience: Audience = Audience.EVERYONE


# Each entry has a handler registered in handlers/commands/ (a test keeps the two in step);
# a subcommand is listed here only once it works, so help never points at a dead end.
CATALOGUE: tuple[Subcommand, ...] = (
    Subcommand("help", "help", "Show this list of commands."),
    Subcommand(
        "openings",
        "openings [topic] | openings mine",
        "Open openings to visit, about a topic if you name one; `mine` lists your team's.",
    ),
    Subcommand("host", "host", "Post an opening for a visitor to join your team.", Audience.LEADS),
    Subcommand(
        "candidates",
        "candidates",
        "Who would fit each of your team's openings, with an Invite button.",
        Audience.LEADS,
    ),
    Subcommand("profile", "profile", "What you want to learn and teach, and when you are free."),
    Subcommand("match", "match", "Your five best-fitting openings, each with the reasons."),
    Subcommand(
        "pause",
        "pause [until DATE]",
        "Stop being suggested for visits, until you resume or until a date (2027-01-15, 15 Jan).",
    ),
    Subcommand("resume", "resume", "Be suggested for visits again after a pause."),
    Subcommand(
        "forget-me",
        "forget-me",
        "Remove your profile, applications, check-ins and retro text (you confirm first).",
    ),
    Subcommand("status", "status", "Your profile, visits, applications and what waits for you."),
    Subcommand(
        "extend", "extend", "During your visit: ask both team leads for one or two more weeks."
    ),
    Subcommand(
        "stay",
        "stay [off]",
        "Tell only the two team leads you might like to stay on; `off` takes it back.",
    ),
    Subcommand(
        "team",
        "team add|edit NAME|list|remove NAME",
        "Keep the team directory: leads, channel, away cap, blackouts, sprints, host limits.",
        Audience.ORGANISERS,
    ),
    Subcommand(
        "round",
        "round [best|fair|calendar]",
        "Preview an organisation-wide matching round, then send its proposals.",
        Audience.ORGANISERS,
    ),
    Subcommand(
        "stats",
        "stats",
        "The programme in numbers: openings, visits, retros, share-backs.",
        Audience.ORGANISERS,
    ),
)


@dataclass(frozen=True)
class CommandLine:
    name: str
    args: tuple[str, ...]
    raw_args: str


def parse_command_line(text: str) -> CommandLine:
    """`"  Openings  kafka streams"` → name "openings", args ("kafka", "streams")."""
    text = clean_user_text(text)
    words = text.split()
    if not words:
        return CommandLine(name="", args=(), raw_args="")
    name = words[0].lower()
    raw_args = text.strip()[len(words[0]) :].strip()
    return CommandLine(name=name, args=tuple(words[1:]), raw_args=raw_args)


def find_subcommand(name: str) -> Subcommand | None:
    return next((command for command in CATALOGUE if command.name == name), None)


def closest_subcommands(name: str, limit: int = 2) -> list[Subcommand]:
    by_name = {command.name: command for command in CATALOGUE}
    return [
        by_name[match]
        for match in difflib.get_close_matches(name, list(by_name), n=limit, cutoff=0.5)
    ]
