"""Planning a tour asks Slack nothing inside the step's transaction; missing zones come later."""

from datetime import UTC, datetime

from app import create_app
from bot.core.clock import FixedClock
from bot.scheduling.service import TourPlanner
from infra.delivery import Deliverer, SlackTimeZones, build_delivery_client
from infra.scheduler import Ticker, Workspaces
from infra.workspace_scope import WorkspaceScope
from tests.conftest import BOT_TOKEN, make_settings, settings_env
from tests.storage.test_outbox import WARSAW, seed_visit
from tests.support.seed import WORKSPACE


def due_of(uow, tour_id):
    return {row.unique_key: row.due_at for row in uow.outbox.of_tour(WORKSPACE, tour_id)}


def test_zones_are_learnt_after_the_transaction_and_the_tour_planned_again(uow_factory, fake_slack):
    fake_slack.add_user("U0BUDDY", tz="America/New_York")
    settings = make_settings(settings_env(SLACK_API_URL=fake_slack.base_url))
    planner = TourPlanner(SlackTimeZones(build_delivery_client(settings)), WARSAW)
    with uow_factory() as uow:
        tour = seed_visit(uow)
        planner(uow, tour)
        assert fake_slack.calls("users.info") == []  # not while the transaction is open
        uow.commit()
        tour_id, kickoff = tour.id, f"tour:{tour.id}:kickoff:U0BUDDY:1"
        assert due_of(uow, tour.id)[kickoff] == datetime(2026, 3, 2, 9, tzinfo=UTC)  # a guess

    assert planner.catch_up(uow_factory) == 1
    asked = {call.params["user"] for call in fake_slack.calls("users.info")}
    assert asked == {"U0BUDDY", "U0LEAD"}  # the visitor's zone is in their profile
    with uow_factory() as uow:
        assert due_of(uow, tour_id)[kickoff] == datetime(2026, 3, 2, 15, tzinfo=UTC)

    with uow_factory() as uow:  # zones once learnt are known: nothing more to catch up
        planner(uow, uow.tours.get(WORKSPACE, tour_id))
        uow.commit()
    assert planner.catch_up(uow_factory) == 0
    assert len(fake_slack.calls("users.info")) == 2


def test_each_tick_plans_again_the_tours_whose_zones_were_missing(database_url, fake_slack):
    fake_slack.add_user("U0BUDDY", tz="America/New_York")
    settings = make_settings(
        settings_env(DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url)
    )
    tourism = create_app(settings, FixedClock(datetime(2026, 3, 1, 9, tzinfo=UTC)))
    deps = tourism.deps
    with deps.uow() as uow:
        tour = seed_visit(uow)
        deps.on_tour(uow, tour)  # what a workflow step does when it books a visit
        uow.commit()
        tour_id = tour.id
    deliverer = Deliverer(
        uow=deps.uow,
        client=build_delivery_client(settings),
        clock=deps.clock,
        workspace_id=WORKSPACE,
        organisers=(),
        rates={},
    )
    workspaces = Workspaces.one(WorkspaceScope(WORKSPACE, settings, BOT_TOKEN), deliverer)
    ticker = Ticker(deps=deps, workspaces=workspaces, tick_seconds=60, tours=tourism.tours)
    try:
        ticker.deliver()
        with deps.reader() as uow:
            kickoff = due_of(uow, tour_id)[f"tour:{tour_id}:kickoff:U0BUDDY:1"]
    finally:
        deliverer.close()
        tourism.close()
    assert kickoff == datetime(2026, 3, 2, 15, tzinfo=UTC)
