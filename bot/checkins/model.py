"""The weekly check-in: what a visitor may answer, and when the answers call for someone's help.

A check-in asks three things (how the week went, roughly how much of it went to meetings, how
often the home team pulled the visitor back); each is answered once, by its own click. Each
worrying answer goes to the person who can act on it (`WHO_CAN_ACT`): a low week to the buddy and
the host lead, a week mostly in meetings to the host lead, a visitor often pulled back to their
home lead. When a signal repeats (two low answers in a row, more than half the week in meetings
twice, often pulled back twice) the organisers are told as well: the rules below say which weeks
call for that, the caller records it with the answer. Every alert becomes outbox rows keyed by
its occurrence, so the deliverer sends it once, retrying until it is through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.core.forms import one_item_a_line
from bot.scheduling.planning import Kind, PlannedMessage

HELP_DETAILS_LIMIT = 2000
SHIPPED_ITEMS_LIMIT = 20
SHIPPED_ITEM_LENGTH = 300  # characters, exclusive
SHIPPED_TEXT_LIMIT = 3000  # what the modal's text box takes
SHOWN_SHIPPED = 10  # the latest items a check-in lists


class Mood(StrEnum):
    GOING_WELL = "going_well"
    SO_SO = "so_so"
    NEED_HELP = "need_help"


LOW_MOODS = frozenset({Mood.SO_SO, Mood.NEED_HELP})


class MeetingsShare(StrEnum):
    UNDER_QUARTER = "under_quarter"
    QUARTER = "quarter"
    HALF = "half"
    OVER_HALF = "over_half"


class PulledBack(StrEnum):
    NEVER = "never"
    ONCE_OR_TWICE = "once_or_twice"
    OFTEN = "often"


class Question(StrEnum):
    """The three things a check-in asks; each value names the answer's column."""

    MOOD = "mood"
    MEETINGS = "meetings_share"
    PULLED_BACK = "pulled_back"


ANSWERS: dict[Question, type[StrEnum]] = {
    Question.MOOD: Mood,
    Question.MEETINGS: MeetingsShare,
    Question.PULLED_BACK: PulledBack,
}


class AlertKind(StrEnum):
    HELP = "help"  # "Need help", with what the visitor wrote
    SO_SO = "so_so"  # a so-so week
    BUSY = "busy"  # more than half the week in meetings
    PULLED = "pulled"  # the home team pulled the visitor back often
    LOW_MOOD = "low_mood"  # two low answers in a row
    MEETINGS = "meetings"  # more than half the week in meetings, twice
    PULLS = "pulls"  # often pulled back, twice


class Role(StrEnum):
    """The people around a visit an alert can go to."""

    BUDDY = "buddy"
    HOST_LEADS = "host_leads"
    HOME_LEADS = "home_leads"
    ORGANISERS = "organisers"


# Who can act on each signal (the check-in's consent wording, views.WHO_SEES, says the same).
WHO_CAN_ACT: dict[AlertKind, tuple[Role, ...]] = {
    AlertKind.HELP: (Role.BUDDY, Role.HOST_LEADS),
    AlertKind.SO_SO: (Role.BUDDY, Role.HOST_LEADS),
    AlertKind.BUSY: (Role.HOST_LEADS,),
    AlertKind.PULLED: (Role.HOME_LEADS,),
    AlertKind.LOW_MOOD: (Role.ORGANISERS,),
    AlertKind.MEETINGS: (Role.ORGANISERS,),
    AlertKind.PULLS: (Role.ORGANISERS,),
}

# The signal one answer gives on its own ("Need help" is asked for through its modal).
WEEK_SIGNALS: dict[StrEnum, AlertKind] = {
    Mood.SO_SO: AlertKind.SO_SO,
    MeetingsShare.OVER_HALF: AlertKind.BUSY,
    PulledBack.OFTEN: AlertKind.PULLED,
}


def week_signal(answer: StrEnum) -> AlertKind | None:
    """The alert a single answer calls for, if any."""
    return WEEK_SIGNALS.get(answer)


@dataclass(frozen=True)
class CheckinRef:
    """Which check-in an answer belongs to: a tour's week."""

    tour_id: int
    week: int


@dataclass(frozen=True)
class WeekAnswer:
    """What the visitor answered for one week, and which organiser alerts it already carried."""

    week: int
    mood: Mood | None = None
    meetings: MeetingsShare | None = None
    pulled_back: PulledBack | None = None
    details: str = ""
    low_mood_alerted: bool = False
    meetings_alerted: bool = False
    pulls_alerted: bool = False

    def answered(self, question: Question) -> bool:
        return self.value_of(question) is not None

    def value_of(self, question: Question) -> StrEnum | None:
        return {
            Question.MOOD: self.mood,
            Question.MEETINGS: self.meetings,
            Question.PULLED_BACK: self.pulled_back,
        }[question]


