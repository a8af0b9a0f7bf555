"""The scheduler's messages, rendered from an outbox row's content key and payload when sent.

Payloads hold what people typed (titles, team names, the first-day kit): all of it is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.applications.model import Status as ApplicationStatus
from bot.checkins.model import Alert, AlertKind, CheckinRef, CheckinState, Midpoint
from bot.checkins.views import (
    alert_message,
    checkin_message,
    midpoint_answer_message,
    midpoint_message,
)
from bot.core.blocks import (
    MESSAGE_BLOCK_LIMIT,
    button,
    context,
    escape,
    header,
    section,
    user_mention,
    visit_dates,
)
from bot.core.words import counted
from bot.openings.views import APPLY
from bot.retros.views import follow_up_message, retro_button, share_back_message
from bot.scheduling.planning import next_working_day

DIGEST_LIMIT = MESSAGE_BLOCK_LIMIT - 3  # room for the header, the intro and the footer

Payload = dict[str, Any]


@dataclass(frozen=True)
class ScheduledMessage:
    text: str  # the notification and accessibility fallback
    blocks: list[dict[str, Any]]


def render(content_key: str, payload: Payload) -> ScheduledMessage:
    """Raises KeyError for a content key nobody knows: the row then fails, visibly."""
    return _RENDERERS[content_key](payload)


def _day(iso_day: str) -> str:
    return f"{date.fromisoformat(iso_day):%a %-d %b}"


def _visit(payload: Payload) -> str:
    first, last = date.fromisoformat(payload["starts_on"]), date.fromisoformat(payload["ends_on"])
    return (
        f"*{escape(payload['opening_title'])}* with *{escape(payload['host_team'])}*, "
        f"{visit_dates(first, last)}"
    )


def _where(payload: Payload) -> str:
    place = {"onsite": "on site", "remote": "remotely", "hybrid": "on site or remotely"}.get(
        payload.get("work_mode", ""), ""
    )
    city = f" in {escape(payload['city'])}" if payload.get("city") else ""
    channel = f", team channel <#{payload['host_channel']}>" if payload.get("host_channel") else ""
    return f"Where: {place or 'as agreed'}{city}{channel}"


def _kickoff_visitor(payload: Payload) -> ScheduledMessage:
    buddy = user_mention(payload["buddy"]) if payload.get("buddy") else "your host team's lead"
    blocks = [
        header("Your team tourism visit starts today"),
        section(f"Welcome to {_visit(payload)}.\n{_where(payload)}\nYour buddy: {buddy}"),
    ]
    kit = (payload.get("first_day_kit") or "").strip()
    if kit:
        blocks.append(section(f"*First steps*\n{escape(kit)}"))
    # Only a team with a channel on record has one to greet; otherwise greet a person.
    hello = f"<#{payload['host_channel']}>" if payload.get("host_channel") else None
    greet = f"Say hello in {hello} today!" if hello else f"Say hello to {buddy} today!"
    blocks.append(context(f"Each week I will ask how it is going. {greet}"))
    return ScheduledMessage(f"Your visit to {escape(payload['host_team'])} starts today", blocks)


def _kickoff_buddy(payload: Payload) -> ScheduledMessage:
    visitor = user_mention(payload["visitor"])
    home = f" from *{escape(payload['home_team'])}*" if payload.get("home_team") else ""
    blocks = [
        header("Your visitor arrives today"),
        section(
            f"{visitor}{home} joins you for {_visit(payload)}. You are their buddy: "
            "show them around, pair with them in the first days and introduce them to the team."
        ),
        context("A short chat at the end of each week helps more than you would think."),
    ]
    return ScheduledMessage("Your team tourism visitor arrives today", blocks)


def _home_visit_starts(payload: Payload) -> ScheduledMessage:
    visitor = user_mention(payload["visitor"])
    blocks = [
        section(
            f"{visitor} starts their visit to {_visit(payload)} today. Please keep their time "
            "free for it: their weekly check-ins tell you if your team pulls them back."
        ),
        context("Your Home tab shows who of your team is away, and how their visits go."),
    ]
    return ScheduledMessage("Someone from your team starts a visit today", blocks)


def _home_visit_ends(payload: Payload) -> ScheduledMessage:
    visitor = user_mention(payload["visitor"])
    back = next_working_day(date.fromisoformat(payload["ends_on"]) + timedelta(days=1))
    blocks = [
        section(
            f"{visitor}'s visit to {_visit(payload)} ends today: they are back with your team "
            f"on {back:%a %-d %b}. I will share what they plan to bring back once they have "
            "written their retro."
        )
    ]
    return ScheduledMessage("Someone from your team comes back from a visit", blocks)


def _retro_bring_back(payload: Payload) -> ScheduledMessage:
    """The retro's action items, shared with the visitor's home team's leads."""
    visitor = user_mention(payload["visitor"])
    items = "\n".join(f"• {escape(item)}" for item in payload["action_items"])
    blocks = [
        section(f"{visitor} wrote their retro of {_visit(payload)}. What they will bring back:"),
        section(items),
        context("A slot in your next team meeting helps it stick: they will share it back."),
    ]
    return ScheduledMessage("What your visitor will bring back to your team", blocks)


