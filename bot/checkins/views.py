"""The weekly check-in message, its two modals ("Need help", "Log what I shipped") and the alerts.

Every interactive block of a check-in carries which check-in it belongs to in its block_id
(`checkin:<tour>:<week>:<part>`), so buttons and menus alike tell the listener the tour and week;
who clicked comes from the payload, never from here. Everything the visitor typed is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from bot.checkins.model import (
    HELP_DETAILS_LIMIT,
    MIDPOINT_NOTE_LIMIT,
    SHIPPED_ITEMS_LIMIT,
    SHIPPED_TEXT_LIMIT,
    Alert,
    AlertKind,
    CheckinRef,
    CheckinState,
    HostView,
    MeetingsShare,
    Midpoint,
    Mood,
    PulledBack,
    Question,
    WeekAnswer,
)
from bot.core.blocks import button, context, escape, plain, section, user_mention
from bot.core.ids import parse_id
from bot.core.inputs import modal, option, text_input
from bot.core.words import counted

GOING_WELL = "checkin_going_well"
SO_SO = "checkin_so_so"
NEED_HELP = "checkin_need_help"
MEETINGS = "checkin_meetings"
PULLED_BACK = "checkin_pulled_back"
LOG_SHIPPED = "checkin_log_shipped"

HELP_MODAL = "checkin_help_submit"
SHIPPED_MODAL = "checkin_shipped_submit"

# The buttons that answer at once, and the menus, with the question each one answers.
MOOD_BUTTONS = {GOING_WELL: Mood.GOING_WELL, SO_SO: Mood.SO_SO}
MENUS = {MEETINGS: Question.MEETINGS, PULLED_BACK: Question.PULLED_BACK}

MOOD_LABELS = {Mood.GOING_WELL: "Going well", Mood.SO_SO: "So-so", Mood.NEED_HELP: "Need help"}
MEETINGS_LABELS = {
    MeetingsShare.UNDER_QUARTER: "Under a quarter",
    MeetingsShare.QUARTER: "About a quarter",
    MeetingsShare.HALF: "About half",
    MeetingsShare.OVER_HALF: "More than half",
}
PULLED_BACK_LABELS = {
    PulledBack.NEVER: "Never",
    PulledBack.ONCE_OR_TWICE: "Once or twice",
    PulledBack.OFTEN: "Often",
}
QUESTIONS: dict[Question, tuple[str, str, dict[Any, str]]] = {
    Question.MEETINGS: (
        MEETINGS,
        "Roughly how much of this week went to meetings?",
        MEETINGS_LABELS,
    ),
    Question.PULLED_BACK: (
        PULLED_BACK,
        "How often did your home team pull you back this week?",
        PULLED_BACK_LABELS,
    ),
}

# What the visitor agrees to by answering: who hears which answer (model.WHO_CAN_ACT).
WHO_SEES = (
    "*Who sees your answers:* a so-so week or a call for help goes to your buddy and the host "
    "team's lead; more than half the week in meetings to the host team's lead; being pulled "
    "back often to your home team's lead. When one of these happens again, the organisers are "
    "told too. Your home team's lead also sees your latest answers on their Home tab."
)

BLOCK_PREFIX = "checkin"
Message = dict[str, Any]


# --- which check-in a click or a modal belongs to --------------------------------------------


def _block_id(ref: CheckinRef, part: str) -> str:
    return f"{BLOCK_PREFIX}:{ref.tour_id}:{ref.week}:{part}"


def ref_of(block_id: str) -> CheckinRef | None:
    prefix, _, rest = block_id.partition(":")
    tour, _, rest = rest.partition(":")
    week, _, _part = rest.partition(":")
    tour_id, week_number = parse_id(tour), parse_id(week)
    if prefix != BLOCK_PREFIX or tour_id is None or week_number is None:
        return None
    return CheckinRef(tour_id, week_number)


def modal_metadata(ref: CheckinRef, channel: str, ts: str) -> str:
    """The check-in and where its message is, so submitting the modal can update the message."""
    return json.dumps({"tour": ref.tour_id, "week": ref.week, "channel": channel, "ts": ts})


def read_modal_metadata(metadata: str) -> tuple[CheckinRef, str, str] | None:
    try:
        data = json.loads(metadata)
        tour_id, week, channel, ts = data["tour"], data["week"], data["channel"], data["ts"]
    except (ValueError, TypeError, KeyError):
        return None
    ref = ref_of(f"{BLOCK_PREFIX}:{tour_id}:{week}:")
    return None if ref is None else (ref, str(channel), str(ts))


# --- the check-in message --------------------------------------------------------------------


def _button(text: str, action_id: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if style:
        button["style"] = style
    return button


def _mood(ref: CheckinRef, answer: WeekAnswer) -> dict[str, Any]:
    if answer.mood is None:
        return {
            "type": "actions",
            "block_id": _block_id(ref, "mood"),
            "elements": [
                _button("Going well", GOING_WELL, "primary"),
                _button("So-so", SO_SO),
                _button("Need help", NEED_HELP, "danger"),
            ],
        }
    # The alert goes out with the deliverer's next tick, not before this message changes.
    told = " Your buddy and host lead are being told." if answer.mood is Mood.NEED_HELP else ""
    return context(f"You said the week was *{MOOD_LABELS[answer.mood]}*.{told}")


def _question(ref: CheckinRef, question: Question, answer: StrEnum | None) -> dict[str, Any]:
    action_id, text, labels = QUESTIONS[question]
    if answer is not None:
        return section(f"{text} *{labels[answer]}*")
    return {
        "type": "section",
        "block_id": _block_id(ref, str(question)),
        "text": {"type": "mrkdwn", "text": text},
        "accessory": {
            "type": "static_select",
            "action_id": action_id,
            "placeholder": plain("Choose…"),
            "options": [option(str(value), label) for value, label in labels.items()],
        },
    }


def shipped_list(items: Sequence[str]) -> str:
    """The items as escaped bullet lines (links stay text: Slack may still make them links)."""
    return "\n".join(f"• {escape(item)}" for item in items)


def checkin_message(state: CheckinState) -> Message:
    ref = state.ref
    answer = state.answer or WeekAnswer(ref.week)
    blocks = [
        section(
            f"How did week {ref.week} with *{escape(state.host_team)}* go? "
            "Are you learning what you came for, or stuck in meetings?"
        ),
        _mood(ref, answer),
        _question(ref, Question.MEETINGS, answer.meetings),
        _question(ref, Question.PULLED_BACK, answer.pulled_back),
    ]
    if state.shipped:
        blocks.append(section("*What you shipped so far*\n" + shipped_list(state.shipped)))
    blocks += [
        {
            "type": "actions",
            "block_id": _block_id(ref, "shipped"),
            "elements": [_button("Log what I shipped", LOG_SHIPPED)],
        },
        context(
            f"Week {ref.week} · *{escape(state.opening_title)}* with *{escape(state.host_team)}*"
            f", until {state.ends_on:%a %-d %b}"
        ),
        context(WHO_SEES),
    ]
    return {"text": f"How did week {ref.week} of your visit go?", "blocks": blocks}


# --- the modals ------------------------------------------------------------------------------


def help_modal(state: CheckinState, metadata: str) -> dict[str, Any]:
    return modal(
        HELP_MODAL,
        "Need help",
        [
            section(
                "Tell us what is getting in the way. I will pass it on to your buddy and the "
                f"lead of *{escape(state.host_team)}*; if the next week is hard too, the "
                "organisers are told as well."
            ),
            text_input(
                "details",
                "What would help?",
                multiline=True,
                max_length=HELP_DETAILS_LIMIT,
                placeholder="e.g. I spend my days in meetings and have not paired with anyone",
            ),
        ],
        submit="Send",
        private_metadata=metadata,
    )


def shipped_modal(state: CheckinState, metadata: str) -> dict[str, Any]:
    blocks = [
        text_input(
            "items",
            "What did you ship?",
            multiline=True,
            max_length=SHIPPED_TEXT_LIMIT,
            placeholder="https://github.com/acme/ledger/pull/42",
            hint=(
                "One item a line: a link to a pull request or a deploy, or a few words. "
                f"At most {SHIPPED_ITEMS_LIMIT} at a time."
            ),
        )
    ]
    if state.shipped:
        blocks.append(context("Logged so far:\n" + shipped_list(state.shipped)))
    return modal(SHIPPED_MODAL, "Log what I shipped", blocks, private_metadata=metadata)


# --- alerts ----------------------------------------------------------------------------------


def _weeks(weeks: Sequence[int]) -> str:
    if len(weeks) == 1:
        return f"week {weeks[0]}"
    return "weeks " + ", ".join(map(str, weeks[:-1])) + f" and {weeks[-1]}"


def alert_message(alert: Alert, *, visitor_id: str, host_team: str, opening_title: str) -> Message:
    """The DM of an alert, rendered by the deliverer (bot/scheduling/views.py). An organiser
    standing in for someone the visit does not have is told so, not given that role's advice."""
    visitor = user_mention(visitor_id)
    visit = f"their visit to *{escape(host_team)}* (*{escape(opening_title)}*)"
    weeks = _weeks(alert.weeks)
    if alert.kind is AlertKind.HELP:
        quoted = "\n".join(f">{escape(line)}" for line in alert.details.splitlines())
        text = "Your visitor asked for help"
        what = f"{visitor} asked for help in {weeks} of {visit}:\n{quoted}"
        advice = "You are their buddy or a lead of the host team: a short chat today helps."
    else:
        text, what, advice = _ALERT_TEXTS[alert.kind]
        what = what.format(
            visitor=visitor, visit=visit, weeks=weeks, n=counted(len(alert.weeks), "check-in")
        )
    return _alert(text, what, STAND_IN if alert.stand_in else advice)


