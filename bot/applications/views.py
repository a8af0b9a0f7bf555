"""Messages and modals of the approval workflow: the apply modal, the requests to decide, the
visit card and the summary. Everything a person typed is escaped."""

from __future__ import annotations

from typing import Any

from bot.applications.changes import RescheduledVisit
from bot.applications.model import WAITING_FOR, Status
from bot.applications.service import CARDS, ApplyForm, DateChangeForm, Notice
from bot.applications.visit import VisitSnapshot
from bot.core.approval.reminders import REMIND_AFTER_WORKING_DAYS
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
from bot.core.blocks import (
    actions,
    button,
    context,
    day,
    escape,
    header,
    section,
    user_mention,
    visit_dates,
)
from bot.core.calendar import Period
from bot.core.inputs import date_input, modal, text_input
from bot.core.visit_rules import latest_start
from bot.core.words import counted
from bot.history.views import HISTORY

HOST_ACCEPT = "host_accept"
HOST_DECLINE = "host_decline"
HOME_AGREE = "home_agree"
HOME_DECLINE = "home_decline"
CARD_CONFIRM = "card_confirm"
WITHDRAW = "application_withdraw"
CHANGE_DATES = "application_change_dates"

APPLY_MODAL = "apply_submit"
HOST_DECLINE_MODAL = "host_decline_submit"
HOST_ACCEPT_MODAL = "host_accept_submit"
HOME_AGREE_MODAL = "home_agree_submit"
HOME_DECLINE_MODAL = "home_decline_submit"
WITHDRAW_MODAL = "withdraw_submit"
DATE_CHANGE_MODAL = "date_change_submit"


def _period(period: Period) -> str:
    return visit_dates(period.start, period.end)


def _dates(view: VisitSnapshot) -> str:
    return f"{_period(Period(view.starts_on, view.ends_on))} ({counted(view.weeks, 'week')})"


def _who_and_where(view: VisitSnapshot) -> str:
    home = escape(view.home_team_name) if view.home_team_name else "no home team yet"
    return (
        f"*{escape(view.opening_title)}* with *{escape(view.host_team_name)}*\n"
        f"Visitor: {user_mention(view.visitor_id)} (from {home})\n"
        f"Dates: {_dates(view)}"
    )


# --- the apply modal --------------------------------------------------------------------------


def apply_modal(form: ApplyForm) -> dict[str, Any]:
    blocks = [
        section(
            f"*{escape(form.opening_title)}* with *{escape(form.host_team_name)}*\n"
            f"{counted(form.weeks, 'week')}, starting between {day(form.window.start)} and the "
            f"last day that still fits before {day(form.window.end)}."
        ),
        text_input(
            "motivation",
            "Why this team, and why now?",
            multiline=True,
            max_length=3000,
            placeholder="A sentence or two for the host team lead.",
        ),
        text_input(
            "learning_goal",
            "What do you want to bring home?",
            initial=form.learning_goal,
            max_length=300,
            optional=True,
        ),
        date_input(
            "starts_on",
            "First day",
            initial=form.suggested_start,
            hint="Suggested: the earliest day that fits your availability, both teams' "
            "blackouts and the host team's limits, at the start of its sprint when it has "
            "sprints. Another day that breaks one of them goes to the leads with a warning.",
        ),
    ]
    return modal(
        APPLY_MODAL,
        "Apply for a visit",
        blocks,
        submit="Apply",
        private_metadata=str(form.opening_id),
    )


# --- decision modals --------------------------------------------------------------------------


def host_decline_modal(application_id: int) -> dict[str, Any]:
    return reason_modal(
        HOST_DECLINE_MODAL,
        "Decline the visit",
        application_id,
        "A reason for the visitor (optional)",
    )


def home_decline_modal(application_id: int) -> dict[str, Any]:
    return reason_modal(
        HOME_DECLINE_MODAL,
        "Decline the absence",
        application_id,
        "A reason for the visitor (optional)",
    )


