"""Safe text for Block Kit: user text escaped, lengths kept within Slack's limits."""

from __future__ import annotations

from datetime import date
from typing import Any

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
MESSAGE_BLOCK_LIMIT = 50
SURFACE_BLOCK_LIMIT = 100  # a modal or the Home tab


def escape(text: str) -> str:
    """Escapes mrkdwn's control characters so user text can neither ping nor link anybody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, SECTION_TEXT_LIMIT)}


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain(text, HEADER_TEXT_LIMIT)}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text)]}


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def user_mention(user_id: str) -> str:
    return f"<@{user_id}>"


def button(
    text: str, action_id: str, value: str | int = "", *, style: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A button; `style` is "primary" or "danger", `extra` e.g. a `confirm` dialog."""
    element: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if value != "":
        element["value"] = str(value)
    if style:
        element["style"] = style
    return {**element, **extra}


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def day(when: date) -> str:
    """A calendar day as people read it: "Mon 4 Jan 2027"."""
    return f"{when:%a} {when.day} {when:%b %Y}"


def visit_dates(first: date, last: date) -> str:
    """A visit's first and last (working) day, the same on every card, round and list:
    "Mon 14 Dec – Fri 8 Jan 2027" (the first day's year only when it differs)."""
    start = f"{first:%a} {first.day} {first:%b}"
    if first.year != last.year:
        start += f" {first.year}"
    return f"{start} – {day(last)}"
