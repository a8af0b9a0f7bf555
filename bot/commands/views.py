"""The `/tourism help` message and the answer to a subcommand we do not know."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.commands.model import CATALOGUE, Audience, Subcommand
from bot.core.blocks import context, divider, escape, header, section, user_mention

INTRO = (
    "Team tourism: spend two to four weeks in another team to learn its domain, tools and way of "
    "working, then bring what you learned home."
)


def help_blocks(organiser_ids: Iterable[str]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header("Team tourism"), context(INTRO)]
    for audience in Audience:
        commands = [command for command in CATALOGUE if command.audience is audience]
        if commands:
            blocks.append(section(f"*{audience}*\n" + "\n".join(map(_line, commands))))
    blocks.append(divider())
    blocks.append(context(_organisers_line(sorted(organiser_ids))))
    return blocks


def help_text() -> str:
    """The notification fallback for the help message."""
    return "Team tourism commands: " + ", ".join(f"/tourism {c.name}" for c in CATALOGUE)


def unknown_command_blocks(typed: str, suggestions: list[Subcommand]) -> list[dict[str, Any]]:
    """A short answer to a typo: the closest command or two, else where the list is."""
    typed_text = escape(typed[:40])
    if not suggestions:
        return [
            section(
                f"I don't know `/tourism {typed_text}`. Type `/tourism help` to see what I can do."
            )
        ]
    names = " or ".join(f"`/tourism {command.usage}`" for command in suggestions)
    lines = "\n".join(map(_line, suggestions))
    return [section(f"I don't know `/tourism {typed_text}`. Did you mean {names}?"), context(lines)]


def _line(command: Subcommand) -> str:
    return f"`/tourism {command.usage}` – {command.summary}"


def _organisers_line(organiser_ids: list[str]) -> str:
    if not organiser_ids:
        return (
            "No organisers are set up yet: ask whoever runs this bot to add them to TOURISM_ADMINS."
        )
    return "Questions? Ask an organiser: " + ", ".join(map(user_mention, organiser_ids))
