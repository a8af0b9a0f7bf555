"""The outbox repository and the planning use cases, on SQLite and PostgreSQL."""

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.checkins.model import Alert, AlertKind, CheckinRef, CheckinState, plan_alert
from bot.retros.model import FollowUp, plan_follow_up
from bot.scheduling.planning import Kind, PlannedMessage
from bot.scheduling.service import cancel_tour, schedule_tour
from bot.stats.model import TourStatus
from storage.models import OutboxMessage
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
LEASE = timedelta(minutes=5)


class Zones:
    """Slack's users.info, as far as planning needs it."""

    def __init__(self, **zones: str) -> None:
        self.zones = zones

    def zone_of(self, user_id: str) -> str | None:
        return self.zones.get(user_id)


def seed_visit(uow, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 29)):
    host = seed_team(uow, "Payments", leads=("U0LEAD",), channel_id="C0PAY")
    home = seed_team(uow, "Search", channel_id="C0SEARCH")
    visitor = seed_person(uow, "U0VISITOR", home_team_id=home.id, timezone="Europe/Warsaw")
    opening = seed_opening(
        uow,
        host,
        "Learn the ledger",
        earliest_start=date(2026, 3, 1),
        latest_end=date(2026, 6, 30),
        buddy_user_id="U0BUDDY",
        first_day_kit="Read the runbook",
    )
    return seed_tour(uow, visitor, opening, starts_on=starts_on, ends_on=ends_on)


def keys_and_status(uow, tour_id):
    return {row.unique_key: row.status for row in uow.outbox.of_tour(WORKSPACE, tour_id)}


def test_a_tour_is_planned_in_everyones_own_zone(uow_factory):
    with uow_factory() as uow:
        tour = seed_visit(uow)
        count = schedule_tour(uow, tour, Zones(U0BUDDY="America/New_York"), WARSAW)
        uow.commit()
        rows = uow.outbox.of_tour(WORKSPACE, tour.id)
        kickoff = next(row.payload for row in rows if row.content_key == "kickoff_visitor")
        due = {row.unique_key: row.due_at for row in rows}
        statuses = {row.status for row in rows}
        prefix = f"tour:{tour.id}"
    assert count == len(due) == 8
    assert due[f"{prefix}:kickoff:U0VISITOR:1"] == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert due[f"{prefix}:kickoff:U0BUDDY:1"] == datetime(2026, 3, 2, 15, tzinfo=UTC)
    # the host lead's zone is unknown: the organisation's
    assert due[f"{prefix}:midpoint:U0LEAD:1"] == datetime(2026, 3, 16, 9, tzinfo=UTC)
    assert kickoff["first_day_kit"] == "Read the runbook"
    assert kickoff["home_channel"] == "C0SEARCH"
    assert statuses == {"pending"}


def claim(uow, *, now=NOW, owner="A", limit=100):
    rows = uow.outbox.claim_due(
        WORKSPACE, now=now, owner=owner, lease_until=now + LEASE, limit=limit
    )
    uow.commit()
    return rows


def test_replanning_keeps_sent_rows_and_moves_pending_ones(uow_factory):
    with uow_factory() as uow:
        tour = seed_visit(uow)
        schedule_tour(uow, tour, Zones(), WARSAW)
        uow.commit()
        # the kickoffs went out on the first day
        sent = claim(uow, now=datetime(2026, 3, 2, 9, tzinfo=UTC))
        assert {row.kind for row in sent} == {Kind.KICKOFF}
        for row in sent:
            assert uow.outbox.mark_sent(row.id, "A", channel="D1", ts="1.0")
        uow.commit()
        # the visit is cut to two weeks
        tour.ends_on = date(2026, 3, 13)
        schedule_tour(uow, tour, Zones(), WARSAW)
        uow.commit()
        rows = {row.unique_key: row for row in uow.outbox.of_tour(WORKSPACE, tour.id)}
        prefix = f"tour:{tour.id}"
        kickoff = rows[f"{prefix}:kickoff:U0VISITOR:1"]
        assert (kickoff.status, kickoff.sent_ts) == ("sent", "1.0")
        assert rows[f"{prefix}:retro:U0VISITOR:1"].due_at == datetime(2026, 3, 13, 9, tzinfo=UTC)
        share_back = rows[f"{prefix}:share_back:U0VISITOR:1"]
        assert share_back.due_at == datetime(2026, 3, 20, 9, tzinfo=UTC)
        # weeks 2 and 3 no longer exist; week 1 is still planned
        checkins = sorted(key for key in rows if ":checkin:" in key)
        assert checkins == [f"{prefix}:checkin:U0VISITOR:1"]


