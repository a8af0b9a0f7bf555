"""Nudges for decisions left waiting: the approver once after 3 working days, the organisers
after 7. Each nudge has a unique key, so planning it again (or on another replica) adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

REMIND_AFTER_WORKING_DAYS = 3
ESCALATE_AFTER_WORKING_DAYS = 7


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start`, up to and including `end`."""
    if end <= start:
        return 0
    whole_weeks, extra = divmod((end - start).days, 7)
    days = whole_weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


@dataclass(frozen=True)
class WaitingDecision:
    application_id: int
    status: str  # the step waiting: submitted (host lead) or host_accepted (home lead)
    since: date
    deciders: tuple[str, ...]
    organisers: tuple[str, ...]
    visitor_id: str
    opening_title: str


@dataclass(frozen=True)
class Nudge:
    unique_key: str
    recipient: str
    escalation: bool
    waiting: WaitingDecision
    working_days: int


def nudges_due(waiting: WaitingDecision, today: date) -> list[Nudge]:
    days = working_days_between(waiting.since, today)
    key = f"application:{waiting.application_id}:{waiting.status}"
    nudges = []
    if days >= REMIND_AFTER_WORKING_DAYS:
        nudges += [
            Nudge(f"{key}:reminder:{person}", person, False, waiting, days)
            for person in waiting.deciders
        ]
    if days >= ESCALATE_AFTER_WORKING_DAYS:
        nudges += [
            Nudge(f"{key}:escalation:{person}", person, True, waiting, days)
            for person in waiting.organisers
        ]
    return nudges