def week_answer(
    week: int, mood: str | None, meetings: str | None, pulled_back: str | None
) -> WeekAnswer:
    """The answers of one week as stored (None for a question not answered yet)."""
    return WeekAnswer(
        week=week,
        mood=Mood(mood) if mood else None,
        meetings=MeetingsShare(meetings) if meetings else None,
        pulled_back=PulledBack(pulled_back) if pulled_back else None,
    )


def worrying(answer: WeekAnswer) -> list[AlertKind]:
    """The signals one week's answers gave ("Need help" included)."""
    given = [answer.mood, answer.meetings, answer.pulled_back]
    signals = [WEEK_SIGNALS[value] for value in given if value in WEEK_SIGNALS]
    return [AlertKind.HELP, *signals] if answer.mood is Mood.NEED_HELP else signals


@dataclass(frozen=True)
class CheckinState:
    """A check-in as the visitor sees it: the visit, the week's answer and what they shipped."""

    ref: CheckinRef
    visitor: str
    host_team: str
    opening_title: str
    starts_on: date
    ends_on: date
    answer: WeekAnswer | None = None
    shipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alert:
    """Someone to tell that the visit needs attention; `weeks` are the weeks that showed it."""

    kind: AlertKind
    weeks: tuple[int, ...]
    recipients: tuple[str, ...]
    details: str = ""
    stand_in: bool = False  # the organisers, for a visit with nobody in the role that acts


@dataclass(frozen=True)
class DueAlert:
    """An organiser alert the answers call for; it is recorded on the last of its weeks."""

    kind: AlertKind
    weeks: tuple[int, ...]

    @property
    def recorded_on(self) -> int:
        return self.weeks[-1]


def parse_answer(question: Question, raw: str) -> StrEnum | None:
    """The answer a button or menu sent, or None when it is not one the question offers."""
    try:
        return ANSWERS[question](raw)
    except ValueError:
        return None


def weeks_in(starts_on: date, ends_on: date) -> int:
    """How many weekly check-ins a visit can have at most."""
    return (ends_on - starts_on).days // 7 + 1


# --- when the organisers hear about it ------------------------------------------------------


def organiser_alerts(answers: Sequence[WeekAnswer]) -> list[DueAlert]:
    """The organiser alerts the answers call for that have not been sent yet.

    Two low moods in a row: one alert per run of consecutive low answers (a run that grows, even
    backwards when an earlier week is answered late, is still the same occurrence). More than half
    the week in meetings, or often pulled back by the home team: one alert once it has happened
    in two weeks, whether or not in a row.
    """
    return (
        _low_mood_alerts(answers)
        + _twice(
            answers,
            AlertKind.MEETINGS,
            showed=lambda a: a.meetings is MeetingsShare.OVER_HALF,
            alerted=lambda a: a.meetings_alerted,
        )
        + _twice(
            answers,
            AlertKind.PULLS,
            showed=lambda a: a.pulled_back is PulledBack.OFTEN,
            alerted=lambda a: a.pulls_alerted,
        )
    )


def _low_mood_alerts(answers: Sequence[WeekAnswer]) -> list[DueAlert]:
    runs: list[list[WeekAnswer]] = []
    previous_low = False
    for answer in sorted((a for a in answers if a.mood is not None), key=lambda a: a.week):
        low = answer.mood in LOW_MOODS
        if low and previous_low:
            runs[-1].append(answer)
        elif low:
            runs.append([answer])
        previous_low = low
    return [
        DueAlert(AlertKind.LOW_MOOD, tuple(a.week for a in run))
        for run in runs
        if len(run) >= 2 and not any(a.low_mood_alerted for a in run)
    ]


def _twice(
    answers: Sequence[WeekAnswer],
    kind: AlertKind,
    *,
    showed: Callable[[WeekAnswer], bool],
    alerted: Callable[[WeekAnswer], bool],
) -> list[DueAlert]:
    weeks = sorted(a.week for a in answers if showed(a))
    if len(weeks) < 2 or any(alerted(a) for a in answers):
        return []
    return [DueAlert(kind, tuple(weeks))]


def plan_alert(alert: Alert, state: CheckinState, now: datetime) -> list[PlannedMessage]:
    """One DM to each recipient, due now. The key names the occurrence (the tour, the alert and
    the last week that showed it) and the recipient, so an alert is never planned twice."""
    tour_id, week = state.ref.tour_id, alert.weeks[-1]
    if alert.kind is AlertKind.HELP:
        occurrence = f"checkin_help:{week}"
    elif Role.ORGANISERS in WHO_CAN_ACT[alert.kind]:
        occurrence = f"checkin_alert:{alert.kind}:{week}"
    else:
        occurrence = f"checkin_signal:{alert.kind}:{week}"
    payload = {
        "tour_id": tour_id,
        "visitor": state.visitor,
        "host_team": state.host_team,
        "opening_title": state.opening_title,
        "starts_on": state.starts_on.isoformat(),
        "ends_on": state.ends_on.isoformat(),
        "alert": str(alert.kind),
        "weeks": list(alert.weeks),
        "details": alert.details,
        "stand_in": alert.stand_in,
    }
    return _to_each_now(
        f"tour:{tour_id}:{occurrence}",
        alert.recipients,
        content_key="checkin_alert",
        payload=payload,
        tour_id=tour_id,
        now=now,
    )


