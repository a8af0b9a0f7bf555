"""The scheduling use cases on in-memory ports: planning, the digest, recording outcomes, pauses."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.checkins.model import SHOWN_SHIPPED
from bot.openings.model import OpeningDraft, PostedOpening
from bot.scheduling.delivery import Expired, Failed, Paused, Released, RetryLater, Sent
from bot.scheduling.model import TourRef
from bot.scheduling.planning import TOUR_PLAN_CONTENT_KEYS, Kind, PlannedMessage
from bot.scheduling.service import (
    TourPlanner,
    cancel_tour,
    deliveries_paused,
    pause_deliveries,
    payload_to_send,
    record_outcome,
    resume_deliveries,
    schedule_digest,
    schedule_tour,
)
from bot.stats.model import TourStatus
from tests.bot.scheduling.fakes import (
    NOW,
    WORKSPACE,
    FakeUnitOfWork,
    claimed,
    tour_facts,
)

WARSAW = ZoneInfo("Europe/Warsaw")
TOUR = TourRef(WORKSPACE, 7)
ORGANISERS = ("U0ORG",)


class Zones:
    """Slack's users.info as planning sees it: known zones, and whether each was asked."""

    def __init__(self, **zones: str | None) -> None:
        self.zones = dict(zones)
        self.learnt: list[str] = []

    def zone_of(self, user_id: str) -> str | None:
        return self.zones.get(user_id)

    def is_known(self, user_id: str) -> bool:
        return user_id in self.zones

    def learn(self, user_ids):
        self.learnt += sorted(user_ids)
        self.zones |= {user: "America/New_York" for user in user_ids if user not in self.zones}


def planned_tour(status: TourStatus = TourStatus.SCHEDULED) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.outbox.add_tour(tour_facts(), status)
    return uow


def due(uow: FakeUnitOfWork) -> dict[str, datetime]:
    return {key: row.message.due_at for key, row in uow.outbox.of_tour(7).items()}


# --- tours ------------------------------------------------------------------------------------


def test_a_live_tour_is_planned_in_each_persons_zone_the_visitors_from_their_profile():
    uow = planned_tour()
    count = schedule_tour(
        uow, TOUR, Zones(U0BUDDY="America/New_York", U0VISITOR="Asia/Tokyo"), WARSAW
    )
    assert count == len(due(uow)) == 8
    assert due(uow)["tour:7:kickoff:U0VISITOR:1"] == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert due(uow)["tour:7:kickoff:U0BUDDY:1"] == datetime(2026, 3, 2, 15, tzinfo=UTC)
    assert due(uow)["tour:7:midpoint:U0LEAD:1"] == datetime(2026, 3, 16, 9, tzinfo=UTC)


def test_a_visitor_without_a_zone_in_their_profile_is_asked_about():
    uow = FakeUnitOfWork()
    uow.outbox.tours[7] = replace(planned_tour().outbox.tours[7], visitor_zone=None)
    schedule_tour(uow, TOUR, Zones(U0VISITOR="America/New_York"), WARSAW)
    assert due(uow)["tour:7:kickoff:U0VISITOR:1"] == datetime(2026, 3, 2, 15, tzinfo=UTC)


@pytest.mark.parametrize("status", [TourStatus.CANCELLED, TourStatus.COMPLETED])
def test_a_tour_no_longer_live_loses_its_pending_rows_and_keeps_the_sent_ones(status):
    uow = planned_tour()
    schedule_tour(uow, TOUR, Zones(), WARSAW)
    sent_key = "tour:7:kickoff:U0VISITOR:1"
    uow.outbox.rows[sent_key] = replace(uow.outbox.rows[sent_key], status="sent")
    uow.outbox.add_tour(tour_facts(), status)
    assert schedule_tour(uow, TOUR, Zones(), WARSAW) == 0
    assert list(due(uow)) == [sent_key]
    assert cancel_tour(uow, TOUR) == 0


def test_a_tour_that_is_gone_has_nothing_planned():
    uow = FakeUnitOfWork()
    assert schedule_tour(uow, TourRef(WORKSPACE, 99), Zones(), WARSAW) == 0
    assert schedule_tour(uow, TourRef("T0OTHER", 7), Zones(), WARSAW) == 0
    assert uow.outbox.rows == {}


