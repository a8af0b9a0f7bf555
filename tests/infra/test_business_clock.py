"""The business clock drives the ticker's upkeep: moving the clock file forward, without a
restart, advances visits, reminders and the weekly digest, and closes expired openings (their
channel announcements updated as a manual close does)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from app import TourismApp, create_app
from bot.core.clock import FileClock
from infra.fake_slack import FakeSlack
from infra.scheduler import Ticker, start_ticker
from storage.models import Application, Opening, Tour
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import BOT_TOKEN, make_settings, settings_env
from tests.support.openings import block_text, buttons
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

CHANNEL = "C0TOURISM"
LEAD = "U0LEAD"
WEDNESDAY = datetime.fromisoformat("2026-11-25T09:00:00+00:00")  # this week's digest is stale
NEXT_MONDAY = datetime.fromisoformat("2026-11-30T09:30:00+00:00")  # after the digest's 10:00
NEXT_TUESDAY = datetime.fromisoformat("2026-12-01T09:00:00+00:00")


@dataclass
class Running:
    tourism: TourismApp
    ticker: Ticker
    clock_file: Path
    slack: FakeSlack

    def travel_to(self, instant: datetime) -> None:
        self.clock_file.write_text(instant.isoformat(), encoding="utf-8")


def seed(uow: SqlUnitOfWork, announcement_ts: str) -> None:
    payments = seed_team(uow, "Payments", leads=(LEAD,))
    search = seed_team(uow, "Search")
    window = {"earliest_start": date(2026, 12, 7), "latest_end": date(2027, 3, 26)}
    seed_opening(
        uow,
        payments,
        "Ledger",
        apply_by=date(2026, 11, 30),
        announcement_channel=CHANNEL,
        announcement_ts=announcement_ts,
        **window,
    )
    booked = seed_opening(uow, payments, "Payouts", announce=True, **window)
    visitor = seed_person(uow, "U0VISITOR", home_team_id=search.id)
    seed_tour(uow, visitor, booked, starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 25))
    applicant = seed_person(uow, "U0APPLICANT", home_team_id=search.id)
    uow.session.add(
        Application(
            workspace_id=WORKSPACE,
            opening_id=booked.id,
            person_id=applicant.id,
            status="submitted",
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 1, 29),
            created_at=WEDNESDAY,
            updated_at=WEDNESDAY,
        )
    )
    uow.commit()


@pytest.fixture
def running(
    database_url: str,
    fake_slack: FakeSlack,
    uow_factory: Callable[[], SqlUnitOfWork],
    tmp_path: Path,
) -> Iterator[Running]:
    fake_slack.add_channel(CHANNEL, "tourism")
    announced = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url).chat_postMessage(
        channel=CHANNEL, text="Ledger: apply now"
    )
    with uow_factory() as uow:
        seed(uow, str(announced["ts"]))
    clock_file = tmp_path / "clock"
    clock_file.write_text(WEDNESDAY.isoformat(), encoding="utf-8")
    settings = make_settings(
        settings_env(
            DATABASE_URL=database_url,
            SLACK_API_URL=fake_slack.base_url,
            TOURISM_CHANNEL=CHANNEL,
            TOURISM_TICK_SECONDS="1",
        )
    )
    tourism = create_app(settings, FileClock(clock_file))
    ticker = start_ticker(
        settings, tourism.deps, WORKSPACE, announce_closed=tourism.announce_closed
    )
    try:
        yield Running(tourism, ticker, clock_file, fake_slack)
    finally:
        ticker.stop()
        tourism.close()


def eventually(check: Callable[[], Any], timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return result


def status_of(uow_factory: Callable[[], SqlUnitOfWork], model: Any, **where: Any) -> str:
    with uow_factory() as uow:
        return str(uow.session.query(model).filter_by(**where).one().status)


def test_moving_the_clock_file_advances_visits_reminders_and_the_digest(
    running: Running, uow_factory: Callable[[], SqlUnitOfWork]
):
    assert eventually(lambda: running.slack.calls("auth.test"))  # the first upkeep has run
    assert status_of(uow_factory, Tour) == "scheduled"
    running.travel_to(NEXT_MONDAY)
    assert eventually(lambda: status_of(uow_factory, Tour) == "active")
    digests = eventually(
        lambda: [m for m in running.slack.messages(CHANNEL) if "Payouts" in str(m.get("blocks"))]
    )
    assert digests, running.slack.messages(CHANNEL)
    reminder = eventually(lambda: running.slack.messages(LEAD))
    assert reminder and "Payouts" in str(reminder[0])


def test_an_expired_opening_is_closed_and_its_announcement_updated_without_apply(
    running: Running, uow_factory: Callable[[], SqlUnitOfWork]
):
    running.travel_to(NEXT_TUESDAY)
    update = eventually(lambda: running.slack.calls("chat.update"))
    assert update, "the announcement was not updated"
    assert status_of(uow_factory, Opening, title="Ledger") == "closed"
    updated_ts = update[0].params["ts"]
    [announcement] = [m for m in running.slack.messages(CHANNEL) if m["ts"] == updated_ts]
    assert "Closed" in block_text(announcement["blocks"])
    assert buttons(announcement["blocks"]) == []
