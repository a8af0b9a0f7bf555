"""The end of a visit in Block Kit: the retro modal and its highlight, the share-back reminder,
its booking modal and the session's announcement, and the 90-day follow-up.

Buttons carry the tour id (and the follow-up the item's index) as data to look up; who clicked
comes from the payload. Everything a person typed is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.core.blocks import context, day, escape, header, plain, section, user_mention, visit_dates
from bot.core.ids import parse_id
from bot.core.inputs import (
    channel_select,
    checkboxes,
    date_input,
    modal,
    option,
    radio_buttons,
    text_input,
)
from bot.core.visits import TourVisit
from bot.openings.service import AnnouncementProblem
from bot.retros.model import (
    ACTION_ITEM_LENGTH,
    ACTION_ITEMS_LIMIT,
    ACTION_ITEMS_TEXT_LIMIT,
    LEARNED_LIMIT,
    RATINGS,
    HighlightStep,
    LengthVerdict,
)
from bot.retros.service import (
    FollowUpState,
    Highlight,
    RetroForm,
    Session,
    ShareBackForm,
    ShareBackState,
)

RETRO_OPEN = "retro_open"
SHARE_BACK_DONE = "share_back_done"
SHARE_BACK_NOT_YET = "share_back_not_yet"
RETRO_STUCK = "retro_item_stuck"

RETRO_MODAL = "retro_submit"
SHARE_BACK_MODAL = "share_back_submit"

SHARE = "share"
LENGTH_LABELS = {
    LengthVerdict.TOO_SHORT: "Too short",
    LengthVerdict.RIGHT: "About right",
    LengthVerdict.TOO_LONG: "Too long",
}
RATING_LABELS = {1: "1 · not worth it", 2: "2", 3: "3", 4: "4", 5: "5 · excellent"}

Message = dict[str, Any]


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": plain(text, 75),
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"• {escape(item)}" for item in items)


def _visit_line(visit: TourVisit) -> str:
    return (
        f"*{escape(visit.opening_title)}* with *{escape(visit.host_team)}*, "
        f"{visit_dates(visit.starts_on, visit.ends_on)}"
    )


# --- the retro ----------------------------------------------------------------------------------


def retro_button(tour_id: int) -> dict[str, Any]:
    """The retro prompt's button; it opens the modal (prefilled once a retro is saved)."""
    return {
        "type": "actions",
        "elements": [_button("Write my retro", RETRO_OPEN, str(tour_id), "primary")],
    }


def retro_modal(form: RetroForm, tourism_channel: str | None) -> dict[str, Any]:
    saved = form.saved
    where = f"in <#{tourism_channel}>" if tourism_channel else "in the team tourism channel"
    blocks = [
        section(f"Your retro of {_visit_line(form.visit)}."),
        text_input(
            "learned",
            "What I learned",
            initial=saved.learned if saved else "",
            multiline=True,
            max_length=LEARNED_LIMIT,
        ),
        text_input(
            "bring_back",
            "What I will bring back to my team",
            initial="\n".join(saved.action_items) if saved else "",
            multiline=True,
            max_length=ACTION_ITEMS_TEXT_LIMIT,
            optional=True,
            hint=(
                f"One action item a line (at most {ACTION_ITEMS_LIMIT}, each up to "
                f"{ACTION_ITEM_LENGTH} characters). In 90 days I will ask which ones stuck."
            ),
        ),
        radio_buttons(
            "rating",
            "How was the visit?",
            [option(str(value), RATING_LABELS[value]) for value in RATINGS],
            initial=str(saved.rating) if saved else None,
        ),
        radio_buttons(
            "length",
            "Was the length right?",
            [option(str(verdict), label) for verdict, label in LENGTH_LABELS.items()],
            initial=str(saved.length) if saved else None,
        ),
        checkboxes(
            SHARE,
            "Sharing",
            [option(SHARE, "Share what I learned and what I bring back")],
            checked=[SHARE] if saved and saved.shareable else [],
            hint=f"Shared retros are posted {where}; your rating stays with the organisers.",
        ),
    ]
    title = "Your retro" if saved is None else "Edit your retro"
    metadata = str(form.visit.tour_id)
    return modal(RETRO_MODAL, title, blocks, submit="Save", private_metadata=metadata)


def highlight_message(highlight: Highlight) -> Message:
    visit, answers = highlight.visit, highlight.answers
    home = f" from *{escape(visit.home_team)}*" if visit.home_team else ""
    blocks = [
        header("Team tourism highlight"),
        section(f"{user_mention(visit.visitor)}{home} visited {_visit_line(visit)}."),
        section(f"*What I learned*\n{escape(answers.learned)}"),
    ]
    if answers.action_items:
        blocks.append(section(f"*What I am bringing back*\n{_bullets(answers.action_items)}"))
    blocks.append(context("Curious? Type `/tourism openings` to find a team to visit."))
    return {"text": "A team tourism highlight", "blocks": blocks}


def channel_problem(problem: AnnouncementProblem, channel: str | None, slack_error: str) -> str:
    """Why a message could not go to a channel, and what the visitor can do about it."""
    where = f"<#{channel}>" if channel else "the team tourism channel"
    return {
        AnnouncementProblem.NOT_CONFIGURED: (
            "No team tourism channel is configured, so I could not share it. Ask an organiser "
            "to set TOURISM_CHANNEL; then save your retro again."
        ),
        AnnouncementProblem.PRIVATE_CHANNEL: (
            f"{where} is private and I am not in it: invite me with `/invite @Team Tourism` "
            "there, then try again."
        ),
        AnnouncementProblem.CHANNEL_NOT_FOUND: (
            f"I cannot find {where}: it was deleted, or it is private and I am not in it "
            "(then `/invite @Team Tourism` there)."
        ),
        AnnouncementProblem.ARCHIVED: f"{where} is archived: pick a channel in use.",
        AnnouncementProblem.FAILED: f"Slack answered `{escape(slack_error)}`; try again later.",
    }[problem]