def withdraw_modal(application_id: int) -> dict[str, Any]:
    blocks = [
        text_input("reason", "Why? Everyone involved will see it.", multiline=True, max_length=500)
    ]
    return modal(
        WITHDRAW_MODAL,
        "Withdraw or cancel",
        blocks,
        submit="Confirm",
        private_metadata=str(application_id),
    )


def date_change_modal(form: DateChangeForm) -> dict[str, Any]:
    blocks = [
        section(
            f"*{escape(form.opening_title)}* with *{escape(form.host_team_name)}*\n"
            f"Now: {_period(form.current)}. The visit stays {counted(form.weeks, 'week')}: "
            f"start between {day(form.window.start)} and "
            f"{day(latest_start(form.window, form.weeks))}."
        ),
        date_input(
            "starts_on",
            "New first day",
            initial=form.current.start,
            hint="The visitor and both leads confirm the visit card again; the buddy's "
            "confirmation stands.",
        ),
        text_input(
            "override_reason",
            "If the new dates break a rule, why is that fine?",
            multiline=True,
            max_length=500,
            optional=True,
            hint="Needed only when they fall in a team's blackout, go over the home team's "
            "limit of people away or the host team's limits; both leads will read it.",
        ),
    ]
    return modal(
        DATE_CHANGE_MODAL,
        "Change the dates",
        blocks,
        submit="Change",
        private_metadata=str(form.application_id),
    )


def home_agree_modal(view: VisitSnapshot) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [section(_who_and_where(view)), _absence_line(view)]
    blocks.append(
        text_input(
            "covering",
            "Who covers their duties while away (on-call, reviews)?",
            max_length=500,
            placeholder="e.g. Ola takes the on-call week of 11 Jan; reviews go to the team",
        )
    )
    if view.absence is not None and view.absence.needs_override:
        blocks.append(why_anyway_input(view.warnings, "Why agree anyway?"))
    return modal(
        HOME_AGREE_MODAL,
        "Agree to the absence",
        blocks,
        submit="Agree",
        private_metadata=str(view.application_id),
    )


def _absence_line(view: VisitSnapshot) -> dict[str, Any]:
    return absence_line(view.home_team_name, view.absence)


# --- messages ---------------------------------------------------------------------------------


def notice_message(kind: Notice, view: VisitSnapshot) -> Message:
    return _RENDERERS[kind](view)


def _applied(view: VisitSnapshot) -> Message:
    text = (
        f"You applied to *{escape(view.opening_title)}* with *{escape(view.host_team_name)}* "
        f"for {_dates(view)}. {who_decides(view.host, view.host_team_name)} decides for the "
        "host team next; I'll let you know."
    )
    blocks = [section(text)]
    if view.warnings:
        blocks.append(
            context(
                f"{warnings_line(view.warnings)} The leads will need a reason to agree; for "
                "other dates, withdraw and apply again."
            )
        )
    blocks.append(actions(button("Withdraw", WITHDRAW, view.application_id)))
    return {"text": "Your application is in", "blocks": blocks}


def _host_request(view: VisitSnapshot) -> Message:
    blocks = [
        header("A visitor would like to join you"),
        section(_who_and_where(view)),
        section(f"*Why:* {escape(view.motivation)}"),
    ]
    if view.learning_goal:
        blocks.append(section(f"*Wants to bring home:* {escape(view.learning_goal)}"))
    blocks.append(section(_profile_line(view)))
    if view.fit:
        blocks.append(context(f"Why they fit: {escape(view.fit)}"))
    blocks.append(
        context(
            f"Please accept or decline within {REMIND_AFTER_WORKING_DAYS} working days; "
            "I'll remind you after that."
        )
    )
    if view.host_warnings:
        blocks.append(section(warnings_line(view.host_warnings)))
    add_stand_in_note(blocks, view.host, view.host_team_name, view.visitor_id)
    over = bool(view.host_warnings)
    accept_text = "Accept anyway (give a reason)…" if over else "Accept"
    blocks.append(
        actions(
            button(
                accept_text, HOST_ACCEPT, view.application_id, style=None if over else "primary"
            ),
            button("Decline…", HOST_DECLINE, view.application_id),
            _history_button(view),
        )
    )
    return {"text": "A visitor would like to join your team", "blocks": blocks}


