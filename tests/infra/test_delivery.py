"""The delivery worker against the fake Slack, on SQLite and PostgreSQL: every message once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.clock import FixedClock
from bot.openings.views import APPLY
from bot.scheduling.planning import Kind, PlannedMessage
from bot.scheduling.service import schedule_digest, schedule_tour
from infra.delivery import Deliverer, SlackTimeZones, build_delivery_client
from infra.fake_slack import FakeSlack
from infra.pace import MemoryPace, Pacer
from infra.settings import Settings
from storage.db import create_db_engine, session_factory
from storage.models import OutboxMessage, Workspace
from storage.unit_of_work import SqlReader, SqlUnitOfWork
from tests.conftest import make_settings, settings_env
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

ROOT = Path(__file__).resolve().parents[2]
ORGANISERS = ("U0ORG1", "U0ORG2")
VISITOR, BUDDY, LEAD = "U0VISITOR", "U0BUDDY", "U0LEAD"
FIRST_DAY = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)  # Monday, 10:05 in Warsaw
TITLE = "<!channel> & <@U123>"


@dataclass
class World:
    settings: Settings
    slack: FakeSlack
    clock: FixedClock
    sessions: object

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)  # type: ignore[arg-type]

    def deliverer(
        self, *, timeout: float = 5, rates=None, threads: int = 2, pace=None, batch_size=None
    ) -> Deliverer:
        return Deliverer(
            uow=self.uow,
            reader=lambda: SqlReader(self.sessions),  # type: ignore[arg-type]
            client=build_delivery_client(self.settings, timeout),
            clock=self.clock,
            workspace_id=WORKSPACE,
            organisers=self.settings.admin_user_ids,
            rates=rates or {},
            threads=threads,
            pace=pace,
            batch_size=batch_size,
        )

    def deliver(self, **options) -> Counter[str]:
        deliverer = self.deliverer(**options)
        try:
            return deliverer.deliver_due()
        finally:
            deliverer.close()

    def plan_tour(self, **fields) -> int:
        with self.uow() as uow:
            host = seed_team(uow, "Payments", leads=(LEAD,), channel_id="C0PAY")
            visitor = seed_person(uow, VISITOR)
            opening = seed_opening(
                uow,
                host,
                TITLE,
                earliest_start=date(2026, 3, 1),
                latest_end=date(2026, 6, 30),
                buddy_user_id=BUDDY,
                first_day_kit="Read <the> runbook & say hi",
            )
            tour = seed_tour(
                uow,
                visitor,
                opening,
                starts_on=fields.get("starts_on", date(2026, 3, 2)),
                ends_on=fields.get("ends_on", date(2026, 3, 27)),
            )
            zones = SlackTimeZones(build_delivery_client(self.settings))
            schedule_tour(uow, tour, zones, self.settings.timezone)
            uow.commit()
            return tour.id

    def plan(
        self, count: int, *, due: datetime | None = None, recipient=None, kind=Kind.RETRO, first=0
    ):
        """`count` retro prompts (test:first…) to different people (or all to `recipient`), due
        now."""
        with self.uow() as uow:
            if uow.session.get(Workspace, WORKSPACE) is None:
                uow.session.add(Workspace(id=WORKSPACE, name="Tourism Test"))
            payload = {
                "tour_id": 1,
                "visitor": VISITOR,
                "host_team": "Payments",
                "opening_title": "Ledger",
                "starts_on": "2026-03-02",
                "ends_on": "2026-03-27",
            }
            uow.outbox.upsert(
                WORKSPACE,
                [
                    PlannedMessage(
                        f"test:{n}",
                        kind,
                        recipient or f"U{n:06d}",
                        due or self.clock.now(),
                        "retro",
                        payload,
                    )
                    for n in range(first, first + count)
                ],
            )
            uow.commit()

    def rows(self) -> dict[str, dict]:
        with self.uow() as uow:
            return {
                row.unique_key: {
                    "id": row.id,
                    "status": row.status,
                    "attempts": row.attempts,
                    "sent_ts": row.sent_ts,
                    "sent_channel": row.sent_channel,
                    "last_error": row.last_error,
                    "next_attempt_at": row.next_attempt_at,
                }
                for row in uow.session.query(OutboxMessage).order_by(OutboxMessage.id)
            }

    def row(self, key_part: str) -> dict:
        [row] = [row for key, row in self.rows().items() if key_part in key]
        return row

    def posted_ids(self) -> Counter[int]:
        """How many times each outbox id was posted, over every conversation."""
        posted: Counter[int] = Counter()
        for call in self.slack.calls("chat.postMessage"):
            if call.response and call.response.get("ok"):
                posted[call.params["metadata"]["event_payload"]["outbox_id"]] += 1
        return posted

    def in_slack(self) -> Counter[int]:
        """Outbox ids of the messages now in Slack, effect_then_error posts included."""
        channels = {call.params["channel"] for call in self.slack.calls("chat.postMessage")}
        return Counter(
            message["metadata"]["event_payload"]["outbox_id"]
            for channel in channels
            for message in self.slack.messages(channel)
            if message.get("metadata")
        )


@pytest.fixture
def world(database_url: str, fake_slack: FakeSlack) -> Iterator[World]:
    settings = make_settings(
        settings_env(
            DATABASE_URL=database_url,
            SLACK_API_URL=fake_slack.base_url,
            TOURISM_ADMINS=",".join(ORGANISERS),
        )
    )
    for user in (VISITOR, BUDDY, LEAD, *ORGANISERS):
        fake_slack.add_user(user, tz="Europe/Warsaw")
    engine = create_db_engine(database_url)
    yield World(settings, fake_slack, FixedClock(FIRST_DAY), session_factory(engine))
    engine.dispose()


def dm_texts(slack: FakeSlack, user: str) -> list[str]:
    return [str(message["blocks"]) for message in slack.messages(user)]


# --- the happy path -----------------------------------------------------------------------


def test_the_kickoff_goes_to_visitor_and_buddy_once_with_the_outbox_id(world: World):
    world.plan_tour()
    assert world.deliver() == Counter(sent=2)
    assert world.deliver() == Counter()  # nothing else is due yet

    [to_visitor] = world.slack.messages(VISITOR)
    row = world.row(f"kickoff:{VISITOR}")
    assert to_visitor["metadata"] == {
        "event_type": "tourism_outbox",
        "event_payload": {"outbox_id": row["id"]},
    }
    assert (row["status"], row["sent_ts"], row["sent_channel"]) == (
        "sent",
        to_visitor["ts"],
        f"D{VISITOR}",
    )
    blocks = str(to_visitor["blocks"])
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in blocks and TITLE not in blocks
    assert "Read &lt;the&gt; runbook &amp; say hi" in blocks
    assert f"<@{BUDDY}>" in blocks
    assert len(world.slack.messages(BUDDY)) == 1


def test_each_message_goes_out_when_due(world: World):
    world.plan_tour()
    world.clock.move_to(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))  # week 1's check-in
    assert world.deliver() == Counter(sent=3)
    assert "How did week 1" in dm_texts(world.slack, VISITOR)[-1]
    world.clock.move_to(datetime(2026, 4, 3, 8, 0, tzinfo=UTC))  # a week after, summer time
    # midpoint and weeks 2-3 are now more than a day late: expired; retro and share-back go
    assert world.deliver() == Counter(expired=3, sent=2)
    assert world.row("checkin:U0VISITOR:3")["status"] == "expired"
    last_two = dm_texts(world.slack, VISITOR)[-2:]  # sent side by side: in either order
    assert any("retro" in text and "share_back_done" not in text for text in last_two)
    assert any("share_back_done" in text for text in last_two)


def test_after_downtime_a_stale_check_in_expires_but_the_retro_prompt_is_sent(world: World):
    world.plan_tour()
    world.clock.move_to(datetime(2026, 3, 27, 9, 0, tzinfo=UTC))  # the bot was down 4 weeks
    report = world.deliver()
    assert report == Counter(sent=3, expired=4)  # 2 kickoffs + retro; 3 check-ins + midpoint
    assert {row["status"] for key, row in world.rows().items() if "checkin" in key} == {"expired"}
    assert world.row("retro")["status"] == "sent"
    assert "How did week" not in str(dm_texts(world.slack, VISITOR))


def test_the_weekly_digest_is_posted_in_the_tourism_channel(world: World):
    world.slack.add_channel("C0TOURISM", "tourism")
    with world.uow() as uow:
        host = seed_team(uow, "Payments <Core>", leads=(LEAD,))
        window = {"earliest_start": date(2026, 3, 9), "latest_end": date(2026, 5, 1)}
        announced = seed_opening(uow, host, TITLE, announce=True, **window)
        seed_opening(uow, host, "Kept quiet", announce=False, **window)
        assert schedule_digest(
            uow, WORKSPACE, "C0TOURISM", world.clock.now(), world.settings.timezone
        )
        uow.commit()
    assert world.deliver() == Counter(sent=1)
    [digest] = world.slack.messages("C0TOURISM")
    assert "Payments &lt;Core&gt;" in str(digest["blocks"])
    assert "Kept quiet" not in str(digest["blocks"])  # its lead chose not to announce it
    assert digest["text"] == "1 team tourism opening this week"
    [entry] = [block for block in digest["blocks"] if "accessory" in block]
    assert entry["accessory"]["action_id"] == APPLY
    assert entry["accessory"]["value"] == str(announced.id)
    assert world.rows()["digest:2026-W10"]["status"] == "sent"


# --- Slack faults ----------------------------------------------------------------------------


def test_a_429_waits_for_retry_after_and_is_not_a_failed_attempt(world: World):
    world.plan(1)
    world.slack.inject("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    assert world.deliver() == Counter(sent=1)
    assert time.monotonic() - started >= 1.0
    assert world.row("test:0")["attempts"] == 1
    assert world.posted_ids() == Counter({world.row("test:0")["id"]: 1})


def test_a_5xx_after_slack_posted_is_found_in_history_and_not_sent_again(world: World):
    world.plan(1, recipient=VISITOR)
    world.slack.inject("chat.postMessage", status=500, effect_then_error=True)
    assert world.deliver() == Counter(sent=1)
    row = world.row("test:0")
    [message] = world.slack.messages(VISITOR)
    assert (row["status"], row["sent_ts"]) == ("sent", message["ts"])
    history = world.slack.last("conversations.history").params
    assert history["include_all_metadata"] in ("1", "true", True)
    assert len(world.slack.calls("chat.postMessage")) == 1


def test_a_5xx_without_a_post_is_retried_with_backoff_after_looking_again(world: World):
    world.plan(1, recipient=VISITOR)
    world.slack.inject("chat.postMessage", status=503)
    assert world.deliver() == Counter(retrylater=1)
    row = world.row("test:0")
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["next_attempt_at"] == world.clock.now() + timedelta(minutes=1)
    assert world.deliver() == Counter()  # backing off

    world.clock.move_to(world.clock.now() + timedelta(minutes=1))
    world.slack.reset()
    assert world.deliver() == Counter(sent=1)
    assert [call.method for call in world.slack.calls()] == [
        "conversations.open",
        "conversations.history",  # the earlier try may have posted: look first
        "chat.postMessage",
    ]
    assert len(world.slack.messages(VISITOR)) == 1


def test_a_timeout_after_slack_posted_is_found_in_history(world: World):
    world.plan(1, recipient=VISITOR)
    world.slack.inject("chat.postMessage", delay=3)  # posts, then answers too late
    assert world.deliver(timeout=1) == Counter(sent=1)
    assert len(world.slack.messages(VISITOR)) == 1
    assert world.row("test:0")["sent_ts"] == world.slack.messages(VISITOR)[0]["ts"]


@pytest.mark.parametrize(
    ("history_fault", "outcome"),
    [({"retry_after": 120}, "released"), ({"error": "invalid_auth"}, "paused")],
    ids=["history rate limited for long", "token refused"],
)
@pytest.mark.parametrize("later", [timedelta(minutes=3), timedelta(days=2)], ids=["soon", "stale"])
def test_a_post_in_doubt_is_looked_for_after_a_release_and_a_restart(
    world: World, history_fault, outcome, later
):
    world.plan(1, recipient=VISITOR, kind=Kind.CHECKIN)
    world.slack.inject("chat.postMessage", delay=3)  # posts, then answers too late
    world.slack.inject("conversations.history", **history_fault)  # so the look-up cannot tell
    assert world.deliver(timeout=1) == Counter({outcome: 1})
    row = world.row("test:0")
    assert (row["status"], row["attempts"]) == ("pending", 0)  # given back: no attempt used

    world.clock.move_to(world.clock.now() + later)  # stale by then or not, it may be in Slack
    world.slack.reset()
    # A new deliverer (as after a restart, the Retry-After over) still knows the post is in
    # doubt: it looks first.
    assert world.deliver(pace=MemoryPace()) == Counter(sent=1)
    assert "conversations.history" in [call.method for call in world.slack.calls()]
    assert world.slack.calls("chat.postMessage") == []
    [message] = world.slack.messages(VISITOR)
    assert world.row("test:0")["sent_ts"] == message["ts"]


def test_a_retry_after_holds_back_every_sending_thread_from_when_it_arrives(world: World):
    world.plan(3)
    world.slack.inject("chat.postMessage", retry_after=1)
    # At 4 a second, the other two threads have slots 0.25 s and 0.5 s after the first call.
    assert world.deliver(threads=3, rates={"chat.postMessage": 4}) == Counter(sent=3)
    [limited, *after] = world.slack.calls("chat.postMessage")
    assert limited.status == 429 and len(after) == 3
    assert [call.at - limited.at >= 1.0 for call in after] == [True] * 3


def test_the_pacer_holds_back_a_caller_whose_slot_came_before_a_retry_after():
    now = [0.0]

    def sleep(seconds: float) -> None:
        if not pacer.blocked_for("conversations.open"):  # the first call's 429 arrives
            pacer.hold("conversations.open", 3)
        now[0] += seconds

    pacer = Pacer({"conversations.open": 0.8}, clock=lambda: now[0], sleep=sleep)
    pacer.wait("conversations.open")  # the first call, at once
    pacer.wait("conversations.open")  # its slot was 1.25 s later, but the 429 came first
    assert now[0] == pytest.approx(3.0)


def test_the_pacer_spaces_posts_in_the_workspace_and_each_conversation():
    now = [0.0]
    rates = {"chat.postMessage": 10, "chat.postMessage.per_conversation": 1}
    pacer = Pacer(rates, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    started = []
    for conversation in ("U1", "U2", "U1", "U3"):
        pacer.wait("chat.postMessage", conversation)
        started.append(round(now[0], 3))
    # U2 a tenth of a second after U1; U1 again a second after its first; U3 0.1 s after that.
    assert started == [0.0, 0.1, 1.0, 1.1]


class FastClock:
    """Business time running `speed` times faster than the real one, from `start`."""

    def __init__(self, start: datetime, speed: float) -> None:
        self.start, self.speed, self.began = start, speed, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self.began) * self.speed)


def test_a_post_whose_claim_runs_out_while_waiting_out_a_retry_after_is_given_back(world: World):
    world.plan(1)
    world.slack.inject("chat.postMessage", retry_after=2)
    world.clock = FastClock(world.clock.now(), speed=200)  # type: ignore[assignment]
    # The lease (5 min, less a margin for the request) ends 1.45 s after the claim, mid-wait.
    # So the row is given back (another deliverer may hold it by then) and claimed afresh.
    assert world.deliver() == Counter(released=1, sent=1)
    row = world.row("test:0")
    assert (row["attempts"], world.posted_ids()) == (1, Counter({row["id"]: 1}))


def test_after_days_of_downtime_stale_check_ins_expire_without_touching_slack(world: World):
    three_days_ago = world.clock.now() - timedelta(days=3)
    world.plan(15, due=three_days_ago, kind=Kind.CHECKIN)
    world.plan(5, kind=Kind.CHECKIN, first=15)
    assert world.deliver() == Counter(expired=15, sent=5)
    posted_to = [call.params["channel"] for call in world.slack.calls()]
    assert sorted(posted_to) == [f"U{n:06d}" for n in range(15, 20)]
    stale = [row for key, row in world.rows().items() if int(key.split(":")[1]) < 15]
    assert {(row["status"], row["attempts"]) for row in stale} == {("expired", 0)}


def test_retries_stop_at_the_limit_and_the_organisers_are_told(world: World):
    world.plan(1, recipient=VISITOR)
    world.slack.inject("chat.postMessage", status=500, times=5)
    for _ in range(5):
        world.deliver()
        world.clock.move_to(world.clock.now() + timedelta(hours=1))
    row = world.row("test:0")
    assert row["status"] == "failed" and "gave up after 5 attempts" in row["last_error"]
    assert world.slack.messages(VISITOR) == []
    for organiser in ORGANISERS:
        assert "could not deliver the retro prompt" in str(world.slack.messages(organiser))


@pytest.mark.parametrize(
    ("channel", "setup", "reason"),
    [
        ("C0GONE", lambda slack: None, "channel_not_found"),
        ("C0OLD", lambda slack: slack.add_channel("C0OLD", "old", is_archived=True), "is_archived"),
        (
            "C0PRIV",
            lambda slack: slack.add_channel("C0PRIV", "secret", is_private=True, is_member=False),
            "channel_not_found",
        ),
    ],
)
def test_a_permanent_error_fails_the_row_and_tells_each_organiser_once(
    world: World, channel, setup, reason
):
    setup(world.slack)
    world.plan(1, recipient=channel, kind=Kind.DIGEST)
    assert world.deliver() == Counter(failed=1, sent=2)  # the row, then a notice to each
    assert world.row("test:0")["last_error"] == reason
    for organiser in ORGANISERS:
        [notice] = world.slack.messages(organiser)
        assert reason in str(notice["blocks"]) and f"<#{channel}>" in str(notice["blocks"])
    assert world.deliver() == Counter()
    assert len(world.slack.calls("chat.postMessage")) == 3


def test_msg_too_long_is_permanent(world: World):
    world.plan(1, recipient=VISITOR)
    world.slack.inject("chat.postMessage", error="msg_too_long")
    assert world.deliver() == Counter(failed=1, sent=2)
    assert world.row("test:0")["last_error"] == "msg_too_long"


def test_not_in_channel_joins_once_then_posts(world: World):
    world.slack.add_channel("C0TOURISM", "tourism", is_member=False)
    world.plan(1, recipient="C0TOURISM", kind=Kind.DIGEST)
    assert world.deliver() == Counter(sent=1)
    assert len(world.slack.calls("conversations.join")) == 1
    assert len(world.slack.messages("C0TOURISM")) == 1


def test_not_in_channel_after_joining_fails(world: World):
    world.slack.add_channel("C0TOURISM", "tourism")
    world.plan(1, recipient="C0TOURISM", kind=Kind.DIGEST)
    world.slack.inject("chat.postMessage", error="not_in_channel", times=2)
    assert world.deliver() == Counter(failed=1, sent=2)
    assert len(world.slack.calls("conversations.join")) == 1
    assert world.row("test:0")["last_error"] == "not_in_channel"


def test_a_deactivated_visitor_stops_the_tour_and_the_host_lead_is_told(world: World):
    world.plan_tour()
    world.slack.add_user(VISITOR, deleted=True)
    assert world.deliver() == Counter(failed=1, sent=4)  # buddy, 2 organisers, 1 host lead
    statuses = Counter(row["status"] for row in world.rows().values())
    assert statuses == Counter(sent=4, failed=1)  # every other row of the tour was cancelled
    assert world.row(f"kickoff:{VISITOR}")["last_error"] == "user_disabled"
    [to_lead] = world.slack.messages(LEAD)
    assert "deactivated" in str(to_lead["blocks"]) and f"<@{VISITOR}>" in str(to_lead["blocks"])
    assert "user_disabled" in str(world.slack.messages(ORGANISERS[0]))


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
def test_a_dead_token_pauses_deliveries_until_it_works_again(world: World, error):
    world.plan(3)
    world.slack.inject("chat.postMessage", error=error)
    world.deliver(threads=1)
    assert {row["status"] for row in world.rows().values()} == {"pending"}
    assert {row["attempts"] for row in world.rows().values()} == {0}
    with world.uow() as uow:
        assert uow.workspaces.get(WORKSPACE).tokens_revoked_at is not None

    world.slack.reset()
    world.slack.inject("auth.test", error=error)
    assert world.deliver() == Counter(paused=1)
    assert [call.method for call in world.slack.calls()] == ["auth.test"]

    assert world.deliver() == Counter(sent=3)
    with world.uow() as uow:
        assert uow.workspaces.get(WORKSPACE).tokens_revoked_at is None
        assert uow.audit.actions(WORKSPACE)[-2:] == ["deliveries_paused", "deliveries_resumed"]


def test_one_bad_row_never_stalls_the_queue(world: World):
    world.plan(4)
    with world.uow() as uow:
        uow.session.query(OutboxMessage).filter_by(unique_key="test:1").update(
            {"content_key": "no_such_text"}
        )
        uow.commit()
    world.slack.inject("chat.postMessage", error="msg_too_long")
    # test:0 meets a permanent error (and the organisers hear of it), test:1 an unexpected one
    # (retried later); test:2 and test:3 go out all the same.
    assert world.deliver(threads=1) == Counter(failed=1, retrylater=1, sent=4)
    assert world.row("test:1")["status"] == "pending"
    assert world.row("test:3")["status"] == "sent"


# --- crashes and replicas ---------------------------------------------------------------------

CRASHING_DELIVERER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from bot.core.clock import FixedClock
    from infra.delivery import Deliverer, build_delivery_client
    from storage.db import create_db_engine, session_factory
    from storage.unit_of_work import SqlReader, SqlUnitOfWork
    from tests.conftest import make_settings, settings_env

    database_url, api_url, now = sys.argv[1:4]
    settings = make_settings(settings_env(DATABASE_URL=database_url, SLACK_API_URL=api_url))
    sessions = session_factory(create_db_engine(database_url))
    Deliverer(
        uow=lambda: SqlUnitOfWork(sessions),
        client=build_delivery_client(settings, 30),
        clock=FixedClock(datetime.fromisoformat(now)),
        workspace_id="T0TEST",
        organisers=(),
        rates={"chat.postMessage": 50},
        threads=1,
    ).deliver_due()
    """
)


