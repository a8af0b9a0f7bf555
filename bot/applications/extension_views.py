"""Messages and modals of a visit under way: asking for more time, the leads' decisions, and
the private "I might like to stay" flag. Everything a person typed is escaped."""

from __future__ import annotations

from typing import Any

from bot.applications.changes import ExtensionSnapshot
from bot.applications.extensions import ExtensionForm, ExtensionNotice, StayOutcome
from bot.core.approval.views import (
    Message,
    absence_line,
    add_stand_in_note,
    answered,
    override_modal,
    reason_modal,
    warnings_line,
    who_decides,
    why_anyway_input,
)
from bot.core.blocks import actions, button, context, day, escape, header, section, user_mention
from bot.core.inputs import modal, option, radio_buttons, text_input
from bot.core.visit_rules import absence_warnings
from bot.core.words import counted

EXTEND = "tour_extend"
STAY = "tour_might_stay"
STAY_OFF = "tour_might_stay_off"
HOST_AGREE = "extension_host_agree"
HOST_DECLINE = "extension_host_decline"
HOME_AGREE = "extension_home_agree"
HOME_DECLINE = "extension_home_decline"

EXTEND_MODAL = "extension_submit"
HOST_DECLINE_MODAL = "extension_host_decline_submit"
HOME_AGREE_MODAL = "extension_home_agree_submit"
HOST_AGREE_MODAL = "extension_host_agree_submit"
HOME_DECLINE_MODAL = "extension_home_decline_submit"


def _weeks(weeks: int) -> str:
    return counted(weeks, "more week")


def _visit(view: ExtensionSnapshot) -> str:
    return f"*{escape(view.opening_title)}* with *{escape(view.host_team_name)}*"


def _ask(view: ExtensionSnapshot) -> str:
    return (
        f"{user_mention(view.visitor_id)} asks to stay *{_weeks(view.weeks)}* on {_visit(view)}: "
        f"until {day(view.new_end)} instead of {day(view.ends_before)}."
    )


# --- the App Home's visit section -------------------------------------------------------------


def visit_actions(tour_id: int, *, running: bool, might_stay: bool) -> dict[str, Any]:
    """Buttons for the visitor's current or next visit."""
    buttons = [button("Ask for more time…", EXTEND, tour_id)] if running else []
    if might_stay:
        buttons.append(button("I no longer think I'd stay", STAY_OFF, tour_id))
    else:
        buttons.append(button("I might like to stay", STAY, tour_id))
    return actions(*buttons)


# --- modals -----------------------------------------------------------------------------------


def extension_modal(form: ExtensionForm) -> dict[str, Any]:
    options = [option(str(weeks), _weeks(weeks)) for weeks in form.on_offer]
    blocks = [
        section(
            f"*{escape(form.opening_title)}* with *{escape(form.host_team_name)}*, "
            f"now ending on {day(form.ends_on)}.\n"
            "The host team lead decides first, then your home team lead."
        ),
        radio_buttons("weeks", "How much longer?", options, initial=options[0]["value"]),
        text_input(
            "reason",
            "Why would more time help?",
            multiline=True,
            max_length=500,
            placeholder="Both team leads will read this.",
        ),
    ]
    return modal(
        EXTEND_MODAL, "Ask for more time", blocks, submit="Ask", private_metadata=str(form.tour_id)
    )


def host_decline_modal(extension_id: int) -> dict[str, Any]:
    return reason_modal(
        HOST_DECLINE_MODAL, "Decline more time", extension_id, "A reason for the visitor (optional)"
    )


def home_decline_modal(extension_id: int) -> dict[str, Any]:
    return reason_modal(
        HOME_DECLINE_MODAL, "Decline more time", extension_id, "A reason for the visitor (optional)"
    )


def home_agree_modal(view: ExtensionSnapshot) -> dict[str, Any]:
    blocks = [section(_ask(view)), absence_line(view.home_team_name, view.absence)]
    if view.absence is not None and view.absence.needs_override:
        blocks.append(why_anyway_input(absence_warnings(view.absence), "Why agree anyway?"))
    return modal(
        HOME_AGREE_MODAL,
        "Agree to more time",
        blocks,
        submit="Agree",
        private_metadata=str(view.extension_id),
    )


# --- messages ---------------------------------------------------------------------------------


def notice_message(kind: ExtensionNotice, view: ExtensionSnapshot) -> Message:
    return _RENDERERS[kind](view)


def _requested(view: ExtensionSnapshot) -> Message:
    return {
        "text": "You asked for more time",
        "blocks": [
            section(
                f"You asked to stay *{_weeks(view.weeks)}* on {_visit(view)}, until "
                f"{day(view.new_end)}. {who_decides(view.host, view.host_team_name)} decides "
                f"for the host team first, then {who_decides(view.home, view.home_team_name)} "
                "for your home team; I'll let you know."
            )
        ],
    }