def _history_button(view: VisitSnapshot) -> dict[str, Any]:
    """For the leads and organisers (and the visitor) who see this visit's messages."""
    return button("History", HISTORY, view.application_id)


def host_accept_modal(view: VisitSnapshot) -> dict[str, Any]:
    return override_modal(
        HOST_ACCEPT_MODAL,
        "Accept the visit",
        _who_and_where(view),
        view.host_warnings,
        view.application_id,
    )


def _profile_line(view: VisitSnapshot) -> str:
    learns = ", ".join(map(escape, view.visitor_learns)) or "not said"
    teaches = ", ".join(map(escape, view.visitor_teaches)) or "not said"
    return f"*Wants to learn:* {learns}\n*Can teach:* {teaches}"


def _home_request(view: VisitSnapshot) -> Message:
    over = view.absence is not None and view.absence.needs_override
    blocks = [
        header("Can they be away?"),
        section(
            f"{escape(view.host_team_name)} accepted {user_mention(view.visitor_id)} for a visit. "
            "Their home team gives up their output for these weeks, so you decide too."
        ),
        section(_who_and_where(view)),
        _absence_line(view),
    ]
    add_stand_in_note(blocks, view.home, view.home_team_name, view.visitor_id)
    agree_text = "Agree anyway (give a reason)…" if over else "Agree…"
    blocks.append(
        actions(
            button(agree_text, HOME_AGREE, view.application_id, style=None if over else "primary"),
            button("Decline…", HOME_DECLINE, view.application_id),
            _history_button(view),
        )
    )
    return {"text": "Can your teammate be away for a visit?", "blocks": blocks}


def _host_accepted(view: VisitSnapshot) -> Message:
    return {
        "text": "The host team accepted",
        "blocks": [
            section(
                f":tada: *{escape(view.host_team_name)}* accepted your visit to "
                f"*{escape(view.opening_title)}*. Now "
                f"{who_decides(view.home, view.home_team_name)} decides on your absence."
            )
        ],
    }


def _declined(view: VisitSnapshot) -> Message:
    reason = f"\n>{escape(view.decision_reason)}" if view.decision_reason else ""
    return {
        "text": "Your visit was declined",
        "blocks": [
            section(
                f"Your visit to *{escape(view.opening_title)}* with "
                f"*{escape(view.host_team_name)}* was declined.{reason}"
            ),
            context("Other openings may fit: try `/tourism match` or `/tourism openings`."),
        ],
    }


def visit_card_blocks(view: VisitSnapshot) -> list[dict[str, Any]]:
    output = (
        "a small deliverable agreed with the host team"
        if view.deliverable_expected
        else "learning only — no velocity expected from the visitor"
    )
    buddy = user_mention(view.buddy_id) if view.buddy_id else "none named yet"
    covering = escape(view.covering_home_duties) or "not said"
    return [
        header("Visit card"),
        section(_who_and_where(view)),
        section(
            f"*Goal:* {escape(view.learning_goal) or 'to be agreed on day one'}\n"
            f"*Buddy:* {buddy}\n"
            f"*Expected output:* {output}\n"
            f"*Covering home duties:* {covering}"
        ),
    ]


def _visit_card(view: VisitSnapshot) -> Message:
    people = ", ".join(user_mention(p) for p in view.card_people())
    blocks = [
        *visit_card_blocks(view),
        context(f"Each of {people} confirms once; the visit is booked when all have."),
        actions(
            button("Confirm", CARD_CONFIRM, view.application_id, style="primary"),
            button("Change dates…", CHANGE_DATES, view.application_id),
            button("Withdraw…", WITHDRAW, view.application_id),
        ),
    ]
    return {"text": "Please confirm the visit card", "blocks": blocks}