def _alert(text: str, body: str, note: str = "") -> Message:
    blocks = [section(body)]
    if note:
        blocks.append(context(note))
    return {"text": text, "blocks": blocks}


STAND_IN = (
    "You hear this as an organiser: the visit has nobody in the role that would act on it. "
    "A short chat with the visitor helps."
)

# Each alert but "Need help" (which quotes the visitor): the notification text, what happened,
# and what the person told can do (the organisers' copies say it in what happened).
_ALERT_TEXTS = {
    AlertKind.SO_SO: (
        "Your visitor's week was so-so",
        "{visitor} said {weeks} of {visit} was so-so.",
        "You are their buddy or a lead of the host team: ask them what would make next week "
        "better.",
    ),
    AlertKind.BUSY: (
        "Your visitor spent most of the week in meetings",
        "{visitor} spent more than half of {weeks} of {visit} in meetings.",
        "You lead the host team: a visit is for learning by doing, so free their time for "
        "pairing and real work.",
    ),
    AlertKind.PULLED: (
        "Your team keeps pulling your visitor back",
        "{visitor} says their home team pulled them back often in {weeks} of {visit}.",
        "You lead their home team: keep their time free until the visit ends, or agree a change "
        "with them.",
    ),
    AlertKind.LOW_MOOD: (
        "A visitor's check-ins have been low twice in a row",
        "{visitor} answered So-so or Need help {n} in a row ({weeks}) of {visit}. "
        "Their buddy and host lead were told each week; perhaps talk to them too.",
        "",
    ),
    AlertKind.MEETINGS: (
        "A visitor is stuck in meetings",
        "{visitor} spent more than half the week in meetings in {weeks} of {visit}. The host "
        "lead was told each week; perhaps talk to them: a visit is for learning by doing.",
        "",
    ),
    AlertKind.PULLS: (
        "A visitor is often pulled back by their home team",
        "{visitor} was pulled back often by their home team in {weeks} of {visit}. Their home "
        "lead was told each week; perhaps talk to them about protecting the visit.",
        "",
    ),
}


