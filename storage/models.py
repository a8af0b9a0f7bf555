"""Typed SQLAlchemy 2.0 models. Every row carries the Slack workspace (team) id it belongs to.

Times are stored as UTC; dates (visit windows, blackouts) are calendar dates in the organisation's
time zone. Topic lists are JSON arrays of normalised topic names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from bot.core.user_text import match_key

# Named constraints keep Alembic migrations identical on SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 32  # Slack ids (T…, U…, C…) are short; leave room for enterprise ids.


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    bot_user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    installed_at: Mapped[datetime] = mapped_column(default=_utcnow)
    uninstalled_at: Mapped[datetime | None]
    tokens_revoked_at: Mapped[datetime | None]
    # Many workspaces (OAuth): the Enterprise Grid organisation, and whether the bot was installed
    # for the whole organisation (its token is then found by enterprise_id alone).
    enterprise_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    is_enterprise_install: Mapped[bool] = mapped_column(default=False)
    # This workspace's own settings; None means the environment's default (TOURISM_ADMINS,
    # TOURISM_CHANNEL, TOURISM_TIMEZONE). See infra/workspace_settings.py.
    organiser_ids: Mapped[list[str] | None]
    announcement_channel: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    timezone: Mapped[str | None] = mapped_column(String(64))


class WorkspaceScoped:
    """Mixin: the workspace every row belongs to."""

    workspace_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )


class Team(WorkspaceScoped, Base):
    __tablename__ = "teams"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        Index("ix_teams_workspace_name_key", "workspace_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    # The name as teams are looked up and compared (bot.user_text.match_key), kept with it.
    name_key: Mapped[str] = mapped_column(Text, default="")  # folding can lengthen
    channel_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    city: Mapped[str | None] = mapped_column(String(100))
    away_cap: Mapped[int] = mapped_column(default=1)  # members that may be away at once
    sprint_weeks: Mapped[int | None]
    sprint_start: Mapped[date | None]
    visitors_per_quarter: Mapped[int | None]
    rest_days_between_visitors: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)

    leads: Mapped[list[TeamLead]] = relationship(
        back_populates="team", cascade="all, delete-orphan", lazy="selectin"
    )
    blackouts: Mapped[list[Blackout]] = relationship(
        back_populates="team", cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("name")
    def _keep_name_key(self, _: str, name: str) -> str:
        self.name_key = match_key(name)
        return name


class TeamLead(WorkspaceScoped, Base):
    __tablename__ = "team_leads"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        # Whether and what someone leads, on every Home render (ix_team_leads_user_id alone
        # loses to the workspace's index on SQLite).
        Index("ix_team_leads_workspace_user", "workspace_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)

    team: Mapped[Team] = relationship(back_populates="leads")


class Blackout(WorkspaceScoped, Base):
    """A period when nobody leaves or joins the team (a release, an on-call week)."""

    __tablename__ = "blackouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    team: Mapped[Team] = relationship(back_populates="blackouts")


class Person(WorkspaceScoped, Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    home_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    learn_topics: Mapped[list[str]] = mapped_column(default=list)
    teach_topics: Mapped[list[str]] = mapped_column(default=list)
    learning_goal: Mapped[str] = mapped_column(String(300), default="")
    available_from: Mapped[date | None]
    available_until: Mapped[date | None]
    preferred_weeks: Mapped[int] = mapped_column(default=4)
    work_mode: Mapped[str] = mapped_column(String(10), default="either")  # onsite|remote|either
    city: Mapped[str | None] = mapped_column(String(100))
    willing_to_travel: Mapped[bool] = mapped_column(Boolean, default=False)
    looking: Mapped[bool] = mapped_column(Boolean, default=True)
    snoozed_until: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=_utcnow, onupdate=_utcnow)
    # When Slack said the person was deactivated (user_change): they are forgotten after
    # TOURISM_FORGET_GRACE_DAYS unless reactivated meanwhile.
    deactivated_at: Mapped[datetime | None]

    home_team: Mapped[Team | None] = relationship(lazy="joined")


class Opening(WorkspaceScoped, Base):
    __tablename__ = "openings"
    __table_args__ = (
        Index("ix_openings_workspace_status", "workspace_id", "status"),
        Index("ix_openings_workspace_team_status", "workspace_id", "host_team_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    host_team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(150))
    # The title as duplicates are found (bot.user_text.match_key), kept with it.
    title_key: Mapped[str] = mapped_column(Text, default="")  # folding can lengthen
    description: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(default=list)
    hopes_to_learn: Mapped[list[str]] = mapped_column(default=list)
    expected_output: Mapped[str] = mapped_column(String(20), default="learning")  # or deliverable
    earliest_start: Mapped[date]
    latest_end: Mapped[date]
    weeks: Mapped[int]
    seats: Mapped[int] = mapped_column(default=1)
    seats_taken: Mapped[int] = mapped_column(default=0)
    buddy_user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    work_mode: Mapped[str] = mapped_column(String(10), default="hybrid")  # onsite|remote|hybrid
    first_day_kit: Mapped[str] = mapped_column(Text, default="")
    apply_by: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="open")  # open|closed|filled
    announce: Mapped[bool] = mapped_column(Boolean, default=False)
    announcement_channel: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    announcement_ts: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)

    host_team: Mapped[Team] = relationship(lazy="joined")

    @validates("title")
    def _keep_title_key(self, _: str, title: str) -> str:
        self.title_key = match_key(title)
        return title

    @property
    def open_seats(self) -> int:
        return max(self.seats - self.seats_taken, 0)


class Application(WorkspaceScoped, Base):
    """A visitor's request to join an opening; `status` follows the state machine of
    bot.applications.model."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_opening_status", "opening_id", "status"),
        Index("ix_applications_workspace_status", "workspace_id", "status"),  # organiser's Home
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("openings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    motivation: Mapped[str] = mapped_column(Text, default="")
    learning_goal: Mapped[str] = mapped_column(String(300), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    covering_home_duties: Mapped[str] = mapped_column(String(300), default="")
    decision_reason: Mapped[str] = mapped_column(String(500), default="")
    override_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=_utcnow, onupdate=_utcnow)

    opening: Mapped[Opening] = relationship(lazy="joined")
    person: Mapped[Person] = relationship(lazy="joined")


class Tour(WorkspaceScoped, Base):
    __tablename__ = "tours"
    __table_args__ = (Index("ix_tours_workspace_status", "workspace_id", "status"),)  # same

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("openings.id", ondelete="CASCADE"))
    host_team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    home_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    buddy_user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    # "I might like to stay": seen by the two leads only, never posted in a channel.
    might_stay: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)


