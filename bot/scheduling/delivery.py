"""What the result of one delivery attempt means: pure decisions, no Slack calls here.

The worker (infra/delivery.py) asks: is this row too late to be worth sending, what does this
Slack error mean, how long to wait before the next try, and who must be told of a failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.scheduling.planning import Kind, PlannedMessage

MAX_ATTEMPTS = 5
FIRST_RETRY_DELAY = timedelta(minutes=1)
LONGEST_RETRY_DELAY = timedelta(hours=1)

# A check-in answers "how is this week going": a day late, the question has gone stale. A digest
# a day late overlaps the week it announces. Kickoffs, retro prompts and share-back reminders are
# still worth having late.
STALE_AFTER: dict[str, timedelta] = {
    Kind.CHECKIN: timedelta(days=1),
    Kind.MIDPOINT: timedelta(days=1),
    Kind.DIGEST: timedelta(days=1),
}


class Problem(StrEnum):
    RATE_LIMITED = "rate_limited"  # wait for Retry-After; not a failed attempt
    UNCERTAIN = "uncertain"  # Slack may have posted: look before sending again
    NOT_IN_CHANNEL = "not_in_channel"  # join once, then post again
    PERMANENT = "permanent"  # sending again cannot help
    RECIPIENT_GONE = "recipient_gone"  # the person was deactivated
    TOKEN_DEAD = "token_dead"  # nothing works for this workspace until it is fixed
    TRANSIENT = "transient"  # Slack refused this time, nothing was posted: try later


TOKEN_DEAD_ERRORS = frozenset(
    {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"}
)
RECIPIENT_GONE_ERRORS = frozenset({"user_disabled", "user_not_found"})
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "too_many_attachments",
        "cannot_dm_bot",
        "restricted_action",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "metadata_too_large",
        "method_not_supported_for_channel_type",
    }
)
# Slack's own words for these: "it's possible some aspect of the operation succeeded".
UNCERTAIN_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
RATE_LIMIT_ERRORS = frozenset({"ratelimited", "rate_limited"})
SERVER_ERROR_STATUS = 500
RATE_LIMITED_STATUS = 429


_PROBLEM_OF_ERROR: dict[str, Problem] = {
    **dict.fromkeys(TOKEN_DEAD_ERRORS, Problem.TOKEN_DEAD),
    **dict.fromkeys(RECIPIENT_GONE_ERRORS, Problem.RECIPIENT_GONE),
    **dict.fromkeys(PERMANENT_ERRORS, Problem.PERMANENT),
    "not_in_channel": Problem.NOT_IN_CHANNEL,
}


def classify(error: str | None, http_status: int | None) -> Problem:
    """What a Slack error answer means for a message that was being posted."""
    if http_status == RATE_LIMITED_STATUS or error in RATE_LIMIT_ERRORS:
        return Problem.RATE_LIMITED
    if error in _PROBLEM_OF_ERROR:
        return _PROBLEM_OF_ERROR[error]
    if (http_status or 0) >= SERVER_ERROR_STATUS or error in UNCERTAIN_ERRORS:
        return Problem.UNCERTAIN
    return Problem.TRANSIENT


TOO_LATE = "too late to be worth sending"


def is_stale(kind: str, due_at: datetime, now: datetime) -> bool:
    limit = STALE_AFTER.get(kind)
    return limit is not None and now - due_at > limit


def stale_cutoffs(now: datetime) -> dict[str, datetime]:
    """For each kind that goes stale, the due time before which a row of it is too late now."""
    return {kind: now - limit for kind, limit in STALE_AFTER.items()}


def retry_delay(attempts: int) -> timedelta:
    """Doubling from a minute after the first attempt, at most an hour."""
    doubled: timedelta = FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0)
    return min(doubled, LONGEST_RETRY_DELAY)


# --- outcomes of one attempt ----------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    channel: str
    ts: str


@dataclass(frozen=True)
class Expired:
    reason: str


@dataclass(frozen=True)
class Failed:
    reason: str
    recipient_gone: bool = False


@dataclass(frozen=True)
class RetryLater:
    reason: str
    at: datetime


@dataclass(frozen=True)
class Released:
    """Given back untouched (the attempt does not count), e.g. while deliveries are paused;
    `at`: not to be claimed again before then."""

    reason: str
    at: datetime | None = None


@dataclass(frozen=True)
class Paused:
    """The workspace's token is dead: this row goes back, and deliveries wait for a fix."""

    reason: str


Outcome = Sent | Expired | Failed | RetryLater | Released | Paused


def after_unsuccessful_try(attempts: int, reason: str, now: datetime) -> RetryLater | Failed:
    """Another try after a backoff, until MAX_ATTEMPTS tries have been made."""
    if attempts >= MAX_ATTEMPTS:
        return Failed(f"gave up after {attempts} attempts: {reason}")
    return RetryLater(reason, now + retry_delay(attempts))


# --- who is told when a message cannot be delivered -----------------------------------------


@dataclass(frozen=True)
class UndeliveredMessage:
    """The facts of a row that failed, as the notices describe it."""

    outbox_id: int
    kind: str
    recipient: str
    tour_id: int | None
    payload: dict[str, Any]


def failure_notices(
    message: UndeliveredMessage, reason: str, organisers: Iterable[str], now: datetime
) -> list[PlannedMessage]:
    """One DM to each organiser, keyed by the failed row so that they are told once.

    A notice that cannot be delivered itself is not reported again (that could loop forever).
    """
    if message.kind == Kind.NOTICE:
        return []
    return [
        PlannedMessage(
            unique_key=f"notice:failed:{message.outbox_id}:{organiser}",
            kind=Kind.NOTICE,
            recipient=organiser,
            due_at=now,
            content_key="notice_failed",
            payload=_about(message) | {"reason": reason},
            tour_id=message.tour_id,
        )
        for organiser in sorted(set(organisers))
    ]


def is_visitor(message: UndeliveredMessage) -> bool:
    return message.tour_id is not None and message.payload.get("visitor") == message.recipient


def visitor_gone_notices(message: UndeliveredMessage, now: datetime) -> list[PlannedMessage]:
    """The host leads learn that the visitor's account is gone and the visit's messages stopped."""
    leads = message.payload.get("host_leads") or []
    return [
        PlannedMessage(
            unique_key=f"notice:visitor_gone:{message.tour_id}:{lead}",
            kind=Kind.NOTICE,
            recipient=lead,
            due_at=now,
            content_key="notice_visitor_gone",
            payload=_about(message),
            tour_id=message.tour_id,
        )
        for lead in sorted(set(leads))
    ]


def _about(message: UndeliveredMessage) -> dict[str, Any]:
    facts = {
        key: message.payload[key]
        for key in ("visitor", "host_team", "opening_title", "starts_on", "ends_on")
        if key in message.payload
    }
    return facts | {"failed_kind": message.kind, "failed_recipient": message.recipient}