def test_replanning_moves_pending_rows_and_leaves_what_other_features_planned():
    uow = planned_tour()
    schedule_tour(uow, TOUR, Zones(), WARSAW)
    follow_up = PlannedMessage(
        "retro:7:follow_up", Kind.RETRO, "U0VISITOR", NOW, "follow_up", tour_id=7
    )
    uow.outbox.upsert(WORKSPACE, [follow_up])
    uow.outbox.add_tour(tour_facts(ends_on=date(2026, 3, 13)))  # cut to two weeks
    assert schedule_tour(uow, TOUR, Zones(), WARSAW) == 6
    assert "tour:7:checkin:U0VISITOR:3" not in due(uow)
    assert "retro:7:follow_up" in due(uow)
    assert follow_up.content_key not in TOUR_PLAN_CONTENT_KEYS


def test_the_planner_asks_slack_only_later_for_the_zones_it_missed():
    zones = Zones(U0VISITOR=None)
    planner = TourPlanner(zones, WARSAW)
    uow = planned_tour()
    planner(uow, TOUR)
    assert zones.learnt == []  # not while the step's transaction is open
    assert due(uow)["tour:7:kickoff:U0BUDDY:1"] == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert planner.catch_up(uow.factory, only_workspace="T0OTHER") == 0
    assert planner.catch_up(uow.factory) == 1
    assert zones.learnt == ["U0BUDDY", "U0LEAD"]
    assert due(uow)["tour:7:kickoff:U0BUDDY:1"] == datetime(2026, 3, 2, 15, tzinfo=UTC)
    assert uow.commits == 1
    assert planner.catch_up(uow.factory) == 0  # nothing left to learn


# --- the weekly digest ------------------------------------------------------------------------


def opening(opening_id: int, **fields) -> PostedOpening:
    draft = OpeningDraft(
        title=f"Opening {opening_id}",
        earliest_start=date(2026, 4, 1),
        latest_end=date(2026, 6, 30),
        seats=1,
    )
    return PostedOpening(
        id=opening_id,
        workspace_id=WORKSPACE,
        team_name="Payments",
        team_lead_ids=("U0LEAD",),
        draft=replace(draft, **fields),
        status="open",
        seats_taken=0,
        created_by="U0LEAD",
        announcement=None,
    )


MONDAY_EARLY = datetime(2026, 3, 2, 7, tzinfo=UTC)


def digest_ids(uow: FakeUnitOfWork) -> list[int]:
    [row] = uow.outbox.rows.values()
    return [shown["opening_id"] for shown in row.message.payload["openings"]]


def test_the_digest_lists_the_open_announced_openings_with_seats_left():
    uow = FakeUnitOfWork()
    uow.openings.rows = [
        opening(1),
        opening(2, announce=False),
        opening(3, seats=0),
        opening(4, apply_by=date(2026, 3, 1)),
        opening(5, earliest_start=None),
        opening(6),
    ]
    assert schedule_digest(uow, WORKSPACE, "C0ANNOUNCE", MONDAY_EARLY, WARSAW)
    assert digest_ids(uow) == [1, 6]


def test_no_digest_without_a_channel_an_open_opening_or_time_for_it():
    uow = FakeUnitOfWork()
    assert not schedule_digest(uow, WORKSPACE, "C0ANNOUNCE", MONDAY_EARLY, WARSAW)
    uow.openings.rows = [opening(1)]
    assert not schedule_digest(uow, WORKSPACE, None, MONDAY_EARLY, WARSAW)
    thursday = MONDAY_EARLY + timedelta(days=3)  # Monday's digest has gone stale
    assert not schedule_digest(uow, WORKSPACE, "C0ANNOUNCE", thursday, WARSAW)
    assert uow.outbox.rows == {}


# --- what a row shows when it is sent ---------------------------------------------------------


def test_a_checkin_shows_the_latest_things_shipped_when_it_is_sent():
    uow = FakeUnitOfWork()
    uow.checkins.items[7] = [f"item {n}" for n in range(SHOWN_SHIPPED + 2)]
    payload = payload_to_send(uow, claimed(Kind.CHECKIN, content_key="checkin"))
    assert payload["shipped"] == [f"item {n}" for n in range(2, SHOWN_SHIPPED + 2)]
    assert "shipped" not in payload_to_send(uow, claimed(Kind.KICKOFF))