# --- the host lead's mid-visit message -----------------------------------------------------------

MIDPOINT_FINE = "midpoint_fine"
MIDPOINT_CONCERNS = "midpoint_concerns"
MIDPOINT_MODAL = "midpoint_concerns_submit"
HOST_VIEW_LABELS = {HostView.FINE: "Going fine", HostView.CONCERNS: "Concerns"}


def midpoint_message(
    midpoint: Midpoint, view: HostView | None = None, told: Sequence[str] = ()
) -> Message:
    """To each host lead halfway through; once answered, the buttons give way to the answer."""
    blocks = [
        section(
            f"{user_mention(midpoint.visitor)} is halfway through their visit to "
            f"*{escape(midpoint.host_team)}* (*{escape(midpoint.opening_title)}*), until "
            f"{midpoint.ends_on:%a %-d %b}. How is it going from your side? Is there something "
            "they should see or join before the visit ends?"
        )
    ]
    if view is None:
        value = str(midpoint.tour_id)
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button("Going fine", MIDPOINT_FINE, value, style="primary"),
                    button("Concerns…", MIDPOINT_CONCERNS, value),
                ],
            }
        )
    else:
        passed_on = f" I am passing it on to {', '.join(map(user_mention, told))}." if told else ""
        blocks.append(context(f"You answered *{HOST_VIEW_LABELS[view]}*.{passed_on}"))
    return {"text": "Your visitor is halfway through the visit", "blocks": blocks}


def concerns_modal(midpoint: Midpoint, metadata: str) -> dict[str, Any]:
    return modal(
        MIDPOINT_MODAL,
        "Concerns",
        [
            section(
                f"What worries you about {user_mention(midpoint.visitor)}'s visit? I will pass "
                "it on to their buddy and the organisers."
            ),
            text_input(
                "note",
                "What worries you?",
                multiline=True,
                max_length=MIDPOINT_NOTE_LIMIT,
                placeholder="e.g. we have had no time to pair with them this week",
            ),
        ],
        submit="Send",
        private_metadata=metadata,
    )


def midpoint_metadata(tour_id: int, channel: str, ts: str) -> str:
    """The visit and where its message is, so submitting the modal can update the message."""
    return json.dumps({"tour": tour_id, "channel": channel, "ts": ts})


def read_midpoint_metadata(metadata: str) -> tuple[int | None, str, str]:
    try:
        data = json.loads(metadata)
        return parse_id(str(data["tour"])), str(data["channel"]), str(data["ts"])
    except (ValueError, TypeError, KeyError):
        return None, "", ""


def midpoint_answer_message(payload: dict[str, Any]) -> Message:
    """The host lead's answer, to the buddy (and, with concerns, the organisers)."""
    lead, visitor = user_mention(payload["lead"]), user_mention(payload["visitor"])
    visit = f"{visitor}'s visit to *{escape(payload['host_team'])}*"
    if payload["view"] == HostView.FINE:
        return _alert(
            "The host lead says the visit is going fine",
            f"{lead}, who leads the host team, says {visit} is going fine halfway through.",
        )
    quoted = "\n".join(f">{escape(line)}" for line in payload["note"].splitlines())
    return _alert(
        "The host lead has concerns about a visit",
        f"{lead}, who leads the host team, has concerns about {visit} halfway through:\n{quoted}",
        "You are the visitor's buddy or an organiser: a short chat with the lead and the visitor "
        "helps.",
    )