class CardConfirmation(WorkspaceScoped, Base):
    """One party's click on the visit card; the tour exists once every role has confirmed."""

    __tablename__ = "card_confirmations"
    __table_args__ = (UniqueConstraint("application_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))  # visitor|buddy|host_lead|home_lead
    user_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    confirmed_at: Mapped[datetime]


class DecisionMessage(WorkspaceScoped, Base):
    """A message that asked someone to decide, so every copy can be updated once decided."""

    __tablename__ = "decision_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))  # host_decision|home_decision|visit_card|...
    user_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    channel_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    ts: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime]


class TourExtension(WorkspaceScoped, Base):
    """A visitor's mid-visit request for more weeks, approved like the visit itself."""

    __tablename__ = "tour_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    weeks: Mapped[int]
    reason: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    decision_reason: Mapped[str] = mapped_column(String(500), default="")
    requested_at: Mapped[datetime]


class Proposal(WorkspaceScoped, Base):
    """A matching round's offer to one visitor; accepting it applies (the host lead decides)."""

    __tablename__ = "proposals"
    # A visitor holds at most one unanswered proposal per opening, however often a round is sent.
    __table_args__ = (
        Index(
            "uq_proposals_live",
            "person_id",
            "opening_id",
            unique=True,
            sqlite_where=text("status = 'sent'"),
            postgresql_where=text("status = 'sent'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("openings.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    mode: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="sent")  # sent|accepted|declined
    sent_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime]

    opening: Mapped[Opening] = relationship(lazy="joined")
    person: Mapped[Person] = relationship(lazy="joined")


class Invitation(WorkspaceScoped, Base):
    """A host lead's invitation of one person to apply to one opening: sent once."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("opening_id", "visitor_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("openings.id", ondelete="CASCADE"))
    visitor_user_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    invited_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime]


class OutboxMessage(WorkspaceScoped, Base):
    """A scheduled message: the source of truth for everything the scheduler sends."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("workspace_id", "unique_key"),
        Index("ix_outbox_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unique_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(ID_LENGTH))
    tour_id: Mapped[int | None] = mapped_column(
        ForeignKey("tours.id", ondelete="CASCADE"), index=True
    )
    content_key: Mapped[str] = mapped_column(String(100), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    # A retry waits until next_attempt_at; a claim is held by lease_owner until lease_until, so a
    # deliverer whose lease was taken over cannot record an outcome for the row.
    next_attempt_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    # When a try may have posted without our knowing (no answer, a 5xx, a claim taken over from a
    # deliverer that died): from then on Slack's history is searched before every post. It
    # survives a release and a restart, unlike the attempt count.
    maybe_sent_at: Mapped[datetime | None]
    sent_channel: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)


class Retro(WorkspaceScoped, Base):
    __tablename__ = "retros"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), unique=True)
    learned: Mapped[str] = mapped_column(Text, default="")
    bring_back: Mapped[list[str]] = mapped_column(default=list)
    rating: Mapped[int]
    length_verdict: Mapped[str] = mapped_column(String(12))  # too_short|right|too_long
    shareable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    updated_at: Mapped[datetime | None]
    # Where the highlight was posted (with consent), so an edit updates or removes that message.
    highlight_channel: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    highlight_ts: Mapped[str | None] = mapped_column(String(32))
    # The 90-day follow-up: which of the bring_back items the visitor says stuck.
    stuck: Mapped[list[str]] = mapped_column(default=list)


class ShareBack(WorkspaceScoped, Base):
    """The visitor showed their team what they learned (done), or booked a session to do so."""

    __tablename__ = "share_backs"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), unique=True)
    done_at: Mapped[datetime | None]
    session_on: Mapped[date | None]
    session_channel: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    session_ts: Mapped[str | None] = mapped_column(String(32))
    recorded_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    recorded_at: Mapped[datetime]