# --- recording what a delivery attempt achieved ----------------------------------------------

LATER = NOW + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("outcome", "recorded"),
    [
        (Sent("D1", "1.0"), ("sent", 41, "D1 1.0")),
        (Expired("too late"), ("expired", 41, "too late")),
        (RetryLater("boom", LATER), ("retry", 41, f"{LATER.isoformat()} boom")),
        (Released("rate limited", LATER), ("released", 41, str(LATER))),
        (Paused("token_revoked"), ("released", 41, "None")),
    ],
)
def test_each_outcome_is_recorded_by_the_claims_owner(outcome, recorded):
    uow = FakeUnitOfWork()
    uow.outbox.held.add(41)
    assert record_outcome(uow, claimed(), "A", outcome, now=NOW, organisers=ORGANISERS)
    assert uow.outbox.recorded == [recorded]
    assert uow.audit.entries == []


def test_a_lost_claim_records_nothing_and_tells_nobody():
    uow = FakeUnitOfWork()
    failed = Failed("channel_not_found")
    assert not record_outcome(uow, claimed(), "A", failed, now=NOW, organisers=ORGANISERS)
    assert uow.outbox.recorded == [] and uow.outbox.rows == {} and uow.audit.entries == []


def test_a_failure_tells_the_organisers_once_and_is_audited():
    uow = FakeUnitOfWork()
    uow.outbox.held.add(41)
    row = claimed(Kind.MIDPOINT, "U0LEAD")
    assert record_outcome(uow, row, "A", Failed("is_archived"), now=NOW, organisers=ORGANISERS)
    assert list(uow.outbox.rows) == ["notice:failed:41:U0ORG"]
    [entry] = uow.audit.entries
    assert entry == {
        "action": "scheduled_message_failed",
        "subject": "outbox:41",
        "detail": {"kind": "midpoint", "recipient": "U0LEAD", "reason": "is_archived"},
    }


def test_a_visitor_gone_stops_the_visits_messages_and_tells_the_host_leads():
    uow = planned_tour()
    schedule_tour(uow, TOUR, Zones(), WARSAW)
    uow.outbox.held.add(41)
    gone = Failed("user_disabled", recipient_gone=True)
    assert record_outcome(uow, claimed(), "A", gone, now=NOW, organisers=ORGANISERS)
    assert set(uow.outbox.rows) == {"notice:failed:41:U0ORG", "notice:visitor_gone:7:U0LEAD"}


def test_someone_else_gone_leaves_the_visits_messages_planned():
    uow = planned_tour()
    schedule_tour(uow, TOUR, Zones(), WARSAW)
    uow.outbox.held.add(41)
    gone = Failed("user_disabled", recipient_gone=True)
    assert record_outcome(uow, claimed(recipient="U0BUDDY"), "A", gone, now=NOW, organisers=())
    assert len(uow.outbox.of_tour(7)) == 8


# --- pausing a workspace whose token is dead -------------------------------------------------


def test_deliveries_pause_and_resume_once_each_with_an_audit_entry():
    uow = FakeUnitOfWork()
    assert not deliveries_paused(uow, WORKSPACE)
    resume_deliveries(uow, WORKSPACE, NOW)  # not paused: nothing to resume
    pause_deliveries(uow, WORKSPACE, "token_revoked", NOW)
    pause_deliveries(uow, WORKSPACE, "token_revoked", NOW)
    assert deliveries_paused(uow, WORKSPACE)
    resume_deliveries(uow, WORKSPACE, NOW)
    assert not deliveries_paused(uow, WORKSPACE)
    assert uow.audit.actions() == ["deliveries_paused", "deliveries_resumed"]
    assert uow.audit.entries[0]["detail"] == {"reason": "token_revoked"}


def test_an_unknown_workspace_is_never_paused():
    uow = FakeUnitOfWork()
    pause_deliveries(uow, "T0GONE", "token_revoked", NOW)
    assert not deliveries_paused(uow, "T0GONE")
    assert uow.audit.entries == []