def test_replanning_keeps_the_tours_rows_that_other_features_planned(uow_factory):
    with uow_factory() as uow:
        tour = seed_visit(uow)
        schedule_tour(uow, tour, Zones(), WARSAW)
        dates = (tour.starts_on, tour.ends_on)
        follow_up = FollowUp(tour.id, "U0VISITOR", "Payments", "Learn", *dates, ("x",))
        state = CheckinState(CheckinRef(tour.id, 1), "U0VISITOR", "Payments", "Learn", *dates)
        help_alert = Alert(AlertKind.HELP, (1,), ("U0BUDDY",), "stuck")
        others = [plan_follow_up(follow_up, WARSAW), *plan_alert(help_alert, state, NOW)]
        uow.outbox.upsert(WORKSPACE, others)
        uow.commit()
        tour.ends_on = date(2026, 3, 13)  # the visit is cut to two weeks: re-planned
        schedule_tour(uow, tour, Zones(), WARSAW)
        uow.commit()
        statuses = keys_and_status(uow, tour.id)
        prefix = f"tour:{tour.id}"
    assert [statuses.get(message.unique_key) for message in others] == ["pending", "pending"]
    assert f"{prefix}:checkin:U0VISITOR:2" not in statuses  # the plan's own rows still follow


def test_cancelling_removes_pending_rows_only(uow_factory):
    with uow_factory() as uow:
        tour = seed_visit(uow)
        schedule_tour(uow, tour, Zones(), WARSAW)
        uow.commit()
        [first, *_] = claim(uow, now=datetime(2026, 3, 2, 9, tzinfo=UTC), limit=1)
        uow.outbox.mark_sent(first.id, "A", channel="D1", ts="1.0")
        tour.status = "cancelled"
        assert schedule_tour(uow, tour, Zones(), WARSAW) == 0
        uow.commit()
        assert keys_and_status(uow, tour.id) == {first.unique_key: "sent"}
        assert cancel_tour(uow, tour) == 0


def test_a_tour_to_plan_is_read_with_its_status_and_the_visitors_zone_in_its_workspace(
    uow_factory,
):
    with uow_factory() as uow:
        tour = seed_visit(uow)
        tour.status = "active"
        found = uow.outbox.tour_to_plan(WORKSPACE, tour.id)
        assert (found.status, found.visitor_zone) == (TourStatus.ACTIVE, "Europe/Warsaw")
        assert found.facts.host_leads == ("U0LEAD",)
        assert (found.facts.home_team, found.facts.buddy) == ("Search", "U0BUDDY")
        assert uow.outbox.tour_to_plan("T0ELSEWHERE", tour.id) is None
        assert uow.outbox.tour_to_plan(WORKSPACE, tour.id + 1000) is None


def plan_messages(uow_factory, count, *, due=NOW - timedelta(minutes=1), kind=Kind.RETRO):
    with uow_factory() as uow:
        seed_visit(uow)
        uow.outbox.upsert(
            WORKSPACE,
            [
                PlannedMessage(f"test:{n}", kind, f"U{n:05d}", due, "retro", {"n": n})
                for n in range(count)
            ],
        )
        uow.commit()


def test_only_due_rows_are_claimed_and_a_claim_counts_as_an_attempt(uow_factory):
    plan_messages(uow_factory, 3)
    with uow_factory() as uow:
        uow.outbox.upsert(
            WORKSPACE, [PlannedMessage("later", Kind.RETRO, "U0X", NOW + timedelta(hours=1), "r")]
        )
        uow.commit()
        rows = claim(uow)
        assert [row.unique_key for row in rows] == ["test:0", "test:1", "test:2"]
        stored = [uow.outbox.get(row.id) for row in rows]
        assert {(row.status, row.lease_owner, row.attempts) for row in stored} == {
            ("sending", "A", 1)
        }
        assert {row.attempts for row in rows} == {1}
        assert claim(uow, owner="B") == []


def test_an_expired_lease_is_taken_over_and_the_old_owner_can_no_longer_record(uow_factory):
    plan_messages(uow_factory, 1)
    with uow_factory() as uow:
        [row] = claim(uow, owner="A")
        assert claim(uow, now=NOW + LEASE - timedelta(seconds=1), owner="B") == []
        [taken] = claim(uow, now=NOW + LEASE, owner="B")
        assert taken.id == row.id and taken.attempts == 2
        assert taken.maybe_sent_at == NOW + LEASE  # in doubt: A may have posted
        assert not uow.outbox.mark_sent(row.id, "A", channel="D1", ts="1.0")
        assert uow.outbox.mark_sent(row.id, "B", channel="D1", ts="2.0")
        uow.commit()
        assert uow.outbox.get(row.id).sent_ts == "2.0"