def _to_each_now(
    key: str,
    recipients: Sequence[str],
    *,
    content_key: str,
    payload: dict[str, Any],
    tour_id: int,
    now: datetime,
) -> list[PlannedMessage]:
    """One DM to each recipient, due now, keyed by the occurrence and the recipient."""
    return [
        PlannedMessage(
            unique_key=f"{key}:{recipient}",
            kind=Kind.ALERT,
            recipient=recipient,
            due_at=now,
            content_key=content_key,
            payload=payload,
            tour_id=tour_id,
        )
        for recipient in recipients
    ]


# --- what the visitor typed -----------------------------------------------------------------


def validate_help(details: str) -> dict[str, str]:
    ask = "Say in a few words what would help: your buddy and host lead read it."
    return _note_errors("details", details, ask, HELP_DETAILS_LIMIT)


def _note_errors(field: str, text: str, ask: str, limit: int) -> dict[str, str]:
    if not text:
        return {field: ask}
    if len(text) > limit:
        return {field: f"Keep it under {limit} characters."}
    return {}


def validate_shipped(text: str) -> dict[str, str]:
    items = one_item_a_line(text)
    if not items:
        return {"items": "Add at least one item: a link or a line about what you shipped."}
    if len(items) > SHIPPED_ITEMS_LIMIT:
        return {"items": f"At most {SHIPPED_ITEMS_LIMIT} items at a time ({len(items)} given)."}
    too_long = [n for n, item in enumerate(items, start=1) if len(item) >= SHIPPED_ITEM_LENGTH]
    if too_long:
        which = ", ".join(map(str, too_long))
        return {"items": f"Keep each item under {SHIPPED_ITEM_LENGTH} characters (item {which})."}
    return {}


# --- the host lead's mid-visit answer -----------------------------------------------------------

MIDPOINT_NOTE_LIMIT = 2000


class HostView(StrEnum):
    """How the host lead sees the visit halfway through."""

    FINE = "fine"
    CONCERNS = "concerns"


@dataclass(frozen=True)
class Midpoint:
    """The visit as the mid-visit message to the host lead shows it."""

    tour_id: int
    visitor: str
    buddy: str | None
    host_team: str
    opening_title: str
    ends_on: date

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Midpoint:
        return cls(
            tour_id=payload["tour_id"],
            visitor=payload["visitor"],
            buddy=payload.get("buddy"),
            host_team=payload["host_team"],
            opening_title=payload["opening_title"],
            ends_on=date.fromisoformat(payload["ends_on"]),
        )

    def payload(self) -> dict[str, Any]:
        return {
            "tour_id": self.tour_id,
            "visitor": self.visitor,
            "buddy": self.buddy,
            "host_team": self.host_team,
            "opening_title": self.opening_title,
            "ends_on": self.ends_on.isoformat(),
        }


def told_of_midpoint(
    midpoint: Midpoint, view: HostView, lead: str, organisers: frozenset[str]
) -> tuple[str, ...]:
    """The buddy hears the host lead's answer (unless the lead is the buddy); the organisers
    hear concerns too, so that a worried host is never left on their own."""
    people = {midpoint.buddy} - {None, lead, midpoint.visitor}
    if view is HostView.CONCERNS:
        people |= set(organisers) - {lead}
    return tuple(sorted(person for person in people if person))


def plan_midpoint_answer(
    midpoint: Midpoint,
    view: HostView,
    note: str,
    *,
    lead: str,
    recipients: Sequence[str],
    now: datetime,
) -> list[PlannedMessage]:
    """One DM to each recipient, due now; one answer per lead (a second click changes nothing
    already sent)."""
    payload = midpoint.payload() | {"view": str(view), "note": note, "lead": lead}
    key = f"tour:{midpoint.tour_id}:midpoint_answer:{lead}"
    return _to_each_now(
        key,
        recipients,
        content_key="midpoint_answer",
        payload=payload,
        tour_id=midpoint.tour_id,
        now=now,
    )


def validate_concerns(note: str) -> dict[str, str]:
    ask = "Say in a few words what worries you: the buddy and the organisers read it."
    return _note_errors("note", note, ask, MIDPOINT_NOTE_LIMIT)
