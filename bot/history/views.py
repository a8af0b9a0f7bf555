"""A visit's history as an ephemeral message: one line per change, newest page first."""

from __future__ import annotations

from typing import Any

from bot.core.blocks import actions, button, escape, header, section, user_mention
from bot.history.model import FieldChange, HistoryEntry, Record
from bot.history.service import VisitHistory

HISTORY = "visit_history"  # the History button on a visit's messages; value: application id
HISTORY_PAGE = "visit_history_page"  # Earlier / Later; value: "application id:page"

RECORD_NAMES = {
    Record.APPLICATION: "Application",
    Record.TOUR: "Visit",
    Record.EXTENSION: "Extension request",
    Record.CARD_CONFIRMATION: "Visit card",
    Record.OPENING: "Opening",
}
FIELD_NAMES = {"status": "status", "starts_on": "first day", "ends_on": "last day"}


def history_message(history: VisitHistory) -> dict[str, Any]:
    visit, page = history.visit, history.page
    title = (
        f"History of {user_mention(visit.visitor_id)}'s visit to *{escape(visit.opening_title)}*"
    )
    ids = f"application {visit.application_id}" + (
        f", visit {visit.tour_id}" if visit.tour_id is not None else ""
    )
    lines = [section(_entry_line(entry)) for entry in page.entries] or [
        section("Nothing has changed yet.")
    ]
    return {
        "text": "The visit's history",
        "blocks": [
            header("Visit history"),
            section(f"{title} ({ids}), oldest first. Times are UTC."),
            *lines,
            *_paging(visit.application_id, page.page, earlier=page.earlier, later=page.later),
        ],
    }


def _paging(application_id: int, page: int, *, earlier: bool, later: bool) -> list[dict[str, Any]]:
    buttons = []
    if earlier:
        buttons.append(button("Earlier changes", HISTORY_PAGE, f"{application_id}:{page + 1}"))
    if later:
        buttons.append(button("Later changes", HISTORY_PAGE, f"{application_id}:{page - 1}"))
    return [actions(*buttons)] if buttons else []


def _entry_line(entry: HistoryEntry) -> str:
    who = user_mention(entry.actor_id) if entry.actor_id else "the bot"
    what = RECORD_NAMES[entry.record]
    if entry.record is Record.CARD_CONFIRMATION:
        role = next((c.after for c in entry.changes if c.field == "role"), "")
        change = f"confirmed by the {_words(role)}"
    elif entry.created:
        change = "created: " + ", ".join(_created(c) for c in entry.changes)
    else:
        change = ", ".join(_changed(c) for c in entry.changes)
    return f"*{entry.at:%-d %b %Y %H:%M}* · {who} · {what}: {change}"


def _created(change: FieldChange) -> str:
    return f"{FIELD_NAMES.get(change.field, change.field)} {_words(change.after)}"


def _changed(change: FieldChange) -> str:
    field = FIELD_NAMES.get(change.field, change.field)
    return f"{field} {_words(change.before)} → {_words(change.after)}"


def _words(value: Any) -> str:
    """A stored value as people read it: `host_accepted` → host accepted."""
    return escape(str(value).replace("_", " ")) if value is not None else "none"