def test_retry_later_waits_and_release_gives_the_attempt_back(uow_factory):
    plan_messages(uow_factory, 2)
    with uow_factory() as uow:
        first, second = claim(uow)
        uow.outbox.retry_later(first.id, "A", at=NOW + timedelta(minutes=1), reason="boom")
        uow.outbox.release(second.id, "A")
        uow.commit()
        assert [row.id for row in claim(uow, owner="B")] == [second.id]
        [again] = claim(uow, now=NOW + timedelta(minutes=1), owner="C")
        assert (again.id, again.attempts, again.last_error) == (first.id, 2, "boom")
        assert uow.outbox.get(second.id).attempts == 1


def test_a_doubt_survives_a_release_and_only_the_claims_owner_can_note_it(uow_factory):
    plan_messages(uow_factory, 2)
    with uow_factory() as uow:
        first, second = claim(uow)
        assert first.maybe_sent_at is None
        assert not uow.outbox.note_doubt(first.id, "B", NOW)
        assert uow.outbox.note_doubt(first.id, "A", NOW)
        uow.outbox.release(first.id, "A")
        uow.outbox.release(second.id, "A")
        uow.commit()
        again = {row.id: row for row in claim(uow, now=NOW + timedelta(minutes=1), owner="C")}
        assert (again[first.id].attempts, again[first.id].maybe_sent_at) == (1, NOW)
        assert again[second.id].maybe_sent_at is None


def test_stale_rows_expire_in_bulk_unless_they_may_be_in_slack(uow_factory):
    old = NOW - timedelta(days=3)
    plan_messages(uow_factory, 3, due=old, kind=Kind.CHECKIN)
    with uow_factory() as uow:
        uow.outbox.upsert(
            WORKSPACE,
            [
                PlannedMessage("today", Kind.CHECKIN, "U0X", NOW, "checkin"),
                PlannedMessage("old retro", Kind.RETRO, "U0Y", old, "retro"),
            ],
        )
        [in_doubt] = claim(uow, limit=1)
        uow.outbox.note_doubt(in_doubt.id, "A", NOW)
        uow.outbox.release(in_doubt.id, "A")
        uow.commit()
        stale_before = {Kind.CHECKIN: NOW - timedelta(days=1)}
        assert uow.outbox.expire_stale(WORKSPACE, stale_before, "too late") == 2
        uow.commit()
        statuses = {row.unique_key: row.status for row in uow.session.query(OutboxMessage)}
        # today's row is claimed first, not queued behind the stale ones
        claimed = [row.unique_key for row in claim(uow, limit=2)]
    assert statuses == {
        "test:0": "pending",  # may be in Slack: looked for before anything else
        "test:1": "expired",
        "test:2": "expired",
        "today": "pending",
        "old retro": "pending",  # retro prompts never go stale
    }
    assert claimed == ["test:0", "old retro"]


def test_outcomes_are_recorded(uow_factory):
    plan_messages(uow_factory, 2)
    with uow_factory() as uow:
        first, second = claim(uow)
        assert uow.outbox.mark_failed(first.id, "A", "channel_not_found")
        assert uow.outbox.mark_expired(second.id, "A", "too late")
        uow.commit()
        assert uow.outbox.count_by_status(WORKSPACE) == {"failed": 1, "expired": 1}
        assert uow.outbox.get(first.id).last_error == "channel_not_found"


def test_upserting_the_same_key_twice_keeps_one_row(uow_factory):
    plan_messages(uow_factory, 1)
    plan_messages_again = [PlannedMessage("test:0", Kind.RETRO, "U00000", NOW, "retro", {"n": 9})]
    with uow_factory() as uow:
        uow.outbox.upsert(WORKSPACE, plan_messages_again)
        uow.commit()
        rows = [(row.unique_key, row.payload) for row in uow.session.query(OutboxMessage)]
    assert rows == [("test:0", {"n": 9})]


def test_concurrent_claims_never_share_a_row(uow_factory):
    plan_messages(uow_factory, 200)
    claimed: list[list[int]] = []
    errors: list[BaseException] = []

    def worker(owner: str) -> None:
        mine: list[int] = []
        try:
            while True:
                with uow_factory() as uow:
                    rows = claim(uow, owner=owner, limit=7)
                if not rows:
                    break
                mine += [row.id for row in rows]
        except BaseException as error:  # surfaced below
            errors.append(error)
        claimed.append(mine)

    threads = [threading.Thread(target=worker, args=(f"W{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    everything = [outbox_id for mine in claimed for outbox_id in mine]
    assert len(everything) == len(set(everything)) == 200