def retro_saved_text(
    highlight: Highlight, *, created: bool, posted_in: str | None, problem: str | None
) -> str:
    parts = ["Thank you, your retro is saved." if created else "Your retro is updated."]
    if highlight.answers.action_items:
        parts.append("In 90 days I will ask which of your action items stuck.")
    if posted_in is not None:
        shown = "is shared" if highlight.step is HighlightStep.POST else "is updated"
        parts.append(f"Your highlight {shown} in <#{posted_in}>.")
    elif highlight.step is HighlightStep.REMOVE:
        parts.append(
            f"I could not remove your highlight: {problem}"
            if problem
            else "As you asked, your highlight is no longer shared."
        )
    elif problem is not None:
        parts.append(f"It is not shared: {problem}")
    return " ".join(parts)


# --- the share-back -----------------------------------------------------------------------------


def share_back_message(
    tour_id: int, host_team: str, home_team: str | None, state: ShareBackState | None = None
) -> Message:
    """The reminder a week after the return: Done / Not yet, until answered."""
    home = escape(home_team) if home_team else "your team"
    blocks = [
        section(
            f"A week ago you came back from *{escape(host_team)}*. Have you shown "
            f"{home} what you learned? Added backlog items for what you want to bring in?"
        )
    ]
    if state is not None and state.done:
        blocks.append(context(":white_check_mark: You shared what you learned. Thank you!"))
    elif state is not None and state.session_on is not None:
        blocks.append(
            context(
                f":calendar: Share-back session booked for {day(state.session_on)} "
                f"in <#{state.session_channel}>."
            )
        )
    if state is None or not state.done:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    _button("Done", SHARE_BACK_DONE, str(tour_id), "primary"),
                    _button(
                        "Not yet" if state is None else "Book again",
                        SHARE_BACK_NOT_YET,
                        str(tour_id),
                    ),
                ],
            }
        )
    return {"text": "Have you shared what you learned with your team?", "blocks": blocks}


def updated_share_back(state: ShareBackState) -> Message:
    visit = state.visit
    return share_back_message(visit.tour_id, visit.host_team, visit.home_team, state)


def modal_metadata(tour_id: int, channel: str, ts: str) -> str:
    """The tour and where the reminder is, so submitting the modal can update the reminder."""
    return json.dumps({"tour": tour_id, "channel": channel, "ts": ts})


def read_modal_metadata(metadata: str) -> tuple[int, str, str] | None:
    try:
        data = json.loads(metadata)
        tour_id, channel, ts = parse_id(data["tour"]), data["channel"], data["ts"]
    except (ValueError, TypeError, KeyError):
        return None
    return None if tour_id is None else (tour_id, str(channel), str(ts))


def share_back_modal(form: ShareBackForm, metadata: str) -> dict[str, Any]:
    home = escape(form.visit.home_team) if form.visit.home_team else "your team"
    blocks = [
        section(
            f"Book a session to show {home} what you learned with "
            f"*{escape(form.visit.host_team)}*. I will announce it in the channel you pick."
        ),
        date_input("day", "When"),
        channel_select(
            "channel",
            "Announce it in",
            initial=form.default_channel,
            hint="Your team's channel, usually.",
        ),
    ]
    return modal(
        SHARE_BACK_MODAL, "Book a share-back", blocks, submit="Book", private_metadata=metadata
    )


def session_message(session: Session) -> Message:
    visit = session.visit
    what = (
        f"*What they will present*\n{_bullets(session.action_items)}"
        if session.action_items
        else "*What they will present:* what they learned during the visit."
    )
    blocks = [
        section(
            f":calendar: *Share-back session on {day(session.day)}*\n"
            f"{user_mention(visit.visitor)} visited {_visit_line(visit)} and will show what "
            "they learned and what they want the team to try."
        ),
        section(what),
    ]
    return {"text": f"Share-back session on {day(session.day)}", "blocks": blocks}


def session_booked_text(session: Session, problem: str | None) -> str:
    when = f"Your share-back session on {day(session.day)} is booked."
    if problem is None:
        return f"{when} I announced it in <#{session.channel}>."
    return f"{when} I could not announce it: {problem}"


# --- the 90-day follow-up -----------------------------------------------------------------------


def follow_up_message(
    tour_id: int, host_team: str, items: Sequence[str], stuck: Sequence[str] = ()
) -> Message:
    """Each action item with an "It stuck" button, or a tick once the visitor said it stuck."""
    blocks: list[dict[str, Any]] = [
        section(
            f"Three months ago you came back from *{escape(host_team)}* with these action items. "
            "Which ones stuck in your team?"
        )
    ]
    for index, item in enumerate(items):
        if item in stuck:
            blocks.append(section(f":white_check_mark: {escape(item)}"))
            continue
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"• {escape(item)}"},
                "accessory": _button("It stuck", RETRO_STUCK, f"{tour_id}:{index}"),
            }
        )
    blocks.append(context("Click each one that stuck; the others simply stay as they are."))
    return {"text": "Which of your team tourism action items stuck?", "blocks": blocks}


def updated_follow_up(state: FollowUpState) -> Message:
    return follow_up_message(
        state.visit.tour_id, state.visit.host_team, state.action_items, state.stuck
    )


def stuck_target(value: str) -> tuple[int, int] | None:
    """The tour and item index an "It stuck" button names."""
    tour, _, index = value.partition(":")
    tour_id, item = parse_id(tour), parse_id(index)
    return None if tour_id is None or item is None else (tour_id, item)