def test_a_delivery_killed_halfway_then_restarted_sends_every_message_once(world: World):
    world.plan(20)
    # The 6th post reaches Slack, but the deliverer dies before it hears back.
    world.slack.inject("chat.postMessage", delay=0, times=5)
    world.slack.inject("chat.postMessage", delay=30)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CRASHING_DELIVERER,
            world.settings.database_url,
            world.settings.slack_api_url or "",
            world.clock.now().isoformat(),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        world.slack.wait_for("chat.postMessage", 6, timeout=30)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert Counter(row["status"] for row in world.rows().values()) == Counter(sent=5, sending=15)

    world.clock.move_to(world.clock.now() + timedelta(minutes=5))  # the dead lease runs out
    assert world.deliver() == Counter(sent=15)
    ids = {row["id"] for row in world.rows().values()}
    assert world.in_slack() == Counter(dict.fromkeys(ids, 1))
    assert {row["status"] for row in world.rows().values()} == {"sent"}


def test_two_deliverers_at_once_send_every_message_once(world: World):
    world.plan(120)
    engine = create_db_engine(world.settings.database_url)  # the other replica's own pool
    other = World(world.settings, world.slack, world.clock, session_factory(engine))
    reports: list[Counter[str]] = []
    replicas = [
        threading.Thread(target=lambda w=w: reports.append(w.deliver(threads=3)))
        for w in (world, other)
    ]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join()
    engine.dispose()
    assert sum(reports, Counter()) == Counter(sent=120)
    ids = {row["id"] for row in world.rows().values()}
    assert world.posted_ids() == Counter(dict.fromkeys(ids, 1))
    assert world.in_slack() == Counter(dict.fromkeys(ids, 1))