def _previous_dates(view: VisitSnapshot) -> Period | None:
    return view.previous if isinstance(view, RescheduledVisit) else None


def _dates_changed(view: VisitSnapshot) -> Message:
    previous = _previous_dates(view)
    was = f" from {_period(previous)}" if previous else ""
    card = _visit_card(view)
    changed = section(
        f":calendar: The dates changed{was} to {_dates(view)}. Please confirm the visit card again."
    )
    blocks = [changed]
    if isinstance(view, RescheduledVisit) and view.warnings:
        blocks.append(
            section(
                f"{warnings_line(view.warnings)}\n*Why that is fine:* "
                f"{escape(view.override_reason)}"
            )
        )
    return {
        "text": "The visit's dates changed: please confirm again",
        "blocks": [*blocks, *card["blocks"]],
    }


def _confirmed(view: VisitSnapshot) -> Message:
    """The short news that the visit is booked; the card itself is updated in place."""
    return {
        "text": "The visit is booked",
        "blocks": [
            section(
                f":white_check_mark: *The visit is booked:* {user_mention(view.visitor_id)} "
                f"visits *{escape(view.opening_title)}* with *{escape(view.host_team_name)}*, "
                f"{_dates(view)}. Everyone confirmed the visit card above."
            ),
            context("I'll send the kickoff note on the first day and check in every week."),
            actions(
                button("Change dates…", CHANGE_DATES, view.application_id), _history_button(view)
            ),
        ],
    }


def _booked_card(view: VisitSnapshot) -> Message:
    """The visit card once everyone has confirmed it."""
    return {
        "text": "The visit is booked",
        "blocks": [
            *visit_card_blocks(view),
            context(":white_check_mark: Booked: everyone confirmed this card."),
            actions(
                button("Change dates…", CHANGE_DATES, view.application_id), _history_button(view)
            ),
        ],
    }


def _ended(view: VisitSnapshot) -> Message:
    reason = f"\n>{escape(view.decision_reason)}" if view.decision_reason else ""
    return {
        "text": "A visit was called off",
        "blocks": [
            section(
                f"The visit of {user_mention(view.visitor_id)} to "
                f"*{escape(view.opening_title)}* is {view.status.value}.{reason}"
            )
        ],
    }


def _seat_gone(view: VisitSnapshot) -> Message:
    return {
        "text": "The opening filled up",
        "blocks": [
            section(
                f"*{escape(view.opening_title)}* filled up before everyone confirmed the card, "
                "so this visit could not be booked. Sorry!"
            )
        ],
    }


_RENDERERS = {
    Notice.APPLIED: _applied,
    Notice.HOST_REQUEST: _host_request,
    Notice.HOME_REQUEST: _home_request,
    Notice.HOST_ACCEPTED: _host_accepted,
    Notice.DECLINED: _declined,
    Notice.VISIT_CARD: _visit_card,
    Notice.DATES_CHANGED: _dates_changed,
    Notice.CONFIRMED: _confirmed,
    Notice.ENDED: _ended,
    Notice.SEAT_GONE: _seat_gone,
}


def settled_message(purpose: Notice, view: VisitSnapshot, actor: str) -> Message:
    """A request that has been answered: the buttons give way to who did what."""
    previous = _previous_dates(view)
    if purpose in CARDS and view.status is Status.CONFIRMED and previous is None:
        return _booked_card(view)
    if previous is not None:
        footer = (
            f"{user_mention(actor)} changed the dates from {_period(previous)}: the visitor "
            "and both leads get the card again to confirm."
        )
    else:
        footer = f"{user_mention(actor)} answered: this visit is now {WAITING_FOR[view.status]}."
    return answered(_RENDERERS[purpose](view), footer)


def refusal_modal(reason: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Team tourism"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(reason)],
    }
