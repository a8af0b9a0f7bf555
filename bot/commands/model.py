"""The `/tourism` subcommands: what exists, who it is for, and how to read what the user typed."""

from __future__ import annotations

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
        "history",
        "history APPLICATION-ID | history visit VISIT-ID",
        "Every change of a visit: who changed what, when, from what to what.",
    ),
    Subcommand(
        "team",
        "team add|edit NAME|list|remove NAME",
        "Keep the team directory: leads, channel, away cap, blackouts, sprints, host limits.",
        Audience.ORGANISERS,
    ),
    Subcommand(
        "topics",
        "topics merge STRAY into TOPIC",
        "Merge a stray topic (a typo) into an entry of the topic list everywhere.",
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
        "stats [channel]",
        "Your visits (and your teams' visitors); organisers: the programme's figures and charts "
        "(to your DM, or to the announcement channel).",
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


def closest_subcommands(typed: str, *, organiser: bool, limit: int = 2) -> list[Subcommand]:
    """The one or two subcommands `typed` is a slip of, closest first; none when it is not close.

    Close means a prefix of at least three letters ("open") or at most one slip a short name
    allows, two for longer names, where swapping two neighbours counts once ("stauts"). Pure
    similarity is not enough: "export" and "extend" share half their letters but are not typos
    of each other. Organiser commands are offered only to organisers.
    """
    typed = typed.lower()
    scored = sorted(
        (distance, command.name, command)
        for command in CATALOGUE
        if organiser or command.audience is not Audience.ORGANISERS
        for distance in [_slips(typed, command.name)]
        if distance <= _slips_allowed(command.name) or _is_prefix(typed, command.name)
    )
    return [command for _, _, command in scored[:limit]]


MIN_PREFIX = 3


def _is_prefix(typed: str, name: str) -> bool:
    return len(typed) >= MIN_PREFIX and name.startswith(typed)


def _slips_allowed(name: str) -> int:
    return 1 if len(name) <= 4 else 2


def _slips(a: str, b: str) -> int:
    """Letters added, dropped, changed or swapped with a neighbour to turn `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (letter != other),
            )
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