def most_in_one_second(calls) -> int:
    """The most calls that arrived within any one second."""
    times = sorted(call.at for call in calls)
    return max(
        (sum(1 for later in times[i:] if later - start < 1.0) for i, start in enumerate(times)),
        default=0,
    )


def run_replicas(world: World, count: int, **options) -> Counter[str]:
    """`count` deliverers at once, each with its own connection pool, as replicas would be;
    small batches, so that each claims its share of the rows."""
    engines = [create_db_engine(world.settings.database_url) for _ in range(count)]
    replicas = [
        World(world.settings, world.slack, world.clock, session_factory(e)) for e in engines
    ]
    reports: list[Counter[str]] = []
    threads = [
        threading.Thread(
            target=lambda r=replica: reports.append(r.deliver(batch_size=3, **options))
        )
        for replica in replicas
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    return sum(reports, Counter())


def test_two_replicas_share_one_pace_and_send_every_message_once(world: World):
    world.plan(30)
    world.slack.rate_limit("chat.postMessage", per_second=10, burst=5)
    # Each replica alone would post at 10 a second: together they still do, not at 20.
    assert run_replicas(world, 2, threads=3, rates={"chat.postMessage": 10}) == Counter(sent=30)
    posts = world.slack.calls("chat.postMessage")
    assert [call.status for call in posts] == [200] * 30  # never a 429
    # A pace that fell behind catches up in a short burst (half a second's worth, and one).
    assert most_in_one_second(posts) <= 10 + 6
    ids = {row["id"] for row in world.rows().values()}
    assert world.posted_ids() == Counter(dict.fromkeys(ids, 1))


def test_one_conversation_gets_a_message_a_second_across_replicas(world: World):
    world.plan(4, recipient=VISITOR)
    world.plan(4, first=4)  # to four other people
    world.slack.rate_limit("chat.postMessage", per_second=1, per_channel=True, burst=1)
    rates = {"chat.postMessage": 50, "chat.postMessage.per_conversation": 1}
    assert run_replicas(world, 2, threads=2, rates=rates) == Counter(sent=8)
    to_visitor = [call for call in world.slack.calls() if call.params["channel"] == VISITOR]
    assert [call.status for call in world.slack.calls()] == [200] * 8
    assert len(to_visitor) == 4
    assert most_in_one_second(to_visitor) <= 2  # a second apart, give or take a late one


def test_a_retry_after_met_by_one_replica_holds_back_the_other(world: World):
    world.plan(1)
    world.slack.inject("chat.postMessage", retry_after=120)  # too long to wait: rows go back
    assert world.deliver() == Counter(released=1)
    world.plan(2, first=1)
    engine = create_db_engine(world.settings.database_url)  # another replica, its own pool
    other = World(world.settings, world.slack, world.clock, session_factory(engine))
    try:
        # It never met the 429, yet it posts nothing while Slack's Retry-After lasts.
        assert other.deliver() == Counter(released=2)
    finally:
        engine.dispose()
    assert [call.status for call in world.slack.calls("chat.postMessage")] == [429]