class CheckinAnswer(WorkspaceScoped, Base):
    """A visitor's answers to one week's check-in; each question is answered once (first wins).
    The *_alerted_at columns record that the organisers were told about an occurrence."""

    __tablename__ = "checkin_answers"
    __table_args__ = (UniqueConstraint("tour_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"))
    week: Mapped[int]
    mood: Mapped[str | None] = mapped_column(String(12))  # going_well|so_so|need_help
    meetings_share: Mapped[str | None] = mapped_column(String(16))  # under_quarter|...|over_half
    pulled_back: Mapped[str | None] = mapped_column(String(16))  # never|once_or_twice|often
    details: Mapped[str] = mapped_column(Text, default="")  # what "Need help" said
    answered_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    answered_at: Mapped[datetime]
    low_mood_alerted_at: Mapped[datetime | None]
    meetings_alerted_at: Mapped[datetime | None]
    pulls_alerted_at: Mapped[datetime | None]


class ShippedItem(WorkspaceScoped, Base):
    """One thing a visitor shipped during the visit: a link or a line, kept as typed."""

    __tablename__ = "shipped_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    logged_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    logged_at: Mapped[datetime]


class AuditEntry(WorkspaceScoped, Base):
    """A step someone took, or a state change it made (storage/history.py: `subject` is then the
    visit-level record, `detail` the change with its before and after values)."""

    __tablename__ = "audit_log"
    # A visit's history is read by subject.
    __table_args__ = (Index("ix_audit_log_workspace_subject", "workspace_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(60), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=_utcnow, index=True)


class MatchingStamp(Base):
    """A workspace's matching version: bumped in the same transaction as any change that moves
    the matcher's answers (people, openings, teams, blackouts, visits, applications), so every
    process keeping a matching index knows with one read whether its copy is still current."""

    __tablename__ = "matching_stamps"

    workspace_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


class MatchingChange(Base):
    """What one matching version changed: a row per person, opening or team whose matcher-facing
    data moved (kind "all": too much to name), so a process whose kept index is a few versions
    behind reloads only those. Old versions are pruned; a process further behind rebuilds."""

    __tablename__ = "matching_changes"
    __table_args__ = (Index("ix_matching_changes_workspace_version", "workspace_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[int]


class InboxEvent(Base):
    """Events API deliveries claimed or processed, so a redelivery (X-Slack-Retry-Num) is a no-op.

    A claim is committed before the event's Slack call and `processed_at` set after it succeeds:
    a failed call gives its claim back, and a claim left by a crash may be taken over later."""

    __tablename__ = "inbox_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    event_type: Mapped[str] = mapped_column(String(60))
    claimed_at: Mapped[datetime] = mapped_column(index=True)  # pruning
    processed_at: Mapped[datetime | None]


# slack-sdk's installation and OAuth state stores (infra/oauth.py) own these tables and query them
# through their own metadata; they are declared here too so that migrations create them.
OAUTH_STORE_TABLES = (
    SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations"),
    SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots"),
    SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states"),
)


class SlackPace(Base):
    """When each paced kind of Slack call may next be made, shared by every replica.

    One row per workspace and bucket (a method, or a method in one conversation); times are Unix
    seconds, as replicas share no monotonic clock. Rows are tiny and pruned once long past."""

    __tablename__ = "slack_pace"

    workspace_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(120), primary_key=True)
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)
