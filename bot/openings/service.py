"""Use cases of host openings: the form, saving, listing, closing, and announcing (as decisions).

Slack calls stay in handlers: these functions say what to post or update, and take back what
Slack answered (`record_announcement`, `announcement_problem`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from bot.core.forms import TopicCheck, check_new_topics
from bot.core.ports import Audit
from bot.core.topics import TopicVocabulary
from bot.directory.model import Team
from bot.openings.model import (
    ListedOpening,
    OpeningDraft,
    PostedOpening,
    Status,
    clean_title,
    is_expired,
    lists_topic,
    validate_opening,
)

PAGE_SIZE = 10


class Openings(Protocol):
    def get(self, workspace_id: str, opening_id: int) -> PostedOpening | None: ...

    def open(
        self, workspace_id: str, team_ids: Sequence[int] | None = None
    ) -> list[PostedOpening]: ...

    def listing(self, workspace_id: str, *, with_topics: bool) -> list[ListedOpening]: ...

    def by_ids(self, workspace_id: str, opening_ids: Sequence[int]) -> dict[int, PostedOpening]: ...

    def open_title_taken(
        self, workspace_id: str, team_id: int, title: str, *, except_id: int | None
    ) -> bool: ...

    def create(
        self, workspace_id: str, draft: OpeningDraft, *, created_by: str, now: datetime
    ) -> PostedOpening: ...

    def update(self, workspace_id: str, opening_id: int, draft: OpeningDraft) -> PostedOpening: ...

    def set_status(self, workspace_id: str, opening_ids: Sequence[int], status: str) -> None: ...

    def set_announcement(
        self, workspace_id: str, opening_id: int, channel_id: str, ts: str
    ) -> None: ...


class Teams(Protocol):
    def get(self, workspace_id: str, team_id: int) -> Team | None: ...

    def all(self, workspace_id: str) -> list[Team]: ...

    def led_by(self, workspace_id: str, user_id: str) -> list[Team]: ...

    def ids_led_by(self, workspace_id: str, user_id: str) -> list[int]: ...


class OpeningReader(Protocol):
    @property
    def openings(self) -> Openings: ...
    @property
    def teams(self) -> Teams: ...
    @property
    def audit(self) -> Audit: ...


class OpeningUnitOfWork(OpeningReader, Protocol):
    def commit(self) -> None: ...


OpeningReaderFactory = Callable[[], AbstractContextManager[OpeningReader]]
OpeningUnitOfWorkFactory = Callable[[], AbstractContextManager[OpeningUnitOfWork]]


@dataclass(frozen=True)
class Actor:
    """Who clicked or typed (from the payload's user), and whether they organise tourism."""

    workspace_id: str
    user_id: str
    is_organiser: bool


# --- who may host ------------------------------------------------------------------------------


def _hostable_teams(uow: OpeningReader, actor: Actor) -> list[Team]:
    if actor.is_organiser:
        return uow.teams.all(actor.workspace_id)
    return uow.teams.led_by(actor.workspace_id, actor.user_id)


def _may_change(uow: OpeningReader, actor: Actor, opening: PostedOpening) -> bool:
    if actor.is_organiser:
        return True
    led = {team.id for team in uow.teams.led_by(actor.workspace_id, actor.user_id)}
    return opening.draft.team_id in led


@dataclass(frozen=True)
class HostForm:
    """What the opening modal needs: teams to pick from, the draft to prefill, and which opening
    it edits (None: a new one). No teams means the actor may not host: `refusal` says why."""

    teams: list[tuple[int, str]]
    draft: OpeningDraft = field(default_factory=OpeningDraft)
    opening_id: int | None = None
    refusal: Refusal | None = None

    @property
    def team(self) -> tuple[int, str] | None:
        return next((team for team in self.teams if team[0] == self.draft.team_id), None)


class Refusal(StrEnum):
    NOT_A_LEAD = "not_a_lead"
    NO_TEAMS = "no_teams"  # an organiser, but the directory is empty
    NOT_FOUND = "not_found"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"


def host_form(uow_factory: OpeningReaderFactory, actor: Actor) -> HostForm:
    with uow_factory() as uow:
        teams = [(team.id, team.name) for team in _hostable_teams(uow, actor)]
    if not teams:
        return HostForm([], refusal=Refusal.NO_TEAMS if actor.is_organiser else Refusal.NOT_A_LEAD)
    draft = OpeningDraft(team_id=teams[0][0]) if len(teams) == 1 else OpeningDraft()
    return HostForm(teams, draft)


def edit_form(uow_factory: OpeningReaderFactory, actor: Actor, opening_id: int) -> HostForm:
    with uow_factory() as uow:
        opening = uow.openings.get(actor.workspace_id, opening_id)
        refusal = _refusal_to_change(uow, actor, opening)
        if refusal is not None or opening is None:
            return HostForm([], refusal=refusal)
        teams = [(team.id, team.name) for team in _hostable_teams(uow, actor)]
    return HostForm(teams, opening.draft, opening.id)


def _refusal_to_change(
    uow: OpeningReader, actor: Actor, opening: PostedOpening | None
) -> Refusal | None:
    if opening is None:
        return Refusal.NOT_FOUND
    if not _may_change(uow, actor, opening):
        return Refusal.NOT_YOURS
    if not opening.is_open:
        return Refusal.CLOSED
    return None


# --- saving ------------------------------------------------------------------------------------


class AnnouncementStep(StrEnum):
    NONE = "none"
    POST = "post"  # post a new message in `channel_id`
    UPDATE = "update"  # update the message at `announcement`
    NOT_CONFIGURED = "not_configured"  # asked to announce, but no channel is set


@dataclass(frozen=True)
class AnnouncementPlan:
    step: AnnouncementStep
    channel_id: str | None = None


def plan_announcement(opening: PostedOpening, channel_id: str | None) -> AnnouncementPlan:
    """What to do in Slack after an opening was saved or closed."""
    if opening.announcement is not None:
        return AnnouncementPlan(AnnouncementStep.UPDATE, opening.announcement.channel_id)
    if not opening.draft.announce or not opening.is_open:
        return AnnouncementPlan(AnnouncementStep.NONE)
    if channel_id is None:
        return AnnouncementPlan(AnnouncementStep.NOT_CONFIGURED)
    return AnnouncementPlan(AnnouncementStep.POST, channel_id)


@dataclass(frozen=True)
class SaveResult:
    """Validation errors (nothing was saved), or the saved opening and what to do in Slack."""

    errors: dict[str, str] = field(default_factory=dict)
    opening: PostedOpening | None = None
    created: bool = False
    announcement: AnnouncementPlan = AnnouncementPlan(AnnouncementStep.NONE)


def save_opening(
    uow_factory: OpeningUnitOfWorkFactory,
    actor: Actor,
    draft: OpeningDraft,
    *,
    topic_check: TopicCheck,
    opening_id: int | None,
    today: date,
    now: datetime,
    channel_id: str | None,
) -> SaveResult:
    """Validates and saves (creates, or updates `opening_id`) in one transaction; with errors
    nothing is saved. Who may post for which team is checked here, from `actor`."""
    draft = replace(draft, title=clean_title(draft.title))
    with uow_factory() as uow:
        saved = None if opening_id is None else uow.openings.get(actor.workspace_id, opening_id)
        if opening_id is not None:
            refusal = _refusal_to_change(uow, actor, saved)
            if refusal is not None:
                return SaveResult(dict([_REFUSED_EDIT[refusal]]))
        allowed = None if actor.is_organiser else _led_team_ids(uow, actor)
        team_gone = (
            draft.team_id is not None and uow.teams.get(actor.workspace_id, draft.team_id) is None
        )
        title_taken = draft.team_id is not None and uow.openings.open_title_taken(
            actor.workspace_id, draft.team_id, draft.title, except_id=opening_id
        )
        errors = validate_opening(
            draft, today=today, team_ids_allowed=allowed, title_taken=title_taken, saved=saved
        )
        if team_gone:
            errors["team"] = "That team is not in the directory any more: pick another."
        kept = () if saved is None else (*saved.draft.topics, *saved.draft.hopes_to_learn)
        for name in ("topics", "hopes_to_learn"):
            check_new_topics(errors, name, getattr(draft, name), topic_check, kept=kept)
        if errors:
            return SaveResult(errors)
        if opening_id is None:
            opening = uow.openings.create(
                actor.workspace_id, draft, created_by=actor.user_id, now=now
            )
        else:
            opening = uow.openings.update(actor.workspace_id, opening_id, draft)
        uow.audit.record(
            actor.workspace_id,
            action="opening_created" if opening_id is None else "opening_updated",
            actor_user_id=actor.user_id,
            now=now,
            subject=f"opening:{opening.id}",
            detail={"team_id": opening.draft.team_id, "title": opening.title},
        )
        uow.commit()
    return SaveResult(
        opening=opening,
        created=opening_id is None,
        announcement=plan_announcement(opening, channel_id),
    )


# A refused edit shows as an error next to the field it is most about.
_REFUSED_EDIT = {
    Refusal.NOT_FOUND: ("title", "This opening no longer exists."),
    Refusal.NOT_YOURS: ("team", "Only the host team's leads or an organiser can change it."),
    Refusal.CLOSED: ("title", "This opening is closed: post a new one with `/tourism host`."),
}


def _led_team_ids(uow: OpeningReader, actor: Actor) -> list[int]:
    return [team.id for team in uow.teams.led_by(actor.workspace_id, actor.user_id)]


def record_announcement(
    uow_factory: OpeningUnitOfWorkFactory,
    workspace_id: str,
    opening_id: int,
    channel_id: str,
    ts: str,
) -> None:
    with uow_factory() as uow:
        uow.openings.set_announcement(workspace_id, opening_id, channel_id, ts)
        uow.commit()


# --- closing -----------------------------------------------------------------------------------


def close_opening(
    uow_factory: OpeningUnitOfWorkFactory, actor: Actor, opening_id: int, *, now: datetime
) -> PostedOpening | Refusal:
    """The opening, closed; or why the actor may not close it."""
    with uow_factory() as uow:
        opening = uow.openings.get(actor.workspace_id, opening_id)
        refusal = _refusal_to_change(uow, actor, opening)
        if refusal is not None or opening is None:
            return refusal or Refusal.NOT_FOUND
        uow.openings.set_status(actor.workspace_id, [opening_id], Status.CLOSED)
        uow.audit.record(
            actor.workspace_id,
            action="opening_closed",
            actor_user_id=actor.user_id,
            now=now,
            subject=f"opening:{opening_id}",
            detail={"title": opening.title},
        )
        uow.commit()
    return replace(opening, status=Status.CLOSED)


def close_expired_openings(
    uow: OpeningUnitOfWork, workspace_id: str, today: date
) -> list[PostedOpening]:
    """Closes the open openings whose last day to apply (apply-by, else the latest start that
    fits) is before `today`, and returns them closed, so their announcements can be updated.

    Runs in the caller's unit of work; the caller commits.
    """
    expired = [opening for opening in uow.openings.open(workspace_id) if is_expired(opening, today)]
    if not expired:
        return []
    uow.openings.set_status(workspace_id, [opening.id for opening in expired], Status.CLOSED)
    return [
        closed
        for opening in expired
        if (closed := uow.openings.get(workspace_id, opening.id)) is not None
    ]


# --- listing -----------------------------------------------------------------------------------


class ListKind(StrEnum):
    OPEN = "open"  # every open opening, maybe about a topic
    MINE = "mine"  # the openings of the teams I lead (organisers: all)


@dataclass(frozen=True)
class ListQuery:
    kind: ListKind = ListKind.OPEN
    topic: str = ""
    page: int = 0


@dataclass(frozen=True)
class OpeningPage:
    query: ListQuery
    openings: list[PostedOpening]
    total: int
    closed_now: list[PostedOpening] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.query.page > 0

    @property
    def has_next(self) -> bool:
        return (self.query.page + 1) * PAGE_SIZE < self.total

    @property
    def pages(self) -> int:
        return max((self.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)


def list_openings(
    reader: OpeningReaderFactory,
    uow_factory: OpeningUnitOfWorkFactory,
    actor: Actor,
    query: ListQuery,
    *,
    vocabulary: TopicVocabulary,
    today: date,
) -> OpeningPage:
    """A page of open openings (expired ones are closed first: `closed_now`).

    Read without the write lock; only when some opening has expired is one taken, to close it.
    The list is filtered and paged on light rows; only the page's openings are read in full.
    """
    mine_only = query.kind is ListKind.MINE and not actor.is_organiser
    with reader() as uow:
        found = uow.openings.listing(actor.workspace_id, with_topics=bool(query.topic))
        led = set(_led_team_ids(uow, actor)) if mine_only else set()
    closed_now: list[PostedOpening] = []
    if any(opening.expired(today) for opening in found):
        with uow_factory() as uow:
            closed_now = close_expired_openings(uow, actor.workspace_id, today)
            uow.commit()
        closed_ids = {opening.id for opening in closed_now}
        found = [opening for opening in found if opening.id not in closed_ids]
    if mine_only:
        found = [opening for opening in found if opening.team_id in led]
    if query.topic:
        found = [o for o in found if lists_topic(o.topics, query.topic, vocabulary)]
    last_page = max((len(found) - 1) // PAGE_SIZE, 0)
    page = min(max(query.page, 0), last_page)
    shown_ids = [opening.id for opening in found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    with reader() as uow:
        read = uow.openings.by_ids(actor.workspace_id, shown_ids)
    shown = [read[opening_id] for opening_id in shown_ids if opening_id in read]
    return OpeningPage(
        ListQuery(query.kind, query.topic, page), shown, len(found), closed_now=closed_now
    )


def leads_anything(uow_factory: OpeningReaderFactory, actor: Actor) -> bool:
    if actor.is_organiser:
        return True
    with uow_factory() as uow:
        return bool(_led_team_ids(uow, actor))


def find_opening(
    uow_factory: OpeningReaderFactory, workspace_id: str, opening_id: int
) -> PostedOpening | None:
    with uow_factory() as uow:
        return uow.openings.get(workspace_id, opening_id)


# --- announcement problems ---------------------------------------------------------------------


class AnnouncementProblem(StrEnum):
    NOT_CONFIGURED = "not_configured"
    PRIVATE_CHANNEL = "private_channel"  # the bot must be invited
    CHANNEL_NOT_FOUND = "channel_not_found"  # deleted, or private and the bot not in it
    ARCHIVED = "archived"
    FAILED = "failed"  # anything else Slack answered

    @property
    def organisers_must_know(self) -> bool:
        """The channel setting itself is wrong: the organisers fix it, not the poster."""
        return self in (AnnouncementProblem.CHANNEL_NOT_FOUND, AnnouncementProblem.ARCHIVED)


@dataclass(frozen=True)
class AnnouncementOutcome:
    """What became of an announcement plan in Slack."""

    posted_in: str | None = None  # the channel of a new announcement
    problem: AnnouncementProblem | None = None
    slack_error: str = ""
    channel_id: str | None = None


class NotInChannel(StrEnum):
    JOIN_AND_RETRY = "join"
    ASK_FOR_INVITE = "invite"


def when_not_in_channel(*, is_private: bool | None) -> NotInChannel:
    """The bot may join a public channel by itself; a private one (or one it cannot even see)
    needs someone to invite it."""
    return NotInChannel.JOIN_AND_RETRY if is_private is False else NotInChannel.ASK_FOR_INVITE


def announcement_problem(slack_error: str) -> AnnouncementProblem:
    """What a Slack error code from posting or updating an announcement means for people."""
    return {
        "not_in_channel": AnnouncementProblem.PRIVATE_CHANNEL,
        "method_not_supported_for_channel_type": AnnouncementProblem.PRIVATE_CHANNEL,
        "channel_not_found": AnnouncementProblem.CHANNEL_NOT_FOUND,
        "is_archived": AnnouncementProblem.ARCHIVED,
    }.get(slack_error, AnnouncementProblem.FAILED)