def _checkin(payload: Payload) -> ScheduledMessage:
    """The buttons and menus of bot/views/checkins.py, with what was shipped so far (the
    deliverer reads it when sending: bot/scheduling/service.py payload_to_send)."""
    state = CheckinState(
        ref=CheckinRef(payload["tour_id"], payload.get("week", 1)),
        visitor=payload["visitor"],
        host_team=payload["host_team"],
        opening_title=payload["opening_title"],
        starts_on=date.fromisoformat(payload["starts_on"]),
        ends_on=date.fromisoformat(payload["ends_on"]),
        shipped=tuple(payload.get("shipped", ())),
    )
    message = checkin_message(state)
    return ScheduledMessage(message["text"], message["blocks"])


def _checkin_alert(payload: Payload) -> ScheduledMessage:
    """The "Need help" alert to the buddy and host leads, or worrying answers to organisers."""
    alert = Alert(
        AlertKind(payload["alert"]),
        tuple(payload["weeks"]),
        recipients=(),  # one row a recipient: the row says whom
        details=payload.get("details", ""),
        stand_in=payload.get("stand_in", False),
    )
    message = alert_message(
        alert,
        visitor_id=payload["visitor"],
        host_team=payload["host_team"],
        opening_title=payload["opening_title"],
    )
    return ScheduledMessage(message["text"], message["blocks"])


def _midpoint(payload: Payload) -> ScheduledMessage:
    """Going fine / Concerns…: bot/checkins/views.py renders it, and again once answered."""
    return _message(midpoint_message(Midpoint.from_payload(payload)))


def _midpoint_answer(payload: Payload) -> ScheduledMessage:
    return _message(midpoint_answer_message(payload))


def _message(message: dict[str, Any]) -> ScheduledMessage:
    return ScheduledMessage(message["text"], message["blocks"])


def _retro(payload: Payload) -> ScheduledMessage:
    blocks = [
        header("Last day of your visit"),
        section(
            f"Thank you for visiting *{escape(payload['host_team'])}*. Take ten minutes for a "
            "retro: what did you learn, and what will you bring back to your team?"
        ),
        retro_button(payload["tour_id"]),
        context(_visit(payload)),
    ]
    return ScheduledMessage("Last day of your visit: time for a short retro", blocks)


def _share_back(payload: Payload) -> ScheduledMessage:
    """Done / Not yet: bot/views/retros.py renders it, and again once answered."""
    message = share_back_message(payload["tour_id"], payload["host_team"], payload.get("home_team"))
    return ScheduledMessage(message["text"], message["blocks"])


def _retro_follow_up(payload: Payload) -> ScheduledMessage:
    """90 days after the return: which of the retro's action items stuck."""
    message = follow_up_message(payload["tour_id"], payload["host_team"], payload["action_items"])
    return ScheduledMessage(message["text"], message["blocks"])


def _digest_line(opening: Payload) -> dict[str, Any]:
    line = section(
        f"*{escape(opening['title'])}* · {escape(opening['host_team'])}\n"
        f"{counted(opening['weeks'], 'week')} between {_day(opening['earliest_start'])} and "
        f"{_day(opening['latest_end'])} · {counted(opening['open_seats'], 'seat')} open"
    )
    # Rows planned before digests carried the opening's id have no button to offer.
    if opening.get("opening_id") is not None:
        # Whoever clicks is checked by the Apply action itself, from the payload's user.
        line["accessory"] = button("Apply", APPLY, str(opening["opening_id"]), style="primary")
    return line