def _host_request(view: ExtensionSnapshot) -> Message:
    blocks = [
        header("More time for a visitor?"),
        section(_ask(view)),
        section(f"*Why:* {escape(view.reason)}"),
    ]
    if view.host_warnings:
        blocks.append(section(warnings_line(view.host_warnings)))
    add_stand_in_note(blocks, view.host, view.host_team_name, view.visitor_id)
    over = bool(view.host_warnings)
    blocks.append(
        actions(
            button(
                "Agree anyway (give a reason)…" if over else "Agree",
                HOST_AGREE,
                view.extension_id,
                style=None if over else "primary",
            ),
            button("Decline…", HOST_DECLINE, view.extension_id),
        )
    )
    return {"text": "A visitor asks to stay longer", "blocks": blocks}


def host_agree_modal(view: ExtensionSnapshot) -> dict[str, Any]:
    return override_modal(
        HOST_AGREE_MODAL, "Agree to more time", _ask(view), view.host_warnings, view.extension_id
    )


def _home_request(view: ExtensionSnapshot) -> Message:
    over = view.absence is not None and view.absence.needs_override
    blocks = [
        header("Can they be away longer?"),
        section(
            f"{escape(view.host_team_name)} agreed. {_ask(view)} Their home team gives up their "
            "output for those weeks too, so you decide as well."
        ),
        section(f"*Why:* {escape(view.reason)}"),
        absence_line(view.home_team_name, view.absence),
    ]
    add_stand_in_note(blocks, view.home, view.home_team_name, view.visitor_id)
    agree_text = "Agree anyway (give a reason)…" if over else "Agree…"
    blocks.append(
        actions(
            button(agree_text, HOME_AGREE, view.extension_id, style=None if over else "primary"),
            button("Decline…", HOME_DECLINE, view.extension_id),
        )
    )
    return {"text": "Can your teammate be away longer?", "blocks": blocks}


def _agreed(view: ExtensionSnapshot) -> Message:
    return {
        "text": "The visit is longer",
        "blocks": [
            section(
                f":white_check_mark: Both teams agreed: {user_mention(view.visitor_id)}'s visit "
                f"to {_visit(view)} now ends on *{day(view.new_end)}* ({_weeks(view.weeks)})."
            ),
            context("The visit's scheduled messages (check-ins, the retro) follow the new end."),
        ],
    }


def _declined(view: ExtensionSnapshot) -> Message:
    reason = f"\n>{escape(view.decision_reason)}" if view.decision_reason else ""
    return {
        "text": "Your request for more time was declined",
        "blocks": [
            section(
                f"Your request to stay {_weeks(view.weeks)} on {_visit(view)} was declined; "
                f"the visit still ends on {day(view.ends_before)}.{reason}"
            )
        ],
    }


_RENDERERS = {
    ExtensionNotice.REQUESTED: _requested,
    ExtensionNotice.HOST_REQUEST: _host_request,
    ExtensionNotice.HOME_REQUEST: _home_request,
    ExtensionNotice.AGREED: _agreed,
    ExtensionNotice.DECLINED: _declined,
}


def settled_message(kind: ExtensionNotice, view: ExtensionSnapshot, actor: str) -> Message:
    """A request that has been answered: the buttons give way to who did what."""
    footer = f"{user_mention(actor)} answered: this request is now {view.state}."
    return answered(_RENDERERS[kind](view), footer)


# --- "I might like to stay" -------------------------------------------------------------------


def stay_message(outcome: StayOutcome) -> Message:
    """To each of the two teams' leads, privately."""
    visitor = user_mention(outcome.visitor_id)
    visit = f"*{escape(outcome.opening_title)}* with *{escape(outcome.host_team_name)}*"
    if outcome.might_stay:
        text = (
            f":seedling: {visitor} might like to stay on after their visit to {visit}. "
            "Only the two teams' leads get this; it is not posted anywhere."
        )
    else:
        text = f"{visitor} no longer thinks of staying on after their visit to {visit}."
    return {"text": "About staying on after a visit", "blocks": [section(text)]}


def stay_answer(outcome: StayOutcome) -> str:
    """What the visitor is told, only to them."""
    if not outcome.leads:
        told = "Neither team has a lead listed, so nobody was told; an organiser can help."
    else:
        told = "I told only " + ", ".join(map(user_mention, outcome.leads)) + " in private."
    if outcome.might_stay:
        return f"Noted that you might like to stay. {told} Nothing is posted in any channel."
    return f"Taken back: you no longer think of staying. {told}"
