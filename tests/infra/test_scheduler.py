"""The ticker: real APScheduler jobs delivering due rows and running the maintenance hooks."""

from datetime import UTC, datetime, timedelta

from app import create_app
from bot.core.clock import FixedClock
from bot.scheduling.planning import Kind, PlannedMessage
from infra.delivery import Deliverer, build_delivery_client
from infra.scheduler import Ticker, Workspaces
from infra.workspace_scope import WorkspaceScope
from tests.conftest import BOT_TOKEN, make_settings, settings_env
from tests.support.seed import WORKSPACE, seed_workspace

NOW = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)


def test_the_ticker_delivers_due_rows_and_runs_maintenance_then_stops(database_url, fake_slack):
    settings = make_settings(
        settings_env(DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url)
    )
    tourism = create_app(settings, FixedClock(NOW))
    deps = tourism.deps
    with deps.uow() as uow:
        seed_workspace(uow)
        uow.outbox.upsert(
            WORKSPACE,
            [
                PlannedMessage(
                    "test:0",
                    Kind.RETRO,
                    "U0VISITOR",
                    NOW,
                    "retro",
                    {
                        "tour_id": 1,
                        "host_team": "Payments",
                        "opening_title": "Ledger",
                        "starts_on": "2026-03-02",
                        "ends_on": "2026-03-27",
                    },
                )
            ],
        )
        uow.commit()
    maintained: list[tuple[str, object]] = []
    deliverer = Deliverer(
        uow=deps.uow,
        client=build_delivery_client(settings),
        clock=deps.clock,
        workspace_id=WORKSPACE,
        organisers=(),
        rates={},
    )
    ticker = Ticker(
        deps=deps,
        workspaces=Workspaces.one(WorkspaceScope(WORKSPACE, settings, BOT_TOKEN), deliverer),
        tick_seconds=1,
        maintenance=[lambda uow, workspace, today: maintained.append((workspace, today))],
    )
    ticker.start()
    try:
        fake_slack.wait_for("chat.postMessage", timeout=10)
    finally:
        ticker.stop()
        tourism.close()
    assert len(fake_slack.messages("U0VISITOR")) == 1
    assert maintained == [(WORKSPACE, NOW.astimezone(settings.timezone).date())]


def test_upkeep_runs_once_per_hour_of_the_business_clock(database_url, fake_slack):
    """Without starting the scheduler: the business clock alone decides when upkeep is due."""
    settings = make_settings(
        settings_env(DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url)
    )
    clock = FixedClock(NOW)
    tourism = create_app(settings, clock)
    maintained: list[object] = []
    deliverer = Deliverer(
        uow=tourism.deps.uow,
        client=build_delivery_client(settings),
        clock=clock,
        workspace_id=WORKSPACE,
        organisers=(),
        rates={},
    )
    ticker = Ticker(
        deps=tourism.deps,
        workspaces=Workspaces.one(WorkspaceScope(WORKSPACE, settings, BOT_TOKEN), deliverer),
        tick_seconds=1,
        maintenance=[lambda uow, workspace, today: maintained.append(today)],
    )
    try:
        with tourism.deps.uow() as uow:
            seed_workspace(uow)
            uow.commit()
        ticker.upkeep()
        clock.move_to(NOW.replace(minute=59))
        ticker.upkeep()  # the same hour: nothing to do
        assert maintained == [NOW.date()]
        clock.move_to(NOW + timedelta(days=40))  # a jump of the clock file: at the next tick
        ticker.upkeep()
        assert maintained == [NOW.date(), (NOW + timedelta(days=40)).date()]
    finally:
        ticker.stop()
        tourism.close()