def _digest(payload: Payload) -> ScheduledMessage:
    openings = payload["openings"]
    lines = [_digest_line(opening) for opening in openings[:DIGEST_LIMIT]]
    more = len(openings) - len(lines)
    footer = f"…and {more} more. " if more > 0 else ""
    blocks = [
        header("Team tourism: openings this week"),
        *lines,
        context(footer + "Type `/tourism openings` to see them all and apply."),
    ]
    return ScheduledMessage(f"{counted(len(openings), 'team tourism opening')} this week", blocks)


_KIND_NAMES = {
    "kickoff": "kickoff message",
    "checkin": "weekly check-in",
    "midpoint": "mid-visit check-in",
    "retro": "retro prompt",
    "share_back": "share-back reminder",
    "digest": "weekly digest",
    "alert": "check-in alert",
    "home_news": "news for the home team's lead",
}


def _notice_failed(payload: Payload) -> ScheduledMessage:
    what = _KIND_NAMES.get(payload["failed_kind"], payload["failed_kind"])
    to = payload["failed_recipient"]
    where = user_mention(to) if to.startswith(("U", "W")) else f"<#{to}>"
    blocks = [
        section(
            f"I could not deliver the {what} to {where}: `{escape(payload['reason'])}`. "
            "I will not try again; please check the person or channel."
        )
    ]
    if payload.get("opening_title"):
        blocks.append(context(_visit(payload)))
    return ScheduledMessage(f"A scheduled {what} could not be delivered", blocks)


def _notice_visitor_gone(payload: Payload) -> ScheduledMessage:
    visitor = user_mention(payload["visitor"])
    blocks = [
        section(
            f"{visitor}'s Slack account has been deactivated, so I stopped the messages of "
            f"{_visit(payload)}. Let the organisers know if the visit should change."
        )
    ]
    return ScheduledMessage("A visitor's account has been deactivated", blocks)


def _waiting_step(payload: Payload) -> str:
    if payload["status"] == ApplicationStatus.SUBMITTED:
        return "accept or decline the visit"
    return "agree to the absence (or decline)"


def _decision_reminder(payload: Payload) -> ScheduledMessage:
    visitor = user_mention(payload["visitor"])
    blocks = [
        section(
            f"A gentle reminder: {visitor}'s application to *{escape(payload['opening_title'])}* "
            f"has waited {payload['working_days']} working days for you to "
            f"{_waiting_step(payload)}. The buttons are in my earlier message and on my Home tab."
        )
    ]
    return ScheduledMessage("An application is waiting for your decision", blocks)


def _decision_escalation(payload: Payload) -> ScheduledMessage:
    visitor = user_mention(payload["visitor"])
    deciders = ", ".join(map(user_mention, payload["deciders"])) or "nobody"
    blocks = [
        section(
            f"{visitor}'s application to *{escape(payload['opening_title'])}* has waited "
            f"{payload['working_days']} working days for {deciders} to "
            f"{_waiting_step(payload)}. Could you nudge them or decide with them?"
        )
    ]
    return ScheduledMessage("An application has waited a week for a decision", blocks)


_RENDERERS: dict[str, Callable[[Payload], ScheduledMessage]] = {
    "kickoff_visitor": _kickoff_visitor,
    "kickoff_buddy": _kickoff_buddy,
    "home_visit_starts": _home_visit_starts,
    "home_visit_ends": _home_visit_ends,
    "checkin": _checkin,
    "checkin_alert": _checkin_alert,
    "midpoint": _midpoint,
    "midpoint_answer": _midpoint_answer,
    "retro": _retro,
    "share_back": _share_back,
    "retro_follow_up": _retro_follow_up,
    "retro_bring_back": _retro_bring_back,
    "digest": _digest,
    "notice_failed": _notice_failed,
    "notice_visitor_gone": _notice_visitor_gone,
    "decision_reminder": _decision_reminder,
    "decision_escalation": _decision_escalation,
}
